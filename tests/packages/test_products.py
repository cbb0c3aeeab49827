"""packages.products: a package and a single service behind one face, priced and checked by the package
functions, and many calendars at once in a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operators.models import Service
from operators.pricing import Party
from packages.products import bookable, bookables_calendar
from packages.selectors import DayStatus, PackageUnavailable, package_calendar
from tests.operators.factories import OperatorFactory

from .factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def test_a_service_alone_costs_what_its_rates_say():
    service = priced_service(adult="40.00", child="20.00")
    item = bookable(service=service)
    day = timezone.localdate() + dt.timedelta(days=3)
    price = item.price(on=day, party=Party(adults=2, children_ages=(8,)))
    assert price.total == Decimal("100.00")  # 2 × 40 + 1 × 20, no markup
    assert item.key == f"service-{service.pk}" and item.kind == service.kind and item.title == service.name


def test_a_package_bookable_prices_like_the_package_page():
    package = make_package(services=[priced_service(), priced_service()], markup="10.00")
    day = timezone.localdate() + dt.timedelta(days=5)
    party = Party(adults=2)
    item = bookable(package=package)
    calendar = package_calendar(package=package, start=day, end=day, party=party)
    assert item.price(on=day, party=party).total == calendar.days[day].price


def test_a_service_books_the_chosen_departure():
    service = priced_service(times=(dt.time(10, 0), dt.time(15, 0)), capacity=4)
    item = bookable(service=service)
    day = timezone.localdate() + dt.timedelta(days=2)
    assert item.start_times(day) == [dt.time(10, 0), dt.time(15, 0)]
    choice = item.slot_choice(on=day, party=Party(adults=3), start_time=dt.time(15, 0))
    assert [(c.date, c.start_time, c.places) for c in choice] == [(day, dt.time(15, 0), 3)]
    with pytest.raises(PackageUnavailable):  # 5 people do not fit in 4 places
        item.slot_choice(on=day, party=Party(adults=5), start_time=dt.time(15, 0))


def test_a_service_keeps_its_party_rules():
    service = priced_service(min_party=2)
    with pytest.raises(PackageUnavailable):
        bookable(service=service).slot_choice(on=timezone.localdate() + dt.timedelta(days=2), party=Party(adults=1))


def test_on_request_comes_from_the_package_or_a_service_it_includes():
    plain, asked = priced_service(), priced_service(on_request=True)
    assert bookable(service=asked).on_request and not bookable(service=plain).on_request
    assert not bookable(package=make_package(services=[plain])).on_request
    assert bookable(package=make_package(services=[plain, asked])).on_request
    flagged = make_package(services=[plain])
    flagged.on_request = True
    assert bookable(package=flagged).on_request


def test_a_bookable_is_one_thing():
    with pytest.raises(ValueError):
        bookable()


def _catalogue(count: int):
    operator = OperatorFactory()
    items = []
    for i in range(count):
        services = [priced_service(operator=operator, days=20), priced_service(operator=operator, days=20)]
        items.append(bookable(package=make_package(services=services, slug=f"p-{count}-{i}")))
        items.append(bookable(service=Service.objects.select_related("operator").get(pk=services[0].pk)))
    return items


def test_many_calendars_cost_the_same_queries_as_one():
    start = timezone.localdate() + dt.timedelta(days=1)
    end = start + dt.timedelta(days=13)
    small, large = _catalogue(1), _catalogue(5)
    counts = []
    for items in (small, large):
        fresh = [bookable(package=b.package, service=b.service) for b in items]
        with CaptureQueriesContext(connection) as queries:
            calendars = bookables_calendar(bookables=fresh, start=start, end=end, party=Party(adults=2))
        counts.append(len(queries))
        assert set(calendars) == {b.key for b in items}
    assert counts[0] == counts[1] <= 3
    day = calendars[large[1].key].days[start]
    assert day.status == DayStatus.AVAILABLE and day.price == Decimal("100.00")  # the single service: 2 × 50
