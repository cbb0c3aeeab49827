"""Request → verify / reject → revoke / expire, each step with its history line."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certifications.models import Award, AwardEvent, Scheme
from certifications.selectors import subject_labels
from certifications.services import (
    CertificationError,
    award_expire,
    award_reject,
    award_request,
    award_revoke,
    award_verify,
)
from tests.certifications.factories import SchemeFactory, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def test_request_is_not_a_label_until_staff_verify_it(requested_award, operator, staff):
    assert requested_award.status == Award.Status.REQUESTED
    assert requested_award.evidence.count() == 1
    assert subject_labels(subject=operator) == []

    today = timezone.localdate()
    award_verify(award=requested_award, user=staff, awarded_on=today)

    requested_award.refresh_from_db()
    assert requested_award.status == Award.Status.VERIFIED
    assert requested_award.expires_on == today.replace(year=today.year + 1)  # the scheme's 12 months
    labels = subject_labels(subject=operator)
    assert [label.award for label in labels] == [requested_award]


def test_every_step_is_in_the_history_with_who_and_why(requested_award, operator_user, staff):
    award_verify(award=requested_award, user=staff)
    award_revoke(award=requested_award, user=staff, reason="Il Consorzio ha ritirato la licenza.")

    events = list(requested_award.events.order_by("pk"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        (AwardEvent.Action.REQUESTED, "", "requested"),
        (AwardEvent.Action.VERIFIED, "requested", "verified"),
        (AwardEvent.Action.REVOKED, "verified", "revoked"),
    ]
    assert [e.actor for e in events] == [operator_user, staff, staff]
    assert events[2].reason == "Il Consorzio ha ritirato la licenza."
    assert all(e.created_at for e in events)


def test_reject_needs_a_reason_and_ends_the_request(requested_award, staff):
    with pytest.raises(CertificationError):
        award_reject(award=requested_award, user=staff, reason="  ")
    award_reject(award=requested_award, user=staff, reason="Certificato scaduto nel 2024.")
    requested_award.refresh_from_db()
    assert requested_award.status == Award.Status.REJECTED
    assert requested_award.events.last().reason == "Certificato scaduto nel 2024."
    with pytest.raises(CertificationError):
        award_verify(award=requested_award, user=staff)


def test_a_second_request_while_one_waits_is_refused(requested_award, scheme, operator, operator_user):
    with pytest.raises(CertificationError):
        award_request(scheme=scheme, subject=operator, user=operator_user, files=[png_upload()])
    assert Award.objects.count() == 1


def test_renewal_replaces_the_current_label_when_verified(requested_award, scheme, operator, operator_user, staff):
    award_verify(award=requested_award, user=staff)
    renewal = award_request(scheme=scheme, subject=operator, user=operator_user, files=[pdf_upload()])
    award_verify(award=renewal, user=staff, expires_on=timezone.localdate() + timedelta(days=800))

    requested_award.refresh_from_db()
    assert requested_award.status == Award.Status.EXPIRED
    assert requested_award.events.last().reason
    assert [label.award for label in subject_labels(subject=operator)] == [renewal]


def test_scheme_must_be_awardable_to_the_subject(operator, operator_user):
    scheme = SchemeFactory(awardable_to=["packages.package"])
    with pytest.raises(CertificationError):
        award_request(scheme=scheme, subject=operator, user=operator_user, files=[pdf_upload()])
    assert Award.objects.count() == 0


def test_issuer_certified_scheme_needs_the_certificate_number(operator, operator_user, staff):
    scheme = SchemeFactory(verified_by=Scheme.Verifier.ISSUER)
    award = award_request(scheme=scheme, subject=operator, user=operator_user, files=[pdf_upload()])
    with pytest.raises(CertificationError):
        award_verify(award=award, user=staff)
    award_verify(award=award, user=staff, reference="IT/051/0123")
    award.refresh_from_db()
    assert award.reference == "IT/051/0123"


def test_expire_only_on_its_day(grant, scheme, operator):
    today = timezone.localdate()
    award = grant(scheme, operator, expires_on=today + timedelta(days=1))
    assert award_expire(award=award, today=today) is False
    assert award_expire(award=award, today=today + timedelta(days=1)) is True
    award.refresh_from_db()
    assert award.status == Award.Status.EXPIRED
    assert award.events.last().action == AwardEvent.Action.EXPIRED
    assert award.events.last().actor is None


def test_label_is_gone_on_its_expiry_day_even_before_the_task_runs(grant, scheme, operator):
    today = timezone.localdate()
    grant(scheme, operator, expires_on=today + timedelta(days=3))
    assert len(subject_labels(subject=operator, today=today + timedelta(days=2))) == 1
    assert subject_labels(subject=operator, today=today + timedelta(days=3)) == []
