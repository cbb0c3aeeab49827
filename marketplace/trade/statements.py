"""What a partner owes: the monthly statement, and the open balance the credit limit is checked against.

A statement covers the bookings TRAVELLING in its month (the DMC invoices what was delivered):
a confirmed booking is due at its net amount, a cancelled one at its cancellation fee (often nothing),
declined and expired ones at nothing. Pending and on-hold bookings are listed but not yet due.

The open balance is what the partner would owe if every month were invoiced now: the amounts due of
every month not settled (StatementSettlement), plus confirmed, pending and on-hold bookings of months
to come at their net, so answers arriving later never take a partner past its credit limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from .models import StatementSettlement, TradeBooking, TradePartner

ZERO = Decimal("0.00")
Status = TradeBooking.Status
OPEN = (Status.CONFIRMED, Status.PENDING, Status.ON_HOLD)


def booking_amount_due(booking: TradeBooking) -> Decimal:
    """What one booking adds to its month's statement."""
    if booking.status == Status.CONFIRMED:
        return booking.net_amount
    if booking.status == Status.CANCELLED:
        return booking.cancellation_fee or ZERO
    return ZERO


@dataclass(frozen=True)
class StatementRow:
    booking: TradeBooking
    net: Decimal
    fee: Decimal
    due: Decimal


@dataclass(frozen=True)
class Statement:
    partner: TradePartner
    month: dt.date  # its first day
    rows: tuple[StatementRow, ...]
    settled: StatementSettlement | None

    @property
    def total_net(self) -> Decimal:
        return sum((r.net for r in self.rows if r.booking.status == Status.CONFIRMED), ZERO)

    @property
    def total_fees(self) -> Decimal:
        return sum((r.fee for r in self.rows), ZERO)

    @property
    def total_due(self) -> Decimal:
        return sum((r.due for r in self.rows), ZERO)

    @property
    def cancelled_count(self) -> int:
        return sum(1 for r in self.rows if r.booking.status == Status.CANCELLED)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def partner_statement(*, partner: TradePartner, month: dt.date) -> Statement:
    """The statement of the bookings of `partner` travelling in `month` (any day of it), in date order."""
    first, last = month_bounds(month)
    bookings = (
        TradeBooking.objects.filter(partner=partner, starts_on__gte=first, starts_on__lte=last)
        .select_related("package", "service")
        .order_by("starts_on", "start_time", "pk")
    )
    rows = tuple(
        StatementRow(
            booking=b,
            net=b.net_amount,
            fee=(b.cancellation_fee or ZERO) if b.status == Status.CANCELLED else ZERO,
            due=booking_amount_due(b),
        )
        for b in bookings
    )
    settled = StatementSettlement.objects.filter(partner=partner, month=first).first()
    return Statement(partner=partner, month=first, rows=rows, settled=settled)


def partner_open_balance(*, partner: TradePartner) -> Decimal:
    """Net of every confirmed, pending or on-hold booking plus the fees of cancelled ones, in months not
    settled. One query for the settled months, one aggregate pass over the open bookings."""
    settled = list(StatementSettlement.objects.filter(partner=partner).values_list("month", flat=True))
    bookings = TradeBooking.objects.filter(partner=partner).filter(
        Q(status__in=OPEN) | Q(status=Status.CANCELLED, cancellation_fee__gt=0)
    )
    for month in settled:
        first, last = month_bounds(month)
        bookings = bookings.exclude(starts_on__gte=first, starts_on__lte=last)
    total = ZERO
    for status, net, fee in bookings.values_list("status", "net_amount", "cancellation_fee"):
        total += (fee or ZERO) if status == Status.CANCELLED else net
    return total
