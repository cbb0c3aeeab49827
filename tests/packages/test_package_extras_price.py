"""package_price with optional extras: one function prices the package with or without them."""

import datetime as dt
from decimal import Decimal

import pytest

from operators.pricing import Party
from packages.models import PackageComponent
from packages.pricing import ExtraNotOffered, PackageNotPriced, package_extra_prices, package_price
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def test_without_extras_only_the_included_components_are_priced(extras, today):
    price = package_price(package=extras.package, on=today + dt.timedelta(days=5), party=Party(adults=2))

    assert price.total == Decimal("264.00")  # (2 × 90 + 2 × 30) + 10 %
    assert {c.component_id for c in price.components} == {extras.villa.pk, extras.tasting.pk}
    assert price.extras == ()


def test_a_chosen_extra_is_priced_on_its_own_day_and_takes_the_markup(extras, today):
    on = today + dt.timedelta(days=5)

    price = package_price(package=extras.package, on=on, party=Party(adults=2), extras=[extras.ebike.pk])

    assert price.total == Decimal("319.00")  # (180 + 60 + 2 × 25) + 10 %
    assert price.extra_ids == (extras.ebike.pk,)
    (ebike,) = price.extras
    assert (ebike.amount, ebike.on, ebike.places, ebike.is_extra) == (
        Decimal("50.00"),
        on + dt.timedelta(days=1),
        2,
        True,
    )
    both = package_price(package=extras.package, on=on, party=Party(adults=2),
                         extras=[extras.cooking.pk, extras.ebike.pk])  # fmt: skip
    assert both.total == Decimal("407.00")  # (240 + 50 + 80) + 10 %


def test_each_extra_shows_what_it_adds_to_the_total(extras, today):
    on = today + dt.timedelta(days=5)
    party = Party(adults=2, children_ages=(8,))

    added = package_extra_prices(package=extras.package, on=on, party=party)

    base = package_price(package=extras.package, on=on, party=party).total
    assert added == {
        extras.ebike.pk: package_price(package=extras.package, on=on, party=party, extras=[extras.ebike.pk]).total
        - base,
        extras.cooking.pk: package_price(package=extras.package, on=on, party=party, extras=[extras.cooking.pk]).total
        - base,
    }
    assert added[extras.ebike.pk] == Decimal("71.50")  # (2 × 25 + 15) + 10 %
    assert added[extras.cooking.pk] == Decimal("132.00")  # the child pays the adult rate: 3 × 40 + 10 %


def test_a_fixed_markup_is_not_charged_again_for_an_extra(today):
    package = make_package(
        services=[priced_service(name="Notte", adult="80.00"), priced_service(name="Cena", adult="35.00")],
        days=[1, 1],
        markup="20.00",
        markup_kind="fixed",
        rules=[("per_person", None), ("optional", None)],
    )
    dinner = package.components.get(quantity_rule="optional")
    on = today + dt.timedelta(days=3)

    assert package_price(package=package, on=on, party=Party(adults=2)).total == Decimal("180.00")
    assert package_price(package=package, on=on, party=Party(adults=2), extras=[dinner.pk]).total == Decimal("250.00")


def test_an_id_that_is_not_one_of_the_package_extras_is_refused(extras, today):
    on = today + dt.timedelta(days=5)
    with pytest.raises(ExtraNotOffered):
        package_price(package=extras.package, on=on, party=Party(adults=2), extras=[extras.villa.pk])
    other = make_package(
        services=[priced_service(), priced_service()], rules=[("per_person", None), ("optional", None)]
    )
    with pytest.raises(ExtraNotOffered):
        package_price(package=extras.package, on=on, party=Party(adults=2),
                      extras=[other.components.get(quantity_rule="optional").pk])  # fmt: skip


def test_an_extra_without_a_rate_cannot_be_priced_but_the_package_still_can(extras, today):
    no_rate = PackageComponent.objects.create(
        package=extras.package, service=priced_service(name="Cena", adult=None, child=None), day=1,
        quantity_rule=PackageComponent.QuantityRule.OPTIONAL, position=9,
    )  # fmt: skip
    on = today + dt.timedelta(days=5)

    assert package_extra_prices(package=extras.package, on=on, party=Party(adults=2))[no_rate.pk] is None
    with pytest.raises(PackageNotPriced):
        package_price(package=extras.package, on=on, party=Party(adults=2), extras=[no_rate.pk])
    assert package_price(package=extras.package, on=on, party=Party(adults=2)).total == Decimal("264.00")
