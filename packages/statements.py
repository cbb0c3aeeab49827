"""Monthly statements: what the DMC owes each operator for the parts it delivered, whichever channel
sold them.

A part counts in the month of its service date, at the price and commission snapshotted when it was
booked (PackageBookingPart for shop orders; other channels' parts, e.g. trade partners' bookings, come
from the operators.channels registry with the same amount and commission_percent), so a later change of
rates or terms never rewrites a past statement and a place is owed the same whoever sold it.
Cancelled shop bookings are left out; cancelled bookings of other channels are listed, flagged, and
count for nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from operators.channels import ChannelPart, channel_booking_parts
from operators.models import Operator

from .models import PackageBookingPart
from .selectors import operator_booking_parts

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StatementRow:
    """One line of the bookings page and the CSV, whichever channel sold it."""

    date: dt.date
    start_time: dt.time
    all_day: bool
    channel: str
    reference: str  # the shop's order number or the channel's booking code
    partner_reference: str
    product: str
    service_name: str
    places: int
    amount: Decimal
    commission_percent: Decimal
    commission: Decimal
    net: Decimal
    is_extra: bool = False
    cancelled: bool = False

    @classmethod
    def from_shop(cls, part: PackageBookingPart) -> StatementRow:
        return cls(part.date, part.start_time, part.all_day, str(_("Shop")), part.booking.order_line.order.number,
                   "", str(part.booking.package.title), part.service.name, part.places, part.amount,
                   part.commission_percent, part.commission, part.net, part.is_extra)  # fmt: skip

    @classmethod
    def from_channel(cls, part: ChannelPart) -> StatementRow:
        return cls(part.date, part.start_time, part.all_day, part.channel, part.reference, part.partner_reference,
                   part.product, part.service_name, part.places, part.amount, part.commission_percent,
                   part.commission, part.net, part.is_extra, part.cancelled)  # fmt: skip


@dataclass(frozen=True)
class Statement:
    operator: Operator
    month: dt.date
    parts: list[PackageBookingPart]
    channel_parts: list[ChannelPart] = field(default_factory=list)

    @cached_property
    def rows(self) -> list[StatementRow]:
        rows = [StatementRow.from_shop(p) for p in self.parts] + [StatementRow.from_channel(p) for p in
                                                                   self.channel_parts]  # fmt: skip
        return sorted(rows, key=lambda r: (r.date, r.start_time, r.cancelled))

    @cached_property
    def counted(self) -> list[StatementRow]:
        return [row for row in self.rows if not row.cancelled]

    @property
    def gross(self) -> Decimal:
        return sum((r.amount for r in self.counted), ZERO)

    @property
    def commission(self) -> Decimal:
        return sum((r.commission for r in self.counted), ZERO)

    @property
    def net(self) -> Decimal:
        return self.gross - self.commission


def operator_statement(*, operator: Operator, month: dt.date) -> Statement:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return Statement(
        operator,
        first,
        list(operator_booking_parts(operator=operator, start=first, end=last)),
        channel_booking_parts(operator=operator, start=first, end=last),
    )


def statement_csv_rows(*, statement: Statement):
    """The statement's counted rows (cancelled ones of other channels owe nothing and are left out)."""
    yield ["date", "time", "order", "package", "service", "places", "amount_eur", "commission_percent",
           "commission_eur", "net_eur", "channel", "partner_reference"]  # fmt: skip
    for row in statement.counted:
        yield [
            row.date.isoformat(),
            "" if row.all_day else row.start_time.strftime("%H:%M"),
            row.reference,
            row.product,
            row.service_name,
            row.places,
            f"{row.amount:.2f}",
            f"{row.commission_percent:.2f}",
            f"{row.commission:.2f}",
            f"{row.net:.2f}",
            row.channel,
            row.partner_reference,
        ]
    yield ["total", "", "", "", "", "", f"{statement.gross:.2f}", "", f"{statement.commission:.2f}",
           f"{statement.net:.2f}", "", ""]  # fmt: skip
