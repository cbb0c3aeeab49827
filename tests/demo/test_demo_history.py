"""The demo's two years of bookings (issue 15, "Demo data"): real orders and trade bookings of every
channel, seasons and origins, their facts, and capacity counted as the capacity service counts it.

The demo is loaded once (a few minutes on a busy machine) and every check reads it."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.test import override_settings
from oscar.apps.order.models import Order

from marketplace.observatory import demo
from marketplace.observatory.models import BookingDayFact, BookingFact
from marketplace.trade.models import TradeBooking
from operators.models import Hold, Reservation, Slot
from packages.models import PackageBooking

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return (Order.objects.count(), PackageBooking.objects.count(), TradeBooking.objects.count(), Slot.objects.count(),
            Reservation.objects.count(), BookingFact.objects.count())  # fmt: skip


@override_settings(DEMO_HISTORY=True)
def test_the_demo_history():
    """The package's demo (tests/demo/conftest.py) is loaded with its history, as `make demo` loads it."""
    before = counts()
    out = StringIO()
    demo.load(stdout=out)
    assert counts() == before and "already loaded" in out.getvalue()  # loading twice adds nothing

    two_years_of_bookings_of_every_channel_are_facts()
    origins_seasons_parties_stays_and_cancellations_are_plausible()
    history_bookings_are_whole_orders_and_trade_bookings()
    capacity_invariants_hold_on_every_slot()
    partners_on_account_stay_within_their_credit_limit()


def two_years_of_bookings_of_every_channel_are_facts():
    assert 1500 <= BookingFact.objects.count() <= 3000
    assert BookingFact.objects.count() == (
        PackageBooking.objects.count() + TradeBooking.objects.filter(status__in=["confirmed", "pending", "cancelled"])
        .annotate(n=Count("parts")).filter(n__gt=0).count()
    )  # fmt: skip
    months = set(BookingFact.objects.annotate(m=TruncMonth("travel_start")).values_list("m", flat=True))
    assert len(months) >= 20
    today = dt.date.today()
    assert any(m < today.replace(day=1) - dt.timedelta(days=600) for m in months)  # the history goes two years back
    assert any(m > today for m in months)  # and some future months are already sold

    channels = Counter(dict(BookingFact.objects.values_list("channel").annotate(n=Count("pk"))))
    assert set(channels) == {"web", "portal", "api"}
    total = sum(channels.values())
    assert 0.5 < channels["web"] / total < 0.7 and 0.15 < channels["portal"] / total < 0.35
    assert 0.08 < channels["api"] / total < 0.25
    assert BookingFact.objects.filter(channel="portal").values("partner").distinct().count() == 2


def origins_seasons_parties_stays_and_cancellations_are_plausible():
    origins = Counter(dict(BookingFact.objects.values_list("origin_country").annotate(n=Count("pk"))))
    assert "" not in origins
    assert len(origins) >= 6 and {"IT", "DE", "US", "FR", "NL", "GB", "CH", "AT"} <= set(origins)
    assert 0.35 < origins["IT"] / sum(origins.values()) < 0.55
    assert origins.most_common(1)[0][0] == "IT"

    by_month = Counter()
    for month, guests in BookingFact.objects.values_list("travel_start__month").annotate(
        g=Sum("adults") + Sum("children") + Sum("infants")
    ):
        by_month[month] += guests
    assert by_month[7] + by_month[8] > 2.5 * (by_month[1] + by_month[2])  # summer peak, winter low

    totals = BookingFact.objects.aggregate(children=Sum("children"), infants=Sum("infants"))
    assert totals["children"] > 100 and totals["infants"] > 10
    assert BookingFact.objects.filter(stay_nights__gte=2).exists()
    assert BookingFact.objects.filter(stay_nights__gte=6).exists()
    assert BookingDayFact.objects.filter(guest_nights__gt=0).exists()

    cancelled = BookingFact.objects.filter(status="cancelled")
    share = cancelled.count() / BookingFact.objects.count()
    assert 0.04 < share < 0.13
    assert cancelled.filter(channel="web").exists() and cancelled.exclude(channel="web").exists()
    assert not cancelled.filter(cancelled_on__isnull=True).exists()
    assert (
        BookingFact.objects.filter(lead_days__gte=90).exists() and BookingFact.objects.filter(lead_days__lte=3).exists()
    )


def history_bookings_are_whole_orders_and_trade_bookings():
    booking = PackageBooking.objects.filter(order_line__order__number__startswith=demo.ORDER_PREFIX).first()
    order = booking.order_line.order
    assert order.travellers.country and order.travellers.lead_name and order.date_placed
    assert order.total_incl_tax == booking.price and booking.parts.exists()
    assert {a.type for a in booking.order_line.attributes.all()} >= {"date", "party"}
    cancelled = PackageBooking.objects.filter(status="cancelled", order_line__order__number__startswith="H").first()
    assert cancelled.order_line.order.status == "Cancelled" and cancelled.refund_amount is not None
    trade = TradeBooking.objects.filter(code__startswith=demo.TRADE_PREFIX, channel="api").first()
    assert trade.parts.exists() and trade.net_amount <= trade.retail_amount
    assert trade.contract.valid_from <= trade.starts_on <= trade.contract.valid_to
    assert TradeBooking.objects.exclude(guest_country="").exists()


def capacity_invariants_hold_on_every_slot():
    """As tests/operators/test_capacity_properties.py checks them: `reserved` and `held` are the sums of
    the active reservations and holds, and no slot is oversold."""
    active = Reservation.objects.filter(slot=OuterRef("pk"), status=Reservation.Status.ACTIVE)
    held = Hold.objects.filter(slot=OuterRef("pk"), status=Hold.Status.ACTIVE)

    def total(rows):
        return Coalesce(
            Subquery(rows.values("slot").annotate(q=Sum("quantity")).values("q")[:1], output_field=IntegerField()),
            Value(0),
        )

    slots = Slot.objects.annotate(booked=total(active), holding=total(held))
    assert slots.filter(reserved__gt=0, date__lt=dt.date.today()).count() > 500
    assert not [(s.pk, s.reserved, s.booked) for s in slots.exclude(reserved=F("booked"))[:5]]
    assert not slots.exclude(held=F("holding")).exists()
    assert not slots.filter(capacity__isnull=False, capacity__lt=F("held") + F("reserved")).exists()
    parts = Reservation.objects.filter(reference__startswith="order-line:").count()
    assert parts >= PackageBooking.objects.count()


def partners_on_account_stay_within_their_credit_limit():
    """The history's past months are settled: the partners can still book (the printed API key too)."""
    from marketplace.trade.models import Contract
    from marketplace.trade.statements import partner_open_balance

    contracts = Contract.objects.filter(credit_limit__isnull=False, partner__status="approved").select_related(
        "partner"
    )
    assert contracts
    for contract in contracts:
        assert partner_open_balance(partner=contract.partner) < contract.credit_limit, contract.partner.slug
