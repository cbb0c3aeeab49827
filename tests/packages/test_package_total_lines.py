"""The total on the package page is read as lines: adults, children (by what each pays, with their ages),
infants, each chosen extra by name. The lines always add up to the total the basket will charge."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from operators.models import Service
from operators.pricing import Party
from packages.pricing import package_components, package_price, package_price_lines
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def lines_of(package, party, extras=()):
    on = timezone.localdate() + dt.timedelta(days=5)
    components = package_components(package=package)
    price = package_price(package=package, on=on, party=party, extras=extras, components=components)
    lines = package_price_lines(package=package, price=price, party=party, components=components)
    assert sum(line.amount for line in lines) == price.total  # to the cent, always
    return price, [(line.kind, line.quantity, line.amount, line.ages, line.name) for line in lines]


def test_adults_children_in_their_age_bands_and_infants_each_have_their_line():
    villa = priced_service(name="Notte in villa", adult="90.00", child="45.00")  # children up to 12
    tasting = priced_service(name="Degustazione", adult="30.00", child="10.00")
    package = make_package(services=[villa, tasting], days=[1, 2], markup="10")

    price, lines = lines_of(package, Party(adults=2, children_ages=(4, 14), infants=1))

    assert price.total == Decimal("456.50")  # (3 × 120 + 55) × 1.10; the infant is free
    assert lines == [
        ("adult", 2, Decimal("264.00"), (), ""),  # 2 × (90 + 30) × 1.10
        ("child", 1, Decimal("60.50"), (4,), ""),  # (45 + 10) × 1.10
        ("child", 1, Decimal("132.00"), (14,), ""),  # 14 is over the children's band: an adult's rate
        ("infant", 1, Decimal("0.00"), (), ""),
    ]


def test_each_extra_shows_what_it_adds_and_the_package_lines_the_rest(extras):
    party = Party(adults=2)
    price, lines = lines_of(extras.package, party, extras=[extras.ebike.pk, extras.cooking.pk])

    assert lines == [
        ("adult", 2, Decimal("264.00"), (), ""),  # 2 × (90 + 30) × 1.10
        ("extra", 1, Decimal("88.00"), (), "Corso di cucina"),  # 2 × 40 × 1.10, day 1
        ("extra", 1, Decimal("55.00"), (), "Noleggio e-bike"),  # 2 × 25 × 1.10, day 2
    ]
    assert price.total == Decimal("407.00")


def test_a_room_is_shared_by_the_people_in_it_and_a_fixed_markup_is_not_a_line_of_its_own():
    room = priced_service(name="Camera doppia", adult=None, child=None, unit="150.00",
                          capacity_model=Service.CapacityModel.PER_UNIT, max_occupancy=2)  # fmt: skip
    dinner = priced_service(name="Cena", adult="40.00", child="20.00")
    package = make_package(services=[room, dinner], days=[1, 1], markup="21.00", markup_kind="fixed")

    price, lines = lines_of(package, Party(adults=2, children_ages=(8,)))

    # two rooms (300.00) shared by three, dinners 40 + 40 + 20, the fixed 21.00 spread over the lines
    assert price.total == Decimal("421.00")
    # each pays 100.00 of the rooms, an adult's dinner is 40.00 and the child's 20.00: 140 and 120 of 400
    assert lines == [
        ("adult", 2, Decimal("294.70"), (), ""),  # 2 × 140 × 421 / 400
        ("child", 1, Decimal("126.30"), (8,), ""),  # 120 × 421 / 400
    ]
