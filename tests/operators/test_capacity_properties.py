"""Property tests: random sequences of capacity operations never break the invariants.

After every operation, for every slot: 0 <= held, 0 <= reserved, held + reserved <= capacity (unless
freesale), held equals the sum of its active holds and reserved the sum of its active reservations.
A refused hold changes nothing and is refused only when places really lacked; a release gives back
exactly what the reference held; cancelling twice gives back nothing the second time.
"""

import datetime as dt
from collections import defaultdict

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from operators.capacity import (
    capacity_cancel,
    capacity_confirm,
    capacity_hold,
    capacity_release,
    capacity_release_expired,
)
from operators.exceptions import HoldNotFound, SoldOut
from operators.models import Hold, Reservation, Slot

from .factories import ServiceFactory, SlotFactory

REFERENCES = [f"ref:{i}" for i in range(4)]
TTL = dt.timedelta(minutes=10)

hold_op = st.tuples(
    st.just("hold"),
    st.sampled_from(REFERENCES),
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), min_size=1, max_size=3),
)
ref_op = st.tuples(st.sampled_from(["confirm", "release", "cancel"]), st.sampled_from(REFERENCES), st.none())
tick_op = st.tuples(st.just("tick"), st.integers(1, 12), st.none())
expire_op = st.tuples(st.just("expire"), st.none(), st.none())
operations = st.lists(st.one_of(hold_op, ref_op, tick_op, expire_op), min_size=1, max_size=25)


def snapshot(slots):
    return {
        s["pk"]: (s["held"], s["reserved"]) for s in Slot.objects.filter(pk__in=slots).values("pk", "held", "reserved")
    }


def check_invariants(slots):
    held = defaultdict(
        int, Hold.objects.filter(status=Hold.Status.ACTIVE).values_list("slot").annotate(q=Sum("quantity"))
    )
    reserved = defaultdict(
        int,
        Reservation.objects.filter(status=Reservation.Status.ACTIVE).values_list("slot").annotate(q=Sum("quantity")),
    )
    for slot in Slot.objects.filter(pk__in=slots):
        assert slot.held >= 0 and slot.reserved >= 0
        if slot.capacity is not None:
            assert slot.held + slot.reserved <= slot.capacity
        assert slot.held == held[slot.pk]
        assert slot.reserved == reserved[slot.pk]


def live_free(slot_id, reference, now):
    """Places a new hold of `reference` may take: capacity minus bookings and others' live holds."""
    slot = Slot.objects.get(pk=slot_id)
    if slot.capacity is None:
        return None
    others = (
        Hold.objects.filter(slot=slot, status=Hold.Status.ACTIVE, expires_at__gt=now)
        .exclude(reference=reference)
        .aggregate(q=Sum("quantity"))["q"]
        or 0
    )
    return slot.capacity - slot.reserved - others


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacities=st.lists(st.one_of(st.none(), st.integers(1, 6)), min_size=4, max_size=4), ops=operations)
def test_random_operation_sequences_keep_the_invariants(capacities, ops):
    with transaction.atomic():
        service = ServiceFactory()
        freesale = ServiceFactory(capacity_model="freesale")
        slots = [SlotFactory(service=freesale if cap is None else service, capacity=cap).pk for cap in capacities]
        now = timezone.now()
        for op, arg, extra in ops:
            before = snapshot(slots)
            if op == "tick":
                now += dt.timedelta(minutes=arg)
            elif op == "expire":
                capacity_release_expired(now=now)
                assert not Hold.objects.filter(status=Hold.Status.ACTIVE, expires_at__lte=now).exists()
            elif op == "hold":
                wanted = defaultdict(int)
                for index, quantity in extra:
                    wanted[slots[index]] += quantity
                frees = {pk: live_free(pk, arg, now) for pk in wanted}
                try:
                    capacity_hold(items=list(wanted.items()), reference=arg, now=now, expires_at=now + TTL)
                except SoldOut as error:
                    assert snapshot(slots) == before
                    assert frees[error.slot_id] is not None and frees[error.slot_id] < wanted[error.slot_id]
                else:
                    active = dict(
                        Hold.objects.filter(reference=arg, status=Hold.Status.ACTIVE).values_list("slot_id", "quantity")
                    )
                    assert active == dict(wanted)
            elif op == "release":
                holding = dict(
                    Hold.objects.filter(reference=arg, status=Hold.Status.ACTIVE).values_list("slot_id", "quantity")
                )
                assert capacity_release(reference=arg, now=now) == sum(holding.values())
                after = snapshot(slots)
                for pk in slots:
                    assert before[pk][0] - after[pk][0] == holding.get(pk, 0)
            elif op == "confirm":
                try:
                    capacity_confirm(reference=arg, now=now)
                except (SoldOut, HoldNotFound):
                    assert snapshot(slots) == before
            elif op == "cancel":
                capacity_cancel(reference=arg, now=now)
                middle = snapshot(slots)
                assert capacity_cancel(reference=arg, now=now) == 0
                assert snapshot(slots) == middle
            check_invariants(slots)
        transaction.set_rollback(True)
