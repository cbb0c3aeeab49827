"""service_price: seasons, weekdays, age bands, per unit/group, missing rates."""

import datetime as dt
from decimal import Decimal

import pytest

from operators.exceptions import NoRate
from operators.models import Service
from operators.pricing import Party, service_party_errors, service_places_needed, service_price

from .factories import RateFactory, SeasonFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour():
    """Adult 45 all year 2028, child 25, senior 40; a summer season 1 Jun–31 Aug at 55 adult with
    a Saturday/Sunday adult price of 60; 29 Feb 2028 (leap day) has a one-day carnival season."""
    service = ServiceFactory(child_max_age=12, infant_max_age=2)
    year = SeasonFactory(service=service, starts_on=dt.date(2028, 1, 1), ends_on=dt.date(2028, 12, 31))
    RateFactory(season=year, category="adult", amount=Decimal("45.00"))
    RateFactory(season=year, category="child", amount=Decimal("25.00"))
    RateFactory(season=year, category="senior", amount=Decimal("40.00"))
    summer = SeasonFactory(service=service, name="Estate", starts_on=dt.date(2028, 6, 1), ends_on=dt.date(2028, 8, 31))
    RateFactory(season=summer, category="adult", amount=Decimal("55.00"))
    RateFactory(season=summer, category="adult", weekdays="56", amount=Decimal("60.00"))
    leap = SeasonFactory(
        service=service, name="Carnevale", starts_on=dt.date(2028, 2, 29), ends_on=dt.date(2028, 2, 29)
    )
    RateFactory(season=leap, category="adult", amount=Decimal("30.00"))
    return service


def total(service, on, party):
    return service_price(service=service, on=on, party=party).total


def test_season_boundaries_are_inclusive(tour):
    adult = Party(adults=1)
    assert total(tour, dt.date(2028, 5, 31), adult) == Decimal("45.00")
    assert total(tour, dt.date(2028, 6, 1), adult) == Decimal("55.00")  # a Thursday
    assert total(tour, dt.date(2028, 8, 31), adult) == Decimal("55.00")
    assert total(tour, dt.date(2028, 9, 1), adult) == Decimal("45.00")


def test_weekday_rate_beats_the_every_day_rate_of_its_season(tour):
    assert total(tour, dt.date(2028, 6, 3), Party(adults=2)) == Decimal("120.00")  # Saturday
    assert total(tour, dt.date(2028, 6, 5), Party(adults=2)) == Decimal("110.00")  # Monday


def test_leap_day_has_its_own_one_day_season(tour):
    assert total(tour, dt.date(2028, 2, 29), Party(adults=1)) == Decimal("30.00")
    assert total(tour, dt.date(2028, 2, 28), Party(adults=1)) == Decimal("45.00")
    assert total(tour, dt.date(2028, 3, 1), Party(adults=1)) == Decimal("45.00")


def test_infants_are_free_children_pay_child_rate_teenagers_pay_adult(tour):
    party = Party(adults=2, children_ages=(0, 2, 3, 12, 13), infants=1, seniors=1)
    breakdown = service_price(service=tour, on=dt.date(2028, 3, 10), party=party)
    lines = {line.category: (line.quantity, line.amount) for line in breakdown.lines}
    assert lines["infant"] == (3, Decimal("0.00"))
    assert lines["child"] == (2, Decimal("50.00"))
    assert lines["adult"] == (3, Decimal("135.00"))
    assert lines["senior"] == (1, Decimal("40.00"))
    assert breakdown.total == Decimal("225.00")


def test_missing_child_rate_falls_back_to_adult_in_a_season_without_it(tour):
    # Summer defines only adult prices: the child pays the summer adult price, not the year's child price.
    assert total(tour, dt.date(2028, 7, 4), Party(adults=1, children_ages=(8,))) == Decimal("110.00")


def test_a_date_without_season_has_no_price():
    service = ServiceFactory()
    with pytest.raises(NoRate):
        service_price(service=service, on=dt.date(2027, 12, 31), party=Party(adults=1))


def test_per_unit_price_counts_rooms_needed():
    room = ServiceFactory(kind=Service.Kind.ACCOMMODATION, capacity_model="per_unit", max_occupancy=2)
    season = SeasonFactory(service=room)
    RateFactory(season=season, category="unit", amount=Decimal("90.00"))
    party = Party(adults=3, children_ages=(1,))  # the infant sleeps in a cot
    assert service_places_needed(service=room, party=party) == 2
    assert total(room, dt.date(2028, 4, 1), party) == Decimal("180.00")


def test_per_group_pays_one_unit_and_needs_a_unit_rate():
    transfer = ServiceFactory(kind=Service.Kind.TRANSFER, capacity_model="per_group", max_party=8)
    season = SeasonFactory(service=transfer)
    RateFactory(season=season, category="adult", amount=Decimal("10.00"))
    with pytest.raises(NoRate):
        service_price(service=transfer, on=dt.date(2028, 4, 1), party=Party(adults=4))
    RateFactory(season=season, category="unit", amount=Decimal("120.00"))
    assert total(transfer, dt.date(2028, 4, 1), Party(adults=4)) == Decimal("120.00")
    assert service_places_needed(service=transfer, party=Party(adults=4)) == 1
    assert service_party_errors(service=transfer, party=Party(adults=9))


def test_places_needed_per_person_ignores_lap_infants_unless_configured():
    tour = ServiceFactory(infants_take_place=False)
    party = Party(adults=2, children_ages=(1, 7))
    assert service_places_needed(service=tour, party=party) == 3
    tour.infants_take_place = True
    assert service_places_needed(service=tour, party=party) == 4


def test_party_round_trips_through_a_dict():
    party = Party(adults=2, children_ages=(4, 9), infants=1, seniors=1)
    assert Party.from_dict(party.to_dict()) == party
    with pytest.raises(ValueError):
        Party(adults=-1)
