"""The demo step: about twelve packages from the operators demo's services, published, idempotent."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.core.demo import load_users
from operators.demo import load as load_operators
from operators.pricing import Party
from packages.demo import PACKAGES
from packages.demo import load as load_packages
from packages.models import Package
from packages.selectors import package_calendar

pytestmark = pytest.mark.django_db


def test_demo_packages_are_published_sellable_and_loaded_once():
    load_users()
    load_operators()
    load_packages()
    load_packages()

    packages = list(Package.objects.all())
    assert len(packages) == len(PACKAGES) >= 12
    today = timezone.localdate()
    for package in packages:
        assert package.is_published and package.product.is_public
        operators = {c.service.operator_id for c in package.components.all()}
        assert 2 <= package.components.values("service").distinct().count() and 1 <= len(operators)
        calendar = package_calendar(package=package, start=today, end=today + dt.timedelta(days=120),
                                    party=Party(adults=2))  # fmt: skip
        assert calendar.cheapest() is not None, package.slug
