"""The plug-in point for whatever a basket line books (packages, later anything with capacity).

The shop does not import the apps that sell bookable things. Each such app writes a subclass of
`BookingLineHandler` and lists its dotted path in settings.BOOKING_LINE_HANDLERS; checkout and payments
call the handlers at four moments (docs/checkout.md):

    prepare(basket=, lines=)    before payment: (re)validate, take or refresh holds;
                                raise LineUnavailable to refuse checkout with a message
    confirm(order=, basket=, lines=)
                                inside the transaction that places the order: holds -> reservations;
                                raising LineUnavailable rolls the order back and refunds the payment;
                                raising LineBusy (places locked right now) rolls it back and asks the
                                caller to retry (Stripe's webhook answers 503), never refunds
    release(basket=, lines=)    payment failed or abandoned: give the holds back (must not fail)
    cancel(order=, lines=)      order cancelled (and refunded): give the places back
    attachments(order=, lines=), email_context(order=, lines=)
                                what the customer's order emails carry (voucher PDF, cancel link)

Each call receives only the lines the handler claims through `handles(product)`. The default set of
handlers is empty, so a plain Oscar product goes through checkout with no booking side at all.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils.module_loading import import_string


class LineUnavailable(Exception):
    """A line that cannot be booked now; `message` is shown to the customer as it is."""

    def __init__(self, line, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class LineBusy(LineUnavailable):
    """The line's places are locked by another booking right now (a lock wait timed out, a deadlock
    was broken): nothing was changed and the same call will very likely work in a moment.

    Before payment it is shown like any LineUnavailable ("try again"). When a payment is being
    confirmed it is NOT a reason to refund: the payment service answers "busy" (Stripe's webhook
    gets 503 and retries); only a real LineUnavailable (sold out, closed) refunds."""


class BookingLineHandler:
    """Base class: every hook is a no-op, so a handler overrides only what it needs."""

    def handles(self, product) -> bool:
        """Whether this handler books lines of `product` (e.g. its product class is "Package")."""
        return False

    def prepare(self, *, basket, lines: Sequence) -> None:
        """Before payment. Raise LineUnavailable(line, message) when a line cannot be held."""

    def confirm(self, *, order, basket, lines: Sequence) -> None:
        """Order being placed (same transaction). `lines` are the order's lines this handler owns."""

    def release(self, *, basket, lines: Sequence) -> None:
        """Payment failed or was abandoned: free what `prepare` took. Idempotent."""

    def cancel(self, *, order, lines: Sequence) -> None:
        """Order cancelled: give the places back. Idempotent."""

    def attachments(self, *, order, lines: Sequence) -> list[tuple[str, bytes, str]]:
        """Files for the confirmation email, as (filename, content, mimetype): the voucher PDF."""
        return []

    def email_context(self, *, order, lines: Sequence) -> dict:
        """Extra context for the customer's order emails (the packages' signed cancel link, `cancel_url`)."""
        return {}


def booking_handlers() -> list[BookingLineHandler]:
    """Instantiate the configured handlers (read at each call so tests can override the setting)."""
    return [import_string(path)() for path in getattr(settings, "BOOKING_LINE_HANDLERS", [])]


def handler_lines(handler: BookingLineHandler, lines: Iterable) -> list:
    return [line for line in lines if line.product is not None and handler.handles(line.product)]
