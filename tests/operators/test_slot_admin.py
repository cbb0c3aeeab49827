"""Saving a slot in Django admin never overwrites the held and booked counters (issue 11, item 9)."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from operators.capacity import capacity_hold
from operators.models import Hold, Reservation, Slot
from tests.factories import UserFactory
from tests.operators.locks import wait_for_a_lock_waiter

from .factories import SlotFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_url(slot) -> str:
    return f"/django-admin/operators/slot/{slot.pk}/change/"


def form_data(slot, **changes) -> dict:
    data = {
        "service": slot.service_id,
        "rule": "",
        "date": slot.date.isoformat(),
        "start_time": slot.start_time.strftime("%H:%M:%S"),
        "capacity": slot.capacity,
    }
    return {**data, **changes}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_hold_taken_while_the_admin_saves_the_slot_is_kept(admin_client):
    slot = SlotFactory(capacity=10)
    assert admin_client.get(change_url(slot)).status_code == 200
    holding, saw_waiter = threading.Event(), []

    def buyer():
        """A basket holds 2 places; its transaction commits only once the admin's save is waiting."""
        try:
            with transaction.atomic():
                capacity_hold(items=[(slot.pk, 2)], reference="basket-line:1")
                holding.set()
                saw_waiter.append(wait_for_a_lock_waiter())
        finally:
            connection.close()

    thread = threading.Thread(target=buyer)
    thread.start()
    try:
        assert holding.wait(10)
        response = admin_client.post(change_url(slot), form_data(slot, capacity=8))
    finally:
        thread.join(20)
    assert saw_waiter == [True]
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.held, slot.reserved) == (8, 2, 0)
    assert Hold.objects.get(reference="basket-line:1").status == Hold.Status.ACTIVE


@pytest.mark.django_db
def test_the_admin_refuses_a_capacity_below_what_is_held_with_a_form_error(admin_client):
    slot = SlotFactory(capacity=10)
    capacity_hold(items=[(slot.pk, 4)], reference="basket-line:2")
    response = admin_client.post(change_url(slot), form_data(slot, capacity=3))
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    slot.refresh_from_db()
    assert (slot.capacity, slot.held) == (10, 4)


@pytest.mark.django_db
def test_the_admin_form_has_no_held_or_reserved_field(admin_client):
    slot = SlotFactory(capacity=10)
    form = admin_client.get(change_url(slot)).context["adminform"].form
    assert not {"held", "reserved"} & set(form.fields)
    assert Slot.objects.get(pk=slot.pk).held == 0


@pytest.mark.django_db
def test_an_existing_slot_keeps_its_day_and_service_and_a_capacity_set_here_is_kept_by_rules(admin_client):
    """Moving a slot would move its holds to another day outside the capacity service; a capacity set by
    hand here stays when the rule is re-run, as one set in the operator area does."""
    slot = SlotFactory(capacity=10)
    capacity_hold(items=[(slot.pk, 2)], reference="basket-line:3")
    other_day = slot.date + dt.timedelta(days=1)
    response = admin_client.post(change_url(slot), form_data(slot, capacity=12, date=other_day.isoformat()))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.date, slot.capacity, slot.capacity_locked, slot.held) == (slot.date, 12, True, 2)
    assert Slot.objects.filter(date=other_day, service=slot.service).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["hold", "reservation"])
def test_holds_and_reservations_cannot_be_added_or_deleted_in_the_admin(admin_client, model):
    """A deleted hold would leave its places counted on the slot for good: only capacity_release does it."""
    slot = SlotFactory(capacity=10)
    capacity_hold(items=[(slot.pk, 2)], reference="basket-line:4")
    if model == "reservation":
        from operators.capacity import capacity_confirm

        capacity_confirm(reference="basket-line:4")
    row = (Hold if model == "hold" else Reservation).objects.get(reference="basket-line:4", slot=slot)
    assert admin_client.get(f"/django-admin/operators/{model}/add/").status_code == 403
    assert admin_client.post(f"/django-admin/operators/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get(f"/django-admin/operators/{model}/{row.pk}/change/").status_code == 200
    assert type(row).objects.filter(pk=row.pk).exists()
