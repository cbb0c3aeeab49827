"""package_calendar: a day is sellable when every component has places on its own day; few queries."""

import datetime as dt
from decimal import Decimal

import pytest

from operators.capacity import capacity_book
from operators.models import Slot
from operators.pricing import Party
from packages.selectors import DayStatus, package_calendar
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def test_available_sold_out_and_closed_days_with_prices(package, three_services, today):
    start = today + dt.timedelta(days=1)
    villa, tasting, walls = three_services
    # Day 2 of a departure on start+1 is start+2: fill the tasting (day 2) on start+2.
    capacity_book(items=[(Slot.objects.get(service=tasting, date=start + dt.timedelta(days=2)), 9)], reference="x")
    # Close the walk (day 3) on start+5: departures on start+3 cannot happen.
    Slot.objects.filter(service=walls, date=start + dt.timedelta(days=5)).update(closed=True)

    calendar = package_calendar(package=package, start=start, end=start + dt.timedelta(days=6), party=Party(adults=2))

    days = calendar.days
    assert days[start].status == DayStatus.AVAILABLE
    assert days[start].price == Decimal("286.00")
    assert days[start + dt.timedelta(days=1)].status == DayStatus.SOLD_OUT
    assert days[start + dt.timedelta(days=3)].status == DayStatus.CLOSED
    assert days[start + dt.timedelta(days=4)].status == DayStatus.AVAILABLE
    # One place left is enough for one adult.
    single = package_calendar(package=package, start=start, end=start + dt.timedelta(days=1), party=Party(adults=1))
    assert single.days[start + dt.timedelta(days=1)].status == DayStatus.AVAILABLE


def test_days_past_the_slots_or_before_today_are_closed(package, today):
    calendar = package_calendar(
        package=package, start=today - dt.timedelta(days=2), end=today + dt.timedelta(days=80), party=Party(adults=2)
    )
    assert calendar.days[today - dt.timedelta(days=1)].status == DayStatus.CLOSED
    assert calendar.days[today + dt.timedelta(days=80)].status == DayStatus.CLOSED  # slots end at 60 days


def test_party_too_large_for_a_service_closes_every_day(three_services, today):
    three_services[0].max_party = 4
    three_services[0].save()
    package = make_package(services=three_services)
    calendar = package_calendar(package=package, start=today, end=today + dt.timedelta(days=5), party=Party(adults=5))
    assert calendar.party_errors
    assert {d.status for d in calendar.days.values()} == {DayStatus.CLOSED}


@pytest.mark.parametrize("components", [1, 5, 10])
def test_a_year_costs_the_same_few_queries_whatever_the_components(components, today, django_assert_max_num_queries):
    services = [priced_service(name=f"Servizio {i}", days=370) for i in range(components)]
    package = make_package(services=services, days=[(i % 5) + 1 for i in range(components)])

    with django_assert_max_num_queries(4):
        calendar = package_calendar(
            package=package, start=today, end=today + dt.timedelta(days=364), party=Party(adults=2)
        )
    assert len(calendar.days) == 365
    assert calendar.cheapest() is not None


def test_the_catalogue_size_does_not_change_the_query_count(three_services, today, django_assert_max_num_queries):
    package = make_package(services=three_services)
    for i in range(30):
        make_package(services=three_services, slug=f"altro-{i}", publish=False)

    with django_assert_max_num_queries(4):
        package_calendar(package=package, start=today, end=today + dt.timedelta(days=364), party=Party(adults=2))


def test_calendar_agrees_with_the_booking_path_on_every_day(three_services, today):
    """The calendar's fast read and package_slot_choice (operators' slot_availability) decide alike."""
    from django.utils import timezone

    from operators.capacity import capacity_hold
    from operators.models import Hold
    from packages.selectors import PackageUnavailable, package_slot_choice

    villa, tasting, walls = three_services
    walls.cutoff_hours = 30
    walls.save()
    for offset, quantity in ((3, 9), (4, 10), (6, 8)):
        capacity_book(items=[(Slot.objects.get(service=tasting, date=today + dt.timedelta(days=offset)), quantity)],
                      reference=f"b{offset}")  # fmt: skip
    capacity_hold(items=[(Slot.objects.get(service=villa, date=today + dt.timedelta(days=8)), 10)], reference="old")
    Hold.objects.filter(reference="old").update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    Slot.objects.filter(service=walls, date=today + dt.timedelta(days=9)).update(blocked=True)
    package = make_package(services=three_services)
    party = Party(adults=2)

    calendar = package_calendar(package=package, start=today, end=today + dt.timedelta(days=20), party=party)

    for day, info in calendar.days.items():
        try:
            package_slot_choice(package=package, on=day, party=party)
            bookable = True
        except PackageUnavailable:
            bookable = False
        assert info.is_available == bookable, (day, info.status)
    assert calendar.days[today + dt.timedelta(days=8)].is_available  # the expired hold does not count
