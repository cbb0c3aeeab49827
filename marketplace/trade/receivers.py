"""What the trade app does when its own bookings change: the mails, through the worker."""

from django.dispatch import receiver

from .signals import booking_changed
from .tasks import trade_booking_notify_task


@receiver(booking_changed, dispatch_uid="trade-booking-mails")
def booking_mails(sender, booking, event, **kwargs):
    if event != "created":  # an API hold is not a booking yet: its confirmation is
        trade_booking_notify_task.delay(booking.pk, event)
