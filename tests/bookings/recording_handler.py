"""A booking handler that records the calls it gets: a test double of the plug-in point.

It stands where the packages app will plug in (settings.BOOKING_LINE_HANDLERS), so the tests prove
when checkout and payments call the hooks, without any of our own code being replaced.
"""

from marketplace.bookings.handlers import BookingLineHandler, LineUnavailable


class RecordingHandler(BookingLineHandler):
    calls: list[tuple] = []
    refuse: str = ""  # set to a message to make `prepare` refuse every line
    fail_confirm: str = ""  # set to make `confirm` refuse (a hold lost after payment)

    @classmethod
    def reset(cls) -> None:
        cls.calls = []
        cls.refuse = ""
        cls.fail_confirm = ""

    @classmethod
    def names(cls) -> list[str]:
        return [call[0] for call in cls.calls]

    def handles(self, product) -> bool:
        return product.get_product_class().slug == "experience"

    def prepare(self, *, basket, lines):
        self.calls.append(("prepare", basket.pk, [line.pk for line in lines]))
        if self.refuse:
            raise LineUnavailable(lines[0], self.refuse)

    def confirm(self, *, order, basket, lines):
        self.calls.append(("confirm", order.number, [line.pk for line in lines]))
        if self.fail_confirm:
            raise LineUnavailable(lines[0], self.fail_confirm)

    def release(self, *, basket, lines):
        self.calls.append(("release", basket.pk, [line.pk for line in lines]))

    def cancel(self, *, order, lines):
        self.calls.append(("cancel", order.number, [line.pk for line in lines]))

    def attachments(self, *, order, lines):
        return [(f"voucher-{order.number}.pdf", b"%PDF-1.4 test voucher", "application/pdf")]
