"""Celery tasks of the trade channel: thin wrappers taking primary keys (STYLE.md §5)."""

from celery import shared_task

from marketplace.core.tasks import MailTask


@shared_task(bind=True, base=MailTask)
def partner_notify_status_task(self, partner_id: int) -> int:
    """One message to all recipients: retried as a whole (MailTask's backoff) when the mail server fails."""
    from .models import TradePartner
    from .partners import partner_notify_status

    partner = TradePartner.objects.filter(pk=partner_id).first()
    if partner is None:  # deleted meanwhile: nothing to tell
        return 0
    return partner_notify_status(partner=partner)


@shared_task(bind=True, base=MailTask)
def partner_send_invitation_task(self, invitation_id: int, token: str, language: str = "") -> int:
    """Mail an invitation in the inviter's language; an invitation gone meanwhile sends nothing."""
    from django.conf import settings
    from django.utils import translation

    from .models import PartnerInvitation
    from .partners import partner_invitation_send

    invitation = PartnerInvitation.objects.filter(pk=invitation_id).select_related("partner").first()
    if invitation is None:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        return partner_invitation_send(invitation=invitation, token=token)


@shared_task(bind=True, base=MailTask)
def trade_booking_notify_task(self, booking_id: int, event: str) -> int:
    """The mails of one booking change (trade.emails); a booking gone meanwhile sends nothing."""
    from .emails import trade_booking_notify
    from .models import TradeBooking

    booking = TradeBooking.objects.filter(pk=booking_id).select_related("partner", "created_by").first()
    if booking is None:
        return 0
    return trade_booking_notify(booking=booking, event=event)


@shared_task(bind=True, max_retries=5, default_retry_delay=2)
def trade_release_due(self) -> dict:
    """Beat job: expire bookings whose hold or answer deadline passed, give expired allotment places back
    to general sale (the capacity service's own expiry, in bounded batches), and mark allotments whose
    every date is past its release as released."""
    from operators.exceptions import LockTimeout
    from operators.tasks import capacity_release_expired

    from .allotments import allotments_mark_released
    from .bookings import trade_expire_due

    try:
        expired = trade_expire_due()
        released = capacity_release_expired.run()
    except LockTimeout as exc:
        raise self.retry(exc=exc) from exc
    return {"bookings_expired": expired, "holds_released": released, "allotments_closed": allotments_mark_released()}
