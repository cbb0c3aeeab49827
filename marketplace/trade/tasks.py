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
