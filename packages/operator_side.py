"""What an operator sees of the shop's package bookings of its services, plugged into
operators.channels (registered in PackagesConfig.ready as the "shop" provider): the rows of its
bookings page and day manifest, and the check-in of a travel voucher (packages/voucher.py: its QR
code reads "<DMC>|order|<order number>").

`booking_parts` is left empty on purpose: the monthly statement reads the shop's parts itself
(packages/statements.py), so the registry never counts them twice.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from operators.channels import (
    BookingState,
    ChannelProvider,
    CheckInOutcome,
    OperatorBooking,
    extras_by_booking,
    part_fields,
)
from operators.checkin import parts_check_in

from .models import PackageBooking, PackageBookingPart


class ShopOperatorSide(ChannelProvider):
    key = "shop"
    voucher_kind = "order"

    def _rows(self, parts) -> list[OperatorBooking]:
        parts = list(
            parts.select_related(
                "service", "booking", "booking__package", "booking__order_line__order__travellers", "redeemed_by"
            )
        )
        extras = extras_by_booking(parts)
        rows = []
        for part in parts:
            booking = part.booking
            order = booking.order_line.order
            travellers = getattr(order, "travellers", None)
            rows.append(
                OperatorBooking(
                    channel_key=self.key,
                    via="web",
                    channel=str(_("Web shop")),
                    reference=order.number,
                    partner_reference="",
                    guest=travellers.lead_name if travellers else "",
                    phone=travellers.lead_phone if travellers else "",
                    product=str(booking.package.title),
                    state=BookingState.CANCELLED
                    if booking.status == PackageBooking.Status.CANCELLED
                    else BookingState.BOOKED,
                    **part_fields(part, party=booking.party, extras=extras),
                )
            )
        return rows

    def bookings(self, *, operator, start: dt.date, end: dt.date) -> list[OperatorBooking]:
        return self._rows(PackageBookingPart.objects.filter(operator=operator, date__gte=start, date__lte=end))

    def check_in(self, *, operator, code: str, on: dt.date, by, now: dt.datetime) -> CheckInOutcome | None:
        bookings = list(PackageBooking.objects.filter(order_line__order__number=code).only("pk", "status"))
        if not bookings:
            return None
        parts = PackageBookingPart.objects.filter(booking__in=[b.pk for b in bookings])
        confirmed = {b.pk for b in bookings if b.status == PackageBooking.Status.CONFIRMED}
        mine = parts.filter(operator=operator)
        active = mine.filter(booking__in=confirmed).exists()
        return parts_check_in(
            parts=parts.filter(booking__in=confirmed) if active else parts,
            operator=operator, on=on, by=by, now=now, active=active, reference=code,
            rows=lambda pks: tuple(self._rows(PackageBookingPart.objects.filter(pk__in=pks))),
        )  # fmt: skip


def month_revenue_card(*, operator, user, today: dt.date):
    """The operator dashboard's "this month" card: the month's statement so far (operator_statement,
    the figures the monthly statement, its CSV and the observatory's operator scope agree on: the
    components' retail price and what the operator is owed after the DMC's commission)."""
    from operators.home_cards import HomeCard

    from .statements import operator_statement

    statement = operator_statement(operator=operator, month=today)
    return HomeCard(
        title=_("This month's money"),
        template_name="packages/_operator_month_card.html",
        context={"statement": statement, "month": statement.month},
        order=20,
    )
