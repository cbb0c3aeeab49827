"""The demo step: about twelve packages from the operators demo's services, published, idempotent; a few
offer optional extras that can really be sold."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.core.demo import load_users
from operators.demo import load as load_operators
from operators.pricing import Party
from packages.demo import PACKAGES
from packages.demo import load as load_packages
from packages.models import Package
from packages.selectors import package_calendar, package_extra_options, package_slot_choice

pytestmark = pytest.mark.django_db


def test_demo_packages_are_published_sellable_and_loaded_once():
    load_users()
    load_operators()
    load_packages()
    load_packages()

    packages = list(Package.objects.filter(single_service__isnull=True))
    assert len(packages) == len(PACKAGES) >= 12
    # Every sellable demo service is sold alone too, once, whatever the number of runs.
    single = Package.objects.filter(single_service__isnull=False)
    assert single.count() >= 30 and all(p.is_published and p.product.is_public for p in single)
    today = timezone.localdate()
    with_extras = set()
    for package in packages:
        assert package.is_published and package.product.is_public
        operators = {c.service.operator_id for c in package.components.all()}
        assert 2 <= package.components.values("service").distinct().count() and 1 <= len(operators)
        calendar = package_calendar(package=package, start=today, end=today + dt.timedelta(days=120),
                                    party=Party(adults=2))  # fmt: skip
        assert calendar.cheapest() is not None, package.slug
        for extra in package.components.filter(quantity_rule="optional"):
            with_extras.add(package.slug)
            assert any(
                option.is_available and option.component == extra
                for day in calendar.days.values() if day.is_available
                for option in package_extra_options(package=package, on=day.date, party=Party(adults=2))
            ), f"{package.slug}: {extra} is never sellable"  # fmt: skip
    assert len(with_extras) >= 3
    # Sellable for real: chosen with the package, every extra gets a slot on a day it is offered.
    package = Package.objects.get(slug="ville-e-vino-colline-lucchesi")
    calendar = package_calendar(package=package, start=today, end=today + dt.timedelta(days=60), party=Party(adults=2))
    chosen = None
    for day in (d for d in calendar.days.values() if d.is_available):
        options = package_extra_options(package=package, on=day.date, party=Party(adults=2))
        if len(options) >= 2 and all(o.is_available for o in options):
            chosen = (day.date, [o.component.pk for o in options])
            break
    assert chosen is not None
    choices = package_slot_choice(package=package, on=chosen[0], party=Party(adults=2), extras=chosen[1])
    assert {c.component.pk for c in choices} >= set(chosen[1])
