"""Every channel's booking changes reach the fact tables (one row per booking, one per component-day),
and the nightly rebuild writes the same rows from the sources."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.bookings.models import OrderTravellers
from marketplace.observatory.facts import facts_rebuild, party_counts
from marketplace.observatory.models import BookingDayFact, BookingFact
from marketplace.trade.bookings import TradeRequest, trade_book, trade_cancel
from operators.models import Service
from operators.pricing import Party
from packages.services import package_order_cancel_by_customer
from tests.packages.conftest import buy
from tests.packages.factories import make_package, priced_service
from tests.trade.factories import ContractFactory

pytestmark = pytest.mark.django_db


def rows(fact):
    return [
        (d.date, d.kind, d.places, d.guests, d.guest_nights, d.gross, d.owed, d.first_in_operator)
        for d in fact.days.order_by("date")
    ]


def test_children_aged_two_or_less_are_infants_and_seniors_adults():
    assert party_counts({"adults": 1, "seniors": 1, "children_ages": [1, 8], "infants": 1}) == (2, 1, 2)


def test_a_paid_order_becomes_one_booking_and_a_row_per_component_day_and_a_cancellation_updates_them(
    client, two_operator_package, today, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""
    on = today + dt.timedelta(days=30)
    order = buy(client, two_operator_package, on, django_capture_on_commit_callbacks)
    OrderTravellers.objects.filter(order=order).update(country="de")
    facts_rebuild()  # the country was set after the order: the nightly rebuild picks it up

    fact = BookingFact.objects.get()
    assert (fact.channel, fact.status, fact.partner_id, fact.origin_country) == ("web", "confirmed", None, "DE")
    assert (fact.adults, fact.children, fact.infants, fact.travel_start, fact.travel_end) == (
        2,
        0,
        0,
        on,
        on + dt.timedelta(days=1),
    )
    assert fact.lead_days == (on - timezone.localdate()).days
    # 264.00 paid: villa 180.00 at 15 % (owed 153.00) + winery 60.00 at 20 % (owed 48.00); margin 63.00.
    assert (fact.gross, fact.owed, fact.margin, fact.trade_net) == (
        Decimal("264.00"),
        Decimal("201.00"),
        Decimal("63.00"),
        None,
    )
    assert [r[0] for r in rows(fact)] == [on, on + dt.timedelta(days=1)]
    assert [(r[5], r[6]) for r in rows(fact)] == [
        (Decimal("180.00"), Decimal("153.00")),
        (Decimal("60.00"), Decimal("48.00")),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        package_order_cancel_by_customer(order=order)  # 30 days before: 100 % refunded
    fact = BookingFact.objects.get()
    assert (fact.status, fact.cancelled_on, fact.retained) == ("cancelled", timezone.localdate(), Decimal("0.00"))
    assert set(BookingDayFact.objects.values_list("status", flat=True)) == {"cancelled"}


def test_trade_bookings_count_with_their_partner_and_channel_and_a_stay_counts_its_nights(
    django_capture_on_commit_callbacks,
):
    hotel = priced_service(adult="80.00", capacity=10, kind=Service.Kind.ACCOMMODATION)
    walk = priced_service(operator=hotel.operator, adult="20.00", capacity=10)
    package = make_package(services=[hotel, hotel, walk], days=[1, 2, 2])
    contract = ContractFactory(commission_percent=Decimal("20.00"))
    contract.partner.country = "NL"
    contract.partner.save()
    on = timezone.localdate() + dt.timedelta(days=10)
    request = TradeRequest(product=package, on=on, party=Party(adults=2, children_ages=(6,)), lead_first_name="Anna",
                           lead_last_name="de Vries")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        booking = trade_book(partner=contract.partner, user=None, request=request)
    fact = BookingFact.objects.get(source="trade")
    assert (fact.channel, fact.partner_id, fact.origin_country, fact.stay_nights) == (
        "portal",
        contract.partner_id,
        "NL",
        2,
    )
    assert (fact.adults, fact.children, fact.gross, fact.trade_net) == (2, 1, booking.retail_amount, booking.net_amount)
    days = list(fact.days.order_by("date", "kind"))
    assert [(d.kind, d.guest_nights) for d in days] == [("accommodation", 3), ("accommodation", 3), ("experience", 0)]
    # The operator's first row carries the party once; its other rows do not.
    assert [d.first_in_operator for d in days] == [True, False, False]

    with django_capture_on_commit_callbacks(execute=True):
        trade_cancel(booking=booking)
    assert BookingFact.objects.get(source="trade").status == "cancelled"

    BookingFact.objects.all().delete()
    assert facts_rebuild() == 1
    assert BookingFact.objects.get(source="trade").days.count() == 3
