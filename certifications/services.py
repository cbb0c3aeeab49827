"""Every change to an award: request, grant, verify, reject, revoke, expire, remind.

Each service checks who acts, locks the award row, re-checks its status under the lock, changes it,
writes an AwardEvent (who, when, why) and invalidates the label cache, all in one transaction, so a
failed step leaves nothing half made (no award without its evidence, no status without its history).
"""

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Award, AwardEvent, AwardEvidence, Scheme
from .selectors import labels_cache_bump
from .subjects import subject_model_allowed, subject_policy, subject_user_is_holder
from .validators import sniff_evidence

MAX_EVIDENCE_FILES = 5
REMINDER_DAYS = (30, 7)


class CertificationError(Exception):
    """A request the rules refuse (wrong status, scheme not awardable…); its message is for the user."""


def _lock(award: Award) -> Award:
    return Award.objects.select_for_update(of=("self",)).select_related("scheme").get(pk=award.pk)


def _user_may_verify(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("certifications.verify_award"))


def _log(award: Award, action: str, *, actor=None, from_status: str = "", reason: str = "", data=None) -> AwardEvent:
    return AwardEvent.objects.create(
        award=award,
        action=action,
        from_status=from_status,
        to_status=award.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        data=data or {},
    )


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def scheme_default_expiry(*, scheme: Scheme, awarded_on: date) -> date | None:
    if not scheme.expires or not scheme.validity_months:
        return None
    return add_months(awarded_on, scheme.validity_months)


def _check_dates(*, scheme: Scheme, awarded_on: date, expires_on: date | None) -> date | None:
    if expires_on is None:
        expires_on = scheme_default_expiry(scheme=scheme, awarded_on=awarded_on)
    if scheme.expires and expires_on is None:
        raise CertificationError(_("This scheme's awards expire: give an expiry date."))
    if not scheme.expires:
        expires_on = None
    if expires_on is not None and expires_on <= awarded_on:
        raise CertificationError(_("The expiry date must come after the award date."))
    return expires_on


def _check_subject(*, scheme: Scheme, subject: models.Model) -> None:
    if subject is None or subject.pk is None:
        raise CertificationError(_("Choose what the label is for."))
    if not subject_model_allowed(type(subject)):
        raise CertificationError(_("Labels cannot be awarded to this kind of item."))
    if not scheme.is_active:
        raise CertificationError(_("This scheme is no longer active."))
    if not scheme.is_awardable_to(type(subject)):
        raise CertificationError(
            _("%(scheme)s cannot be awarded to a %(kind)s.")
            % {"scheme": scheme.name, "kind": type(subject)._meta.verbose_name}
        )


def _create(**fields) -> Award:
    try:
        with transaction.atomic():
            return Award.objects.create(**fields)
    except IntegrityError as exc:
        if fields.get("status") == Award.Status.REQUESTED:
            raise CertificationError(_("A request for this label is already waiting for verification.")) from exc
        raise CertificationError(_("It already holds this label.")) from exc


def _store_evidence(*, award: Award, user, files: Sequence) -> list[AwardEvidence]:
    if len(files) > MAX_EVIDENCE_FILES:
        raise CertificationError(_("Upload at most %(count)d documents at a time.") % {"count": MAX_EVIDENCE_FILES})
    stored = []
    for upload in files:
        sniffed = sniff_evidence(upload)  # forms check first; this keeps other callers honest
        evidence = AwardEvidence(
            award=award,
            original_name=(upload.name or "")[-255:],
            content_type=sniffed.content_type,
            size=upload.size,
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )
        evidence.file.save(f"evidence.{sniffed.extension}", upload, save=False)
        evidence.save()
        stored.append(evidence)
    return stored


def award_request(*, scheme: Scheme, subject: models.Model, user, files: Sequence, note: str = "") -> Award:
    """A holder (or staff on its behalf) asks for a label, with at least one evidence document."""
    if not (subject_user_is_holder(user=user, subject=subject) or _user_may_verify(user)):
        raise PermissionDenied(_("You cannot request labels for this item."))
    _check_subject(scheme=scheme, subject=subject)
    if not files:
        raise CertificationError(_("Attach at least one document (PDF or image) as evidence."))
    try:
        for upload in files:
            sniff_evidence(upload)
    except ValidationError as exc:
        raise CertificationError(" ".join(exc.messages)) from exc
    with transaction.atomic(durable=True):
        award = _create(
            scheme=scheme,
            subject=subject,
            subject_name=str(subject)[:255],
            status=Award.Status.REQUESTED,
            note=note,
            requested_by=user,
        )
        evidence = _store_evidence(award=award, user=user, files=files)
        _log(award, AwardEvent.Action.REQUESTED, actor=user, reason=note, data={"evidence": [e.pk for e in evidence]})
    return award


