"""The monthly statement and the open balance, against totals computed by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.trade.models import StatementSettlement, TradeBooking
from marketplace.trade.statements import partner_open_balance, partner_statement

from .factories import ContractFactory, TradeBookingFactory

pytestmark = pytest.mark.django_db
S = TradeBooking.Status


def test_a_month_owes_the_net_of_confirmed_bookings_and_the_fees_of_cancelled_ones():
    contract = ContractFactory()
    june = dt.date(2031, 6, 1)
    book = lambda day, status, net, fee=None: TradeBookingFactory(  # noqa: E731
        contract=contract, starts_on=june.replace(day=day), status=status, net_amount=Decimal(net),
        cancellation_fee=None if fee is None else Decimal(fee),
    )  # fmt: skip
    book(3, S.CONFIRMED, "240.00")
    book(10, S.CONFIRMED, "180.50")
    book(12, S.CANCELLED, "300.00", "60.00")  # cancelled late: 20 % fee
    book(14, S.CANCELLED, "150.00", "0.00")  # cancelled early: free
    book(20, S.PENDING, "99.00")  # not due yet
    book(21, S.DECLINED, "77.00")
    TradeBookingFactory(contract=contract, starts_on=dt.date(2031, 7, 1), net_amount=Decimal("500.00"))  # July
    TradeBookingFactory(starts_on=june.replace(day=5), net_amount=Decimal("999.00"))  # another partner
    statement = partner_statement(partner=contract.partner, month=dt.date(2031, 6, 17))
    assert statement.month == june
    assert len(statement.rows) == 6
    assert statement.total_net == Decimal("420.50")
    assert statement.total_fees == Decimal("60.00")
    assert statement.total_due == Decimal("480.50")
    assert statement.cancelled_count == 2
    assert [r.booking.starts_on.day for r in statement.rows] == [3, 10, 12, 14, 20, 21]


def test_the_open_balance_counts_unsettled_months_and_future_bookings():
    contract = ContractFactory()
    partner = contract.partner
    TradeBookingFactory(contract=contract, starts_on=dt.date(2031, 5, 10), net_amount=Decimal("100.00"))
    TradeBookingFactory(contract=contract, starts_on=dt.date(2031, 6, 10), net_amount=Decimal("200.00"))
    TradeBookingFactory(
        contract=contract, starts_on=dt.date(2031, 6, 11), status=S.CANCELLED, net_amount=Decimal("90.00"),
        cancellation_fee=Decimal("30.00"),
    )  # fmt: skip
    TradeBookingFactory(contract=contract, starts_on=dt.date(2031, 7, 1), status=S.PENDING, net_amount=Decimal("50.00"))
    TradeBookingFactory(contract=contract, starts_on=dt.date(2031, 7, 2), status=S.EXPIRED, net_amount=Decimal("70.00"))
    assert partner_open_balance(partner=partner) == Decimal("380.00")
    StatementSettlement.objects.create(partner=partner, month=dt.date(2031, 5, 1), amount=Decimal("100.00"))
    assert partner_open_balance(partner=partner) == Decimal("280.00")
