"""package_price: components' prices on their own days + markup, VAT included, one number everywhere."""

import datetime as dt
from decimal import Decimal

import pytest

from operators.models import Rate, Season
from operators.pricing import Party
from packages.models import Package
from packages.pricing import PackageNotPriced, component_places_needed, package_price
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def test_adults_sum_components_plus_percent_markup(package, today):
    price = package_price(package=package, on=today + dt.timedelta(days=5), party=Party(adults=2))

    assert price.components_total == Decimal("260.00")  # 2 × (80 + 30 + 20)
    assert price.markup == Decimal("26.00")
    assert price.total == Decimal("286.00")


def test_children_by_the_services_age_bands_and_infants_free(package, today):
    # Ages: 1 is an infant (free, no infant rate), 8 a child, 14 pays as an adult (child_max_age 12).
    party = Party(adults=2, children_ages=(1, 8, 14))
    price = package_price(package=package, on=today + dt.timedelta(days=5), party=party)

    # villa: 3×80 + 40; tasting: 3×30 + 10; walls: no child rate, so the child pays the adult 20: 4×20
    assert price.components_total == Decimal("280.00") + Decimal("100.00") + Decimal("80.00")
    assert price.total == Decimal("506.00")


def test_fixed_markup_and_rounding_to_the_cent(three_services, today):
    package = make_package(services=three_services, markup="33.33", markup_kind=Package.MarkupKind.FIXED)
    price = package_price(package=package, on=today + dt.timedelta(days=5), party=Party(adults=1))
    assert price.total == Decimal("163.33")

    percent = make_package(services=three_services, markup="12.5", slug="percent")
    # 130 × 12.5 % = 16.25
    assert package_price(package=percent, on=today + dt.timedelta(days=5), party=Party(adults=1)).total == Decimal(
        "146.25"
    )


def test_room_per_n_people_group_and_optional_extra(today):
    hotel = priced_service(name="Hotel a Lucca", adult=None, child=None, unit="120.00")
    guide = priced_service(name="Guida privata", adult=None, child=None, unit="150.00")
    extra = priced_service(name="Cena", adult="45.00")
    package = make_package(
        services=[hotel, guide, extra],
        days=[1, 1, 2],
        rules=[("per_room", 2), ("per_group", None), ("optional", None)],
        markup="0",
    )
    party = Party(adults=3)
    price = package_price(package=package, on=today + dt.timedelta(days=3), party=party)

    components = package.components.order_by("position")
    assert [component_places_needed(component=c, party=party) for c in components[:2]] == [2, 1]
    assert [c.amount for c in price.components] == [Decimal("240.00"), Decimal("150.00")]  # no optional extra
    assert price.total == Decimal("390.00")


def test_each_component_is_priced_on_its_own_day(today):
    # Day 2's service costs more from the day after the package starts (a weekend season).
    start = today + dt.timedelta(days=10)
    tour = priced_service(name="Tour", adult="20.00")
    Season.objects.create(service=tour, name="Weekend", starts_on=start + dt.timedelta(days=1),
                          ends_on=start + dt.timedelta(days=1))  # fmt: skip
    Rate.objects.create(season=tour.seasons.get(name="Weekend"), category="adult", amount=Decimal("35.00"))
    package = make_package(services=[tour], days=[2], markup="0")

    assert package_price(package=package, on=start, party=Party(adults=1)).total == Decimal("35.00")
    assert package_price(package=package, on=start + dt.timedelta(days=1), party=Party(adults=1)).total == Decimal(
        "20.00"
    )


def test_a_component_without_a_rate_makes_the_date_unpriced(today):
    no_season_after = priced_service(name="Bici", adult="15.00")
    no_season_after.seasons.update(ends_on=today + dt.timedelta(days=3))
    package = make_package(services=[no_season_after], days=[1])

    with pytest.raises(PackageNotPriced):
        package_price(package=package, on=today + dt.timedelta(days=4), party=Party(adults=2))