def award_grant(
    *,
    scheme: Scheme,
    subject: models.Model,
    user,
    awarded_on: date | None = None,
    expires_on: date | None = None,
    reference: str = "",
    reason: str = "",
) -> Award:
    """The DMC awards a label directly (a package it judged itself, an issuer's certificate on file)."""
    if not _user_may_verify(user):
        raise PermissionDenied(_("Only DMC staff can award labels."))
    if subject_user_is_holder(user=user, subject=subject):
        raise PermissionDenied(_("You cannot award a label to an item you act for."))
    _check_subject(scheme=scheme, subject=subject)
    awarded_on = awarded_on or timezone.localdate()
    expires_on = _check_dates(scheme=scheme, awarded_on=awarded_on, expires_on=expires_on)
    if scheme.verified_by == Scheme.Verifier.ISSUER and not reference:
        raise CertificationError(_("This scheme is certified by its issuer: give the certificate number."))
    with transaction.atomic(durable=True):
        award = _create(
            scheme=scheme,
            subject=subject,
            subject_name=str(subject)[:255],
            status=Award.Status.VERIFIED,
            awarded_on=awarded_on,
            expires_on=expires_on,
            reference=reference,
            requested_by=user,
        )
        _log(award, AwardEvent.Action.GRANTED, actor=user, reason=reason, data=_dates(award))
        labels_cache_bump()
    return award


def _dates(award: Award) -> dict:
    return {
        "awarded_on": award.awarded_on.isoformat() if award.awarded_on else None,
        "expires_on": award.expires_on.isoformat() if award.expires_on else None,
        "reference": award.reference,
    }


def _check_verifier(*, award: Award, user) -> None:
    """Staff with the permission, and never for an item they act for (an operator verifying itself)."""
    if not _user_may_verify(user):
        raise PermissionDenied(_("Only DMC staff can verify, reject or revoke labels."))
    if subject_user_is_holder(user=user, subject=award.subject):
        raise PermissionDenied(_("You cannot decide on a label for an item you act for."))


def award_evidence_add(*, award: Award, user, files: Sequence) -> list[AwardEvidence]:
    """More documents for a request still waiting for verification."""
    if not (subject_user_is_holder(user=user, subject=award.subject) or _user_may_verify(user)):
        raise PermissionDenied(_("You cannot add evidence to this request."))
    if not files:
        raise CertificationError(_("Choose at least one document."))
    with transaction.atomic(durable=True):
        award = _lock(award)
        if award.status != Award.Status.REQUESTED:
            raise CertificationError(_("Evidence can be added only while the request waits for verification."))
        evidence = _store_evidence(award=award, user=user, files=files)
        _log(
            award,
            AwardEvent.Action.EVIDENCE_ADDED,
            actor=user,
            from_status=award.status,
            data={"evidence": [e.pk for e in evidence]},
        )
    return evidence


def award_verify(
    *, award: Award, user, awarded_on: date | None = None, expires_on: date | None = None, reference: str = ""
) -> Award:
    """Staff accept a request: the label is shown from `awarded_on` until `expires_on`."""
    _check_verifier(award=award, user=user)
    with transaction.atomic(durable=True):
        award = _lock(award)
        if award.status != Award.Status.REQUESTED:
            raise CertificationError(_("Only a request waiting for verification can be verified."))
        awarded_on = awarded_on or timezone.localdate()
        expires_on = _check_dates(scheme=award.scheme, awarded_on=awarded_on, expires_on=expires_on)
        if award.scheme.verified_by == Scheme.Verifier.ISSUER and not (reference or award.reference):
            raise CertificationError(_("This scheme is certified by its issuer: give the certificate number."))
        _supersede(award=award, user=user)
        previous = award.status
        award.status = Award.Status.VERIFIED
        award.awarded_on = awarded_on
        award.expires_on = expires_on
        award.reference = reference or award.reference
        award.reminder_30_sent_on = award.reminder_7_sent_on = None
        award.save()
        _log(award, AwardEvent.Action.VERIFIED, actor=user, from_status=previous, data=_dates(award))
        labels_cache_bump()
    return award


def _supersede(*, award: Award, user) -> None:
    """A verified renewal replaces the holder's current label of the same scheme, which ends now."""
    current = (
        Award.objects.select_for_update(of=("self",))
        .filter(
            scheme_id=award.scheme_id,
            subject_type_id=award.subject_type_id,
            subject_id=award.subject_id,
            status=Award.Status.VERIFIED,
        )
        .exclude(pk=award.pk)
        .first()
    )
    if current is None:
        return
    current.status = Award.Status.EXPIRED
    current.save(update_fields=["status", "updated_at"])
    _log(
        current,
        AwardEvent.Action.EXPIRED,
        actor=user,
        from_status=Award.Status.VERIFIED,
        reason=_("Replaced by a renewed award."),
        data={"renewed_by": str(award.public_id)},
    )


def award_reject(*, award: Award, user, reason: str) -> Award:
    """Staff refuse a request; the reason is shown to the applicant."""
    _check_verifier(award=award, user=user)
    if not reason.strip():
        raise CertificationError(_("Say why the request is rejected."))
    with transaction.atomic(durable=True):
        award = _lock(award)
        if award.status != Award.Status.REQUESTED:
            raise CertificationError(_("Only a request waiting for verification can be rejected."))
        previous, award.status = award.status, Award.Status.REJECTED
        award.save(update_fields=["status", "updated_at"])
        _log(award, AwardEvent.Action.REJECTED, actor=user, from_status=previous, reason=reason.strip())
        labels_cache_bump()
    return award


