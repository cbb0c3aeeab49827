"""What the shop's package bookings tell the rest of the project, after the transaction commits.

`package_booking_changed(sender=PackageBooking, booking_ids=[...], event=...)`, event "confirmed", "cancelled" or
"refunded": the observatory listens here, so the package services never import it."""

from django.db import transaction
from django.dispatch import Signal

package_booking_changed = Signal()


def announce(booking_ids, event: str) -> None:
    ids = sorted(booking_ids)
    if ids:
        transaction.on_commit(
            lambda: package_booking_changed.send(sender="packages.PackageBooking", booking_ids=ids, event=event)
        )
