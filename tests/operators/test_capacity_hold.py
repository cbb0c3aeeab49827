"""capacity_hold: all-or-nothing holds of a slot set, with the reasons a slot refuses."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from operators.capacity import capacity_hold
from operators.exceptions import SoldOut
from operators.models import Hold, Operator, Slot

from .factories import ServiceFactory, SlotFactory

pytestmark = pytest.mark.django_db


def counts(slot):
    slot.refresh_from_db()
    return slot.held, slot.reserved


def test_hold_takes_places_and_records_the_reference():
    slot = SlotFactory(capacity=5)
    holds = capacity_hold(items=[(slot, 3)], reference="basket-line:1")
    assert counts(slot) == (3, 0)
    assert [(h.slot_id, h.quantity, h.reference, h.status) for h in holds] == [
        (slot.pk, 3, "basket-line:1", Hold.Status.ACTIVE)
    ]


def test_multi_slot_hold_is_all_or_nothing_and_names_the_slot_that_lacked_places():
    roomy, tight = SlotFactory(capacity=10), SlotFactory(capacity=2)
    with pytest.raises(SoldOut) as error:
        capacity_hold(items=[(roomy, 3), (tight, 3)], reference="basket-line:2")
    assert (error.value.slot_id, error.value.requested, error.value.available) == (tight.pk, 3, 2)
    assert counts(roomy) == (0, 0) and counts(tight) == (0, 0)
    assert not Hold.objects.exists()


def test_same_slot_twice_in_one_set_is_summed():
    slot = SlotFactory(capacity=4)
    with pytest.raises(SoldOut):
        capacity_hold(items=[(slot, 3), (slot.pk, 2)], reference="basket-line:3")
    capacity_hold(items=[(slot, 2), (slot.pk, 2)], reference="basket-line:3")
    assert counts(slot) == (4, 0)


def test_holding_again_under_the_same_reference_replaces_the_previous_hold():
    first, second = SlotFactory(capacity=4), SlotFactory(capacity=4)
    capacity_hold(items=[(first, 4)], reference="basket-line:4")
    capacity_hold(items=[(second, 2), (first, 1)], reference="basket-line:4")
    assert counts(first) == (1, 0) and counts(second) == (2, 0)
    # the replaced hold's places count as free again for the new hold itself
    capacity_hold(items=[(first, 4)], reference="basket-line:4")
    assert counts(first) == (4, 0) and counts(second) == (0, 0)


def test_expired_holds_do_not_block_a_new_buyer_even_without_the_beat_task():
    slot = SlotFactory(capacity=2)
    now = timezone.now()
    capacity_hold(items=[(slot, 2)], reference="basket-line:5", now=now - dt.timedelta(hours=1),
                  expires_at=now - dt.timedelta(minutes=1))  # fmt: skip
    capacity_hold(items=[(slot, 2)], reference="basket-line:6", now=now)
    assert counts(slot) == (2, 0)
    assert Hold.objects.get(reference="basket-line:5").status == Hold.Status.EXPIRED


def test_freesale_slots_never_sell_out():
    slot = SlotFactory(service=ServiceFactory(capacity_model="freesale"), capacity=None)
    capacity_hold(items=[(slot, 5000)], reference="basket-line:7")
    assert counts(slot) == (5000, 0)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"closed": True}, "closed"),
        ({"blocked": True}, "closed"),
        ({"service_active": False}, "not_sellable"),
        ({"operator_status": Operator.Status.SUSPENDED}, "not_sellable"),
        ({"operator_status": Operator.Status.PENDING}, "not_sellable"),
        ({"starts_in_hours": 10}, "past_cutoff"),
    ],
)
def test_slots_that_cannot_be_sold_refuse_holds(change, reason):
    slot = SlotFactory(capacity=5, service=ServiceFactory(cutoff_hours=24))
    if "starts_in_hours" in change:
        start = timezone.localtime() + dt.timedelta(hours=change["starts_in_hours"])
        Slot.objects.filter(pk=slot.pk).update(date=start.date(), start_time=start.time().replace(microsecond=0))
    if "closed" in change or "blocked" in change:
        Slot.objects.filter(pk=slot.pk).update(**change)
    if "service_active" in change:
        slot.service.is_active = False
        slot.service.save()
    if "operator_status" in change:
        Operator.objects.filter(pk=slot.service.operator_id).update(status=change["operator_status"])
    with pytest.raises(SoldOut) as error:
        capacity_hold(items=[(slot, 1)], reference="basket-line:8")
    assert error.value.reason == reason
    assert counts(slot) == (0, 0)


def test_missing_slot_is_reported():
    with pytest.raises(SoldOut) as error:
        capacity_hold(items=[(987654, 1)], reference="basket-line:9")
    assert error.value.reason == "missing"


def test_bad_quantities_are_refused():
    slot = SlotFactory()
    with pytest.raises(ValueError):
        capacity_hold(items=[(slot, 0)], reference="x")
    with pytest.raises(ValueError):
        capacity_hold(items=[], reference="x")


def test_database_refuses_an_oversold_slot_written_by_other_code():
    slot = SlotFactory(capacity=2)
    with pytest.raises(IntegrityError):
        Slot.objects.filter(pk=slot.pk).update(held=2, reserved=1)


@pytest.mark.postgres
def test_a_hold_nested_in_a_callers_transaction_keeps_the_callers_durable_commit():
    from django.db import connection, transaction

    slot = SlotFactory(capacity=3)
    with transaction.atomic():
        capacity_hold(items=[(slot, 1)], reference="order-line:1")
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
