"""capacity_confirm, capacity_release, capacity_cancel, capacity_book and expiry."""

import datetime as dt

import pytest
from django.utils import timezone

from operators.capacity import (
    capacity_book,
    capacity_cancel,
    capacity_confirm,
    capacity_hold,
    capacity_release,
    capacity_release_expired,
)
from operators.exceptions import HoldNotFound, SoldOut
from operators.models import Hold, Reservation
from operators.tasks import capacity_release_expired_task

from .factories import SlotFactory

pytestmark = pytest.mark.django_db


def counts(*slots):
    result = []
    for slot in slots:
        slot.refresh_from_db()
        result.append((slot.held, slot.reserved))
    return result


def test_confirm_turns_every_hold_of_the_reference_into_a_reservation_once():
    a, b = SlotFactory(capacity=5), SlotFactory(capacity=5)
    capacity_hold(items=[(a, 2), (b, 1)], reference="order-line:1")
    reservations = capacity_confirm(reference="order-line:1")
    assert sorted((r.slot_id, r.quantity) for r in reservations) == [(a.pk, 2), (b.pk, 1)]
    assert counts(a, b) == [(0, 2), (0, 1)]
    again = capacity_confirm(reference="order-line:1")  # the webhook arrives twice
    assert {r.pk for r in again} == {r.pk for r in reservations}
    assert counts(a, b) == [(0, 2), (0, 1)]


def test_confirm_without_anything_held_says_so():
    with pytest.raises(HoldNotFound):
        capacity_confirm(reference="order-line:404")


def test_late_confirm_retakes_places_if_still_free_else_sold_out():
    slot = SlotFactory(capacity=2)
    past = timezone.now() - dt.timedelta(hours=1)
    capacity_hold(items=[(slot, 2)], reference="order-line:2", now=past, expires_at=past + dt.timedelta(minutes=5))
    assert capacity_release_expired() == 1
    assert counts(slot) == [(0, 0)]
    capacity_confirm(reference="order-line:2")  # paid late, nobody took the places meanwhile
    assert counts(slot) == [(0, 2)]

    other = SlotFactory(capacity=2)
    capacity_hold(items=[(other, 2)], reference="order-line:3", now=past, expires_at=past + dt.timedelta(minutes=5))
    capacity_hold(items=[(other, 1)], reference="order-line:4")  # a new buyer takes a place first
    with pytest.raises(SoldOut):
        capacity_confirm(reference="order-line:3")
    assert counts(other) == [(1, 0)]


def test_release_gives_back_exactly_what_the_hold_took_and_is_idempotent():
    slot = SlotFactory(capacity=5)
    capacity_hold(items=[(slot, 3)], reference="basket-line:1")
    capacity_hold(items=[(slot, 1)], reference="basket-line:2")
    assert capacity_release(reference="basket-line:1") == 3
    assert capacity_release(reference="basket-line:1") == 0
    assert counts(slot) == [(1, 0)]
    assert Hold.objects.get(reference="basket-line:1").status == Hold.Status.RELEASED


def test_cancel_is_idempotent():
    slot = SlotFactory(capacity=5)
    capacity_book(items=[(slot, 4)], reference="partner-booking:1")
    assert counts(slot) == [(0, 4)]
    assert capacity_cancel(reference="partner-booking:1") == 4
    assert capacity_cancel(reference="partner-booking:1") == 0
    assert counts(slot) == [(0, 0)]
    assert Reservation.objects.get().status == Reservation.Status.CANCELLED


def test_book_is_all_or_nothing():
    slot = SlotFactory(capacity=1)
    with pytest.raises(SoldOut):
        capacity_book(items=[(slot, 2)], reference="partner-booking:2")
    assert counts(slot) == [(0, 0)]
    assert not Reservation.objects.exists()


def test_release_expired_leaves_live_holds_alone():
    slot = SlotFactory(capacity=10)
    now = timezone.now()
    soon = now + dt.timedelta(minutes=1)
    capacity_hold(items=[(slot, 2)], reference="old", now=now, expires_at=soon)
    capacity_hold(items=[(slot, 3)], reference="live", now=now)
    assert capacity_release_expired(now=soon + dt.timedelta(seconds=1)) == 1
    assert counts(slot) == [(3, 0)]
    assert capacity_release_expired(now=soon + dt.timedelta(seconds=1)) == 0


def test_expiry_task_calls_the_service_in_batches():
    now = timezone.now()
    slots = SlotFactory.create_batch(5, capacity=3)
    for i, slot in enumerate(slots):
        capacity_hold(items=[(slot, 3)], reference=f"b:{i}", now=now - dt.timedelta(hours=1),
                      expires_at=now - dt.timedelta(minutes=1))  # fmt: skip
    assert capacity_release_expired_task.delay(batch_size=2).get() == 5
    assert counts(*slots) == [(0, 0)] * 5
