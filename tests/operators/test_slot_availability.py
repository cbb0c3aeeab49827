"""slot_availability / service_day_availability: many services, many days, one query."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operators.capacity import capacity_hold
from operators.models import Operator
from operators.selectors import service_day_availability, slot_availability
from operators.services import rule_generate_slots

from .factories import RuleFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_year_of_five_services_comes_from_one_query():
    start = timezone.localdate() + dt.timedelta(days=2)
    end = start + dt.timedelta(days=364)
    services = [ServiceFactory() for _ in range(5)]
    for service in services:
        rule_generate_slots(
            rule=RuleFactory(service=service, starts_on=start, ends_on=end, weekdays="", start_times="")
        )
    with CaptureQueriesContext(connection) as queries:
        days = service_day_availability(service_ids=[s.pk for s in services], start=start, end=end, places=2)
    assert len(queries) == 1
    assert set(days) == {s.pk for s in services}
    assert all(len(by_day) == 365 for by_day in days.values())
    assert all(day.bookable and day.free == 12 for by_day in days.values() for day in by_day.values())


def test_free_places_discount_expired_holds_and_unsellable_slots_are_flagged():
    start = timezone.localdate() + dt.timedelta(days=2)
    service = ServiceFactory()
    rule_generate_slots(rule=RuleFactory(service=service, starts_on=start, ends_on=start, weekdays="",
                                         start_times="10:00", capacity=5))  # fmt: skip
    slot = service.slots.get()
    now = timezone.now()
    capacity_hold(items=[(slot, 3)], reference="a", now=now - dt.timedelta(hours=1), expires_at=now)
    capacity_hold(items=[(slot, 1)], reference="b", now=now - dt.timedelta(hours=1),
                  expires_at=now + dt.timedelta(hours=1))  # fmt: skip
    [available] = slot_availability(service_ids=[service.pk], start=start, end=start)[service.pk][start]
    assert (available.held, available.free, available.sellable) == (1, 4, True)
    assert available.can_take(4) and not available.can_take(5)

    Operator.objects.filter(pk=service.operator_id).update(status=Operator.Status.SUSPENDED)
    day = service_day_availability(service_ids=[service.pk], start=start, end=start)[service.pk][start]
    assert not day.bookable
