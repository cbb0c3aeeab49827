"""The packages' plug-in into checkout and payments (marketplace.bookings.handlers).

Listed in settings.BOOKING_LINE_HANDLERS. Every hook calls one service of `packages.services`; the
handler only maps our PackageUnavailable to the shop's LineUnavailable, and the capacity service's
LockTimeout (slots locked right now, a deadlock broken) to LineBusy.
"""

from collections.abc import Sequence

from marketplace.bookings.handlers import BookingLineHandler, LineBusy, LineUnavailable
from operators.exceptions import LockTimeout

from .models import Package
from .selectors import PackageUnavailable
from .services import (
    package_line_hold,
    package_lines_release,
    package_order_cancel,
    package_order_confirm,
)
from .voucher import booking_voucher_pdf, order_cancel_url


class PackageLineHandler(BookingLineHandler):
    def handles(self, product) -> bool:
        try:
            return product.package is not None
        except Package.DoesNotExist:
            return False

    def prepare(self, *, basket, lines: Sequence) -> None:
        """Re-take (and so extend) every line's holds; an expired hold whose places went is refused."""
        for line in lines:
            try:
                package_line_hold(line=line, package=line.product.package)
            except PackageUnavailable as exc:
                raise LineUnavailable(line, f"{line.product.get_title()}: {exc.message}") from exc
            except LockTimeout as exc:
                raise LineBusy(line, str(exc.message)) from exc

    def confirm(self, *, order, basket, lines: Sequence) -> None:
        try:
            package_order_confirm(order=order, basket=basket, lines=lines)
        except PackageUnavailable as exc:
            raise LineUnavailable(None, exc.message) from exc
        except LockTimeout as exc:  # busy, not sold out: the payment is retried, never refunded
            raise LineBusy(None, str(exc.message)) from exc

    def release(self, *, basket, lines: Sequence) -> None:
        package_lines_release(basket_lines=lines)

    def cancel(self, *, order, lines: Sequence) -> None:
        package_order_cancel(order=order, lines=lines)

    def attachments(self, *, order, lines: Sequence) -> list[tuple[str, bytes, str]]:
        return [(f"voucher-{order.number}.pdf", booking_voucher_pdf(order=order), "application/pdf")]

    def email_context(self, *, order, lines: Sequence) -> dict:
        """The signed cancel link (the same as in the voucher): guests have no account to cancel from."""
        return {"cancel_url": order_cancel_url(order)}
