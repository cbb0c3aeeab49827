"""rule_generate_slots: bulk generation, idempotent re-runs that never destroy bookings."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from operators.capacity import capacity_book, capacity_hold, capacity_release
from operators.models import Slot
from operators.services import day_update, rule_generate_slots, slot_update
from tests.operators.locks import wait_for_a_lock_waiter

from .factories import RuleFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekend_rule():
    """Every Saturday and Sunday, 1 April to 31 October 2030, at 10:00 and 15:00, 12 places."""
    return RuleFactory(starts_on=dt.date(2030, 4, 1), ends_on=dt.date(2030, 10, 31), weekdays="56",
                       start_times="10:00,15:00", capacity=12)  # fmt: skip


def test_rule_generates_the_slots_it_describes(weekend_rule):
    result = rule_generate_slots(rule=weekend_rule)
    slots = Slot.objects.filter(service=weekend_rule.service)
    weekend_days = sum(1 for n in range(214) if (dt.date(2030, 4, 1) + dt.timedelta(days=n)).weekday() in (5, 6))
    assert result.created == slots.count() == weekend_days * 2
    assert {s.date.weekday() for s in slots} == {5, 6}
    assert {s.start_time for s in slots} == {dt.time(10), dt.time(15)}
    assert set(slots.values_list("capacity", flat=True)) == {12}
    assert slots.order_by("date").first().date == dt.date(2030, 4, 6)
    assert slots.order_by("date").last().date == dt.date(2030, 10, 27)


def test_rerunning_a_rule_neither_duplicates_nor_destroys_booked_slots(weekend_rule):
    rule_generate_slots(rule=weekend_rule)
    booked = Slot.objects.filter(service=weekend_rule.service).order_by("date", "start_time")[0]
    held = Slot.objects.filter(service=weekend_rule.service).order_by("date", "start_time")[1]
    capacity_book(items=[(booked, 10)], reference="order-line:1")
    capacity_hold(items=[(held, 4)], reference="basket-line:1")
    hand_set = Slot.objects.filter(service=weekend_rule.service).order_by("date", "start_time")[2]
    slot_update(slot=hand_set, capacity=3)

    weekend_rule.capacity = 8
    weekend_rule.save()
    result = rule_generate_slots(rule=weekend_rule)

    assert result.created == 0
    assert result.kept == 2  # booked 10 > 8 and the hand-set slot
    assert Slot.objects.filter(service=weekend_rule.service).count() == result.updated + result.kept
    booked.refresh_from_db()
    held.refresh_from_db()
    hand_set.refresh_from_db()
    assert (booked.capacity, booked.reserved) == (12, 10)
    assert (held.capacity, held.held) == (8, 4)
    assert hand_set.capacity == 3


def test_all_day_rule_for_accommodation(weekend_rule):
    room = ServiceFactory(kind="accommodation", capacity_model="per_unit", max_occupancy=2)
    rule = RuleFactory(service=room, starts_on=dt.date(2030, 1, 1), ends_on=dt.date(2030, 12, 31), weekdays="",
                       start_times="", capacity=4)  # fmt: skip
    assert rule_generate_slots(rule=rule).created == 365
    assert Slot.objects.filter(service=room, all_day=True).count() == 365


def test_freesale_rule_makes_unlimited_slots_and_others_need_a_capacity():
    ticket = ServiceFactory(kind="ticket", capacity_model="freesale")
    rule = RuleFactory(service=ticket, capacity=None, weekdays="", starts_on=dt.date(2030, 5, 1),
                       ends_on=dt.date(2030, 5, 3), start_times="")  # fmt: skip
    rule_generate_slots(rule=rule)
    assert list(Slot.objects.filter(service=ticket).values_list("capacity", flat=True)) == [None] * 3
    limited = RuleFactory(capacity=None)
    with pytest.raises(ValidationError):
        rule_generate_slots(rule=limited)


def test_a_day_can_be_closed_reopened_and_resized_but_not_below_bookings(weekend_rule):
    rule_generate_slots(rule=weekend_rule)
    day = dt.date(2030, 4, 6)
    service = weekend_rule.service
    first = Slot.objects.get(service=service, date=day, start_time=dt.time(10))
    capacity_book(items=[(first, 5)], reference="order-line:9")

    assert day_update(service=service, on=day, closed=True) == 2
    assert set(Slot.objects.filter(service=service, date=day).values_list("closed", flat=True)) == {True}
    day_update(service=service, on=day, closed=False)
    with pytest.raises(ValidationError):
        day_update(service=service, on=day, capacity=4)
    # all or nothing: the 15:00 slot was not resized either
    assert set(Slot.objects.filter(service=service, date=day).values_list("capacity", flat=True)) == {12}
    day_update(service=service, on=day, capacity=6)
    assert set(Slot.objects.filter(service=service, date=day).values_list("capacity", flat=True)) == {6}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_re_running_a_rule_locks_in_pk_order_so_a_concurrent_package_hold_cannot_deadlock():
    """A basket holds two slots of the rule one after the other (a package line adding a component)
    while the operator re-runs the rule. The rule locks slots in pk order like every capacity writer:
    it queues behind the basket instead of locking the second slot first, and nobody deadlocks."""
    room = ServiceFactory(kind="accommodation", capacity_model="per_unit", max_occupancy=2)
    rule = RuleFactory(service=room, starts_on=dt.date(2030, 1, 1), ends_on=dt.date(2030, 12, 31), weekdays="",
                       start_times="", capacity=4)  # fmt: skip
    rule_generate_slots(rule=rule)
    low, high = Slot.objects.filter(service=room).order_by("pk")[:2]
    # Rewriting the low slot moves its row to the end of the table: a scan in table order meets it last.
    capacity_hold(items=[(low, 1)], reference="basket-line:warm-up")
    capacity_release(reference="basket-line:warm-up")
    rule.capacity = 6
    rule.save()
    outcome, holding = {}, threading.Event()

    def basket():
        try:
            with transaction.atomic():
                capacity_hold(items=[(low, 1)], reference="package-line:1:hotel")
                holding.set()
                outcome["rule waited"] = wait_for_a_lock_waiter()
                capacity_hold(items=[(high, 1)], reference="package-line:1:next-night")
            outcome["basket"] = "ok"
        except Exception as exc:  # a deadlock, a lock timeout: the test fails
            outcome["basket"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=basket)
    thread.start()
    try:
        assert holding.wait(10)
        result = rule_generate_slots(rule=rule)
    finally:
        thread.join(30)
    assert outcome == {"rule waited": True, "basket": "ok"}
    assert (result.created, result.updated, result.kept) == (0, 365, 0)
    assert list(Slot.objects.filter(pk__in=[low.pk, high.pk]).order_by("pk").values_list("capacity", "held")) == [
        (6, 1),
        (6, 1),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rule_never_lowers_capacity_below_a_hold_committed_while_it_waited(settings):
    """The rule waits for the slot lock of an open basket, then sees its hold and keeps that slot."""
    rule = RuleFactory(starts_on=dt.date(2030, 5, 4), ends_on=dt.date(2030, 5, 4), weekdays="", start_times="",
                       capacity=5)  # fmt: skip
    rule_generate_slots(rule=rule)
    slot = Slot.objects.get(service=rule.service)
    rule.capacity = 2
    rule.save()
    holding = threading.Event()

    def basket():
        try:
            with transaction.atomic():
                capacity_hold(items=[(slot, 4)], reference="basket-line:big")
                holding.set()
                wait_for_a_lock_waiter()
        finally:
            connection.close()

    thread = threading.Thread(target=basket)
    thread.start()
    try:
        assert holding.wait(10)
        result = rule_generate_slots(rule=rule)
    finally:
        thread.join(30)
    assert (result.updated, result.kept) == (0, 1)
    slot.refresh_from_db()
    assert (slot.capacity, slot.held) == (5, 4)