def award_revoke(*, award: Award, user, reason: str) -> Award:
    """Staff withdraw a verified label before its expiry (issuer withdrew it, criteria no longer met)."""
    _check_verifier(award=award, user=user)
    if not reason.strip():
        raise CertificationError(_("Say why the label is revoked."))
    with transaction.atomic(durable=True):
        award = _lock(award)
        if award.status != Award.Status.VERIFIED:
            raise CertificationError(_("Only a verified label can be revoked."))
        previous, award.status = award.status, Award.Status.REVOKED
        award.save(update_fields=["status", "updated_at"])
        _log(award, AwardEvent.Action.REVOKED, actor=user, from_status=previous, reason=reason.strip())
        labels_cache_bump()
    return award


def award_expire(*, award: Award, today: date | None = None) -> bool:
    """Mark a verified award expired once its expiry day has come. True if it changed."""
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        award = _lock(award)
        if award.status != Award.Status.VERIFIED or award.expires_on is None or award.expires_on > today:
            return False  # renewed, revoked or already expired since it was selected
        previous, award.status = award.status, Award.Status.EXPIRED
        award.save(update_fields=["status", "updated_at"])
        _log(award, AwardEvent.Action.EXPIRED, from_status=previous, data={"expires_on": award.expires_on.isoformat()})
        labels_cache_bump()
    return True


def _holder_recipients(award: Award) -> list[str]:
    emails = []
    subject = award.subject
    if subject is not None:
        emails.extend(subject_policy(subject).holder_emails(subject=subject))
    if award.requested_by and award.requested_by.email and not award.requested_by.is_staff:
        emails.append(award.requested_by.email)
    return sorted({email for email in emails if email})


def award_remind(*, award: Award, today: date | None = None) -> int | None:
    """Email the holder 30 and 7 days before expiry, each reminder once. Returns the days sent, or None.

    The reminder is recorded before the mail goes out (on commit): a crash may lose one email but
    never sends the same reminder twice.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        award = _lock(award)
        if award.status != Award.Status.VERIFIED or award.expires_on is None or award.expires_on <= today:
            return None
        days_left = (award.expires_on - today).days
        if days_left <= 7 and award.reminder_7_sent_on is None:
            days = 7
            award.reminder_7_sent_on = today
            award.reminder_30_sent_on = award.reminder_30_sent_on or today  # a late award skips the first
        elif 7 < days_left <= 30 and award.reminder_30_sent_on is None:
            days = 30
            award.reminder_30_sent_on = today
        else:
            return None
        award.save(update_fields=["reminder_30_sent_on", "reminder_7_sent_on", "updated_at"])
        recipients = _holder_recipients(award)
        _log(award, AwardEvent.Action.REMINDED, from_status=award.status, data={"days": days, "to": recipients})
        if recipients:
            transaction.on_commit(lambda: _send_reminder(award, recipients, days_left))
    return days


def _send_reminder(award: Award, recipients: list[str], days_left: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "award": award,
            "days_left": days_left,
            "site_url": settings.SITE_URL.rstrip("/"),
            "DMC_NAME": settings.DMC_NAME,
        }
        subject = _("%(scheme)s label for %(holder)s expires in %(days)d days") % {
            "scheme": award.scheme.name,
            "holder": award.subject_name,
            "days": days_left,
        }
        body = render_to_string("certifications/email/expiry_reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def awards_expire_due(*, today: date | None = None, batch: int = 500) -> int:
    """Expire every verified award whose day has come, in bounded batches. Returns how many."""
    today = today or timezone.localdate()
    count = 0
    while True:
        due = list(Award.objects.filter(status=Award.Status.VERIFIED, expires_on__lte=today).order_by("pk")[:batch])
        if not due:
            return count
        changed = sum(award_expire(award=award, today=today) for award in due)
        count += changed
        if changed == 0:
            return count


def awards_send_reminders(*, today: date | None = None) -> int:
    """Send the 30- and 7-day reminders that are due. Returns how many were sent."""
    today = today or timezone.localdate()
    due = Award.objects.filter(
        status=Award.Status.VERIFIED,
        expires_on__gt=today,
        expires_on__lte=today + timedelta(days=max(REMINDER_DAYS)),
    ).filter(models.Q(reminder_30_sent_on__isnull=True) | models.Q(reminder_7_sent_on__isnull=True))
    return sum(1 for award in list(due.order_by("pk")) if award_remind(award=award, today=today))


def awards_expire_and_remind(*, today: date | None = None) -> dict:
    """The daily job: expire what is due, then send the reminders."""
    return {"expired": awards_expire_due(today=today), "reminded": awards_send_reminders(today=today)}


def scheme_changed() -> None:
    """Call after editing a scheme (name, logo, active flag): labels show scheme data."""
    labels_cache_bump()
