"""Monthly statements: what the DMC owes each operator for the package parts it delivered.

A part counts in the month of its service date, at the price and commission snapshotted when it was
booked (PackageBookingPart), so a later change of rates or terms never rewrites a past statement.
Cancelled bookings are left out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from operators.models import Operator

from .models import PackageBookingPart
from .selectors import operator_booking_parts


@dataclass(frozen=True)
class Statement:
    operator: Operator
    month: dt.date
    parts: list[PackageBookingPart]

    @property
    def gross(self) -> Decimal:
        return sum((p.amount for p in self.parts), Decimal("0.00"))

    @property
    def commission(self) -> Decimal:
        return sum((p.commission for p in self.parts), Decimal("0.00"))

    @property
    def net(self) -> Decimal:
        return self.gross - self.commission


def operator_statement(*, operator: Operator, month: dt.date) -> Statement:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return Statement(operator, first, list(operator_booking_parts(operator=operator, start=first, end=last)))


def statement_csv_rows(*, statement: Statement):
    yield ["date", "time", "order", "package", "service", "places", "amount_eur", "commission_percent",
           "commission_eur", "net_eur"]  # fmt: skip
    for part in statement.parts:
        yield [
            part.date.isoformat(),
            "" if part.all_day else part.start_time.strftime("%H:%M"),
            part.booking.order_line.order.number,
            part.booking.package.title,
            part.service.name,
            part.places,
            f"{part.amount:.2f}",
            f"{part.commission_percent:.2f}",
            f"{part.commission:.2f}",
            f"{part.net:.2f}",
        ]
    yield ["total", "", "", "", "", "", f"{statement.gross:.2f}", "", f"{statement.commission:.2f}",
           f"{statement.net:.2f}"]  # fmt: skip
