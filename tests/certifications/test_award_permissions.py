"""Object-level permissions: an operator acts only for its own subjects, whatever id it puts in a URL,
and never decides on its own award; only staff with the permission verify, reject or revoke."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from certifications.models import Award
from certifications.services import award_grant, award_request, award_revoke, award_verify
from certifications.subjects import subject_key
from tests.certifications.factories import pdf_upload

pytestmark = pytest.mark.django_db


def test_operator_cannot_verify_its_own_award(client, requested_award, operator_user):
    with pytest.raises(PermissionDenied):
        award_verify(award=requested_award, user=operator_user)
    client.force_login(operator_user)
    response = client.post(
        reverse("certifications:award-verify", args=[requested_award.public_id]), {"awarded_on": "2026-01-01"}
    )
    assert response.status_code == 403
    assert client.get(reverse("certifications:award-detail-staff", args=[requested_award.public_id])).status_code == 403
    requested_award.refresh_from_db()
    assert requested_award.status == Award.Status.REQUESTED


def test_staff_member_who_acts_for_the_operator_cannot_decide_on_its_award(requested_award, operator, other_staff):
    from tests.certifications.factories import operator_member_add

    operator_member_add(operator=operator, user=other_staff)
    with pytest.raises(PermissionDenied):
        award_verify(award=requested_award, user=other_staff)
    with pytest.raises(PermissionDenied):
        award_grant(scheme=requested_award.scheme, subject=operator, user=other_staff)


def test_operator_cannot_see_or_touch_another_operators_award(client, requested_award, other_operator_user):
    client.force_login(other_operator_user)
    detail = reverse("certifications:award-detail-mine", args=[requested_award.public_id])
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"evidence": [pdf_upload()]}).status_code == 404
    evidence = requested_award.evidence.get()
    assert client.get(reverse("certifications:evidence-download", args=[evidence.pk])).status_code == 404
    assert (
        client.post(
            reverse("certifications:award-revoke", args=[requested_award.public_id]), {"reason": "x"}
        ).status_code
        == 403
    )
    assert requested_award.evidence.count() == 1
    response = client.get(reverse("certifications:award-list-mine"))
    assert requested_award not in response.context["awards"]


def test_operator_cannot_request_for_another_operator(client, scheme, other_operator, operator_user, operator):
    with pytest.raises(PermissionDenied):
        award_request(scheme=scheme, subject=other_operator, user=operator_user, files=[pdf_upload()])
    client.force_login(operator_user)
    response = client.post(
        reverse("certifications:award-request"),
        {"scheme": scheme.pk, "subject": subject_key(other_operator), "evidence": [pdf_upload()]},
    )
    assert "subject" in response.context["form"].errors
    assert Award.objects.count() == 0


def test_holder_sees_its_award_history_evidence_and_adds_documents(client, requested_award, operator_user):
    client.force_login(operator_user)
    detail = reverse("certifications:award-detail-mine", args=[requested_award.public_id])
    response = client.get(detail)
    assert response.status_code == 200
    assert list(response.context["evidence"]) == list(requested_award.evidence.all())
    response = client.post(detail, {"evidence": [pdf_upload("rinnovo.pdf")]})
    assert response.status_code == 302
    assert requested_award.evidence.count() == 2
    evidence = requested_award.evidence.first()
    download = client.get(reverse("certifications:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_operator_may_request_for_its_own_service(client, scheme, service, operator_user):
    client.force_login(operator_user)
    response = client.post(
        reverse("certifications:award-request"),
        {"scheme": scheme.pk, "subject": subject_key(service), "evidence": [pdf_upload()], "note": "Menu 2026"},
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.subject == service
    assert award.requested_by == operator_user


def test_staff_verify_reject_revoke_through_the_pages(client, requested_award, staff):
    client.force_login(staff)
    queue = client.get(reverse("certifications:award-list-staff"))
    assert requested_award in queue.context["awards"]
    response = client.post(
        reverse("certifications:award-verify", args=[requested_award.public_id]), {"awarded_on": "2026-02-01"}
    )
    assert response.status_code == 302
    requested_award.refresh_from_db()
    assert requested_award.status == Award.Status.VERIFIED
    # revoking without a reason is a form error, not a 500
    revoke = reverse("certifications:award-revoke", args=[requested_award.public_id])
    response = client.post(revoke, {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["reason_form"].errors
    assert client.post(revoke, {"reason": "Licenza sospesa dall'ente"}).status_code == 302
    requested_award.refresh_from_db()
    assert requested_award.status == Award.Status.REVOKED
    # a second revoke is a domain error shown on the page
    response = client.post(revoke, {"reason": "di nuovo"})
    assert response.status_code == 400


def test_anonymous_visitors_are_sent_to_log_in(client, requested_award):
    for name in ("certifications:award-list-mine", "certifications:award-request", "certifications:award-list-staff"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_only_staff_can_revoke(requested_award, staff, operator_user):
    award_verify(award=requested_award, user=staff)
    with pytest.raises(PermissionDenied):
        award_revoke(award=requested_award, user=operator_user, reason="Non mi piace")


def test_staff_award_a_package_directly_and_operators_cannot(client, scheme, staff, operator_user):
    from tests.certifications.factories import PackageFactory

    package = PackageFactory(title="Weekend slow tra Lucca e Montecarlo")
    data = {"scheme": scheme.pk, "subject": subject_key(package), "awarded_on": "2026-03-01", "reference": ""}
    client.force_login(operator_user)
    assert client.post(reverse("certifications:award-grant"), data).status_code == 403
    assert not Award.objects.exists()

    client.force_login(staff)
    response = client.post(reverse("certifications:award-grant"), data)
    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.subject, award.status, str(award.expires_on)) == (package, "verified", "2027-03-01")
    assert award.events.get().action == "granted"
    # a second grant of the same label is a form error, not a 500
    response = client.post(reverse("certifications:award-grant"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
