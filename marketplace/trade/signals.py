"""What the trade channel tells the rest of the project. Sent after the transaction commits.

`booking_changed(sender=TradeBooking, booking=..., event=...)`, event one of EVENTS: the OCTO app's
webhooks, the observatory and e-mails listen here, so the booking services never import them."""

from django.dispatch import Signal

EVENTS = ("created", "confirmed", "amended", "cancelled", "pending_decided", "declined", "expired")

booking_changed = Signal()
