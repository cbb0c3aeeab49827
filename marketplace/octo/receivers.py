"""What the OCTO app does when a trade booking changes: the partner's webhooks (webhooks.py)."""

import logging

from django.dispatch import receiver

from marketplace.trade.signals import booking_changed

logger = logging.getLogger(__name__)


@receiver(booking_changed, dispatch_uid="octo-webhooks")
def booking_webhooks(sender, booking, event, **kwargs):
    """Deliveries for the partner's webhooks. The signal comes after the booking's commit: a failure
    here (building the payload) is logged and must not turn a booking that happened into an error."""
    from .webhooks import webhooks_enqueue

    try:
        webhooks_enqueue(booking=booking, event=event)
    except Exception:
        logger.exception("Webhook deliveries for booking %s (%s) could not be queued", booking.pk, event)
