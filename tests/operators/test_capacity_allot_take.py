"""capacity_allot (an allotment's holds, each with its own release time) and capacity_take (a partner
booking that uses an allotment first, then general sale)."""

import datetime as dt

import pytest
from django.utils import timezone

from operators.capacity import capacity_allot, capacity_confirm, capacity_hold, capacity_take
from operators.exceptions import SoldOut
from operators.models import Hold, Reservation

from .factories import SlotFactory

pytestmark = pytest.mark.django_db


def counts(*slots):
    result = []
    for slot in slots:
        slot.refresh_from_db()
        result.append((slot.held, slot.reserved))
    return result


def test_allot_holds_each_slot_until_its_own_release_time():
    now = timezone.now()
    a, b = SlotFactory(capacity=10), SlotFactory(capacity=10)
    capacity_allot(
        items=[(a, 4, now + dt.timedelta(days=1)), (b, 3, now + dt.timedelta(days=2))], reference="allotment:1"
    )
    expiry = dict(Hold.objects.filter(reference="allotment:1").values_list("slot_id", "expires_at"))
    assert expiry == {a.pk: now + dt.timedelta(days=1), b.pk: now + dt.timedelta(days=2)}
    assert counts(a, b) == [(4, 0), (3, 0)]


def test_allot_is_all_or_nothing():
    now = timezone.now()
    a, b = SlotFactory(capacity=10), SlotFactory(capacity=2)
    with pytest.raises(SoldOut) as refused:
        capacity_allot(
            items=[(a, 4, now + dt.timedelta(days=1)), (b, 3, now + dt.timedelta(days=1))], reference="allotment:2"
        )
    assert refused.value.slot_id == b.pk
    assert not Hold.objects.filter(reference="allotment:2").exists()
    assert counts(a, b) == [(0, 0), (0, 0)]


def test_take_uses_the_allotment_first_then_free_places():
    slot = SlotFactory(capacity=10)
    capacity_allot(items=[(slot, 4, timezone.now() + dt.timedelta(days=5))], reference="allotment:3")
    taken = capacity_take(items=[(slot, 6)], reference="trade:1", source="allotment:3")
    assert [(t.quantity, t.from_source) for t in taken] == [(6, 4)]
    assert counts(slot) == [(0, 6)]  # the allotment is used up, nothing held for it any more
    assert Hold.objects.get(reference="allotment:3").status == Hold.Status.CONFIRMED
    assert Reservation.objects.get(reference="trade:1").quantity == 6


def test_take_from_the_allotment_does_not_need_free_places():
    slot = SlotFactory(capacity=6)
    capacity_allot(items=[(slot, 4, timezone.now() + dt.timedelta(days=5))], reference="allotment:4")
    capacity_hold(items=[(slot, 2)], reference="order-line:9")  # general sale is sold out
    taken = capacity_take(items=[(slot, 3)], reference="trade:2", source=["allotment:4"])
    assert taken[0].from_source == 3
    assert Hold.objects.get(reference="allotment:4").quantity == 1
    assert counts(slot) == [(3, 3)]
    with pytest.raises(SoldOut):  # one left in the allotment, none for sale
        capacity_take(items=[(slot, 2)], reference="trade:3", source="allotment:4")
    assert counts(slot) == [(3, 3)]
    assert not Reservation.objects.filter(reference="trade:3").exists()


def test_take_without_general_sale_refuses_beyond_the_allotment():
    slot = SlotFactory(capacity=20)
    capacity_allot(items=[(slot, 2, timezone.now() + dt.timedelta(days=5))], reference="allotment:5")
    with pytest.raises(SoldOut):
        capacity_take(items=[(slot, 3)], reference="trade:4", source="allotment:5", general=False)
    assert counts(slot) == [(2, 0)]


def test_an_expired_allotment_gives_nothing_and_its_places_are_free_again():
    now = timezone.now()
    slot = SlotFactory(capacity=5)
    capacity_allot(items=[(slot, 5, now + dt.timedelta(minutes=1))], reference="allotment:6")
    later = now + dt.timedelta(minutes=2)
    taken = capacity_take(items=[(slot, 5)], reference="trade:5", source="allotment:6", now=later)
    assert taken[0].from_source == 0  # released: booked from general sale
    assert counts(slot) == [(0, 5)]
    assert Hold.objects.get(reference="allotment:6").status == Hold.Status.EXPIRED


def test_take_as_a_hold_waits_for_confirmation():
    now = timezone.now()
    slot = SlotFactory(capacity=5)
    capacity_allot(items=[(slot, 2, now + dt.timedelta(days=5))], reference="allotment:7")
    capacity_take(items=[(slot, 3)], reference="trade:6", source="allotment:7", hold_until=now + dt.timedelta(hours=48))
    assert counts(slot) == [(3, 0)]  # 0 left in the allotment, 3 held by the pending booking
    capacity_confirm(reference="trade:6")
    assert counts(slot) == [(0, 3)]
