"""Many real clients race for the last places on PostgreSQL: exactly the free places are sold."""

import random
import threading

import pytest
from django.db import connection

from operators.capacity import capacity_book, capacity_hold
from operators.exceptions import LockTimeout, SoldOut
from operators.lock_objects import without_row_locks
from operators.models import Hold, Slot

from .factories import ServiceFactory, SlotFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 24


def race(work, clients=CLIENTS, *, refused=(SoldOut,)):
    """Run `work(i)` in `clients` threads released together; return (successes, refused, errors).

    `refused` are the exceptions that count as a clean refusal (SoldOut; LockTimeout in the no-lock
    control, where the check constraint refuses the write)."""
    barrier = threading.Barrier(clients)
    outcomes = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            work(i)
            outcome = "ok"
        except refused:
            outcome = "sold_out"
        except Exception as exc:  # any other error is a failure of the test
            outcome = exc
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a client hung (deadlock?)"
    errors = [o for o in outcomes if o not in ("ok", "sold_out")]
    return outcomes.count("ok"), outcomes.count("sold_out"), errors


def test_last_places_of_one_slot_go_to_exactly_as_many_clients():
    slot = SlotFactory(capacity=20, held=12, reserved=3)  # 5 places left
    ok, sold_out, errors = race(lambda i: capacity_hold(items=[(slot.pk, 1)], reference=f"basket-line:{i}"))
    assert errors == []
    assert (ok, sold_out) == (5, CLIENTS - 5)
    slot.refresh_from_db()
    assert (slot.held, slot.reserved) == (17, 3)
    assert Hold.objects.filter(status=Hold.Status.ACTIVE).count() == 5


def test_without_locks_the_check_constraint_still_refuses_the_oversell():
    """The no-lock control: the constraint, not only the locks, keeps the invariant.

    With the row locks switched off every client reads 5 free places and writes its hold. Counters are
    written relatively (`held = held + 1`), so the sixth write breaks `operators_slot_not_oversold`
    and is refused as a clean LockTimeout (try again); absolute writes would have let all 24 "succeed"
    on 5 places while `held` said 13."""
    slot = SlotFactory(capacity=20, held=12, reserved=3)  # 5 places left
    with without_row_locks():
        ok, refused, errors = race(
            lambda i: capacity_hold(items=[(slot.pk, 1)], reference=f"basket-line:{i}"), refused=(SoldOut, LockTimeout)
        )
    assert errors == []
    assert (ok, refused) == (5, CLIENTS - 5)
    slot.refresh_from_db()
    assert (slot.held, slot.reserved) == (17, 3)
    assert Hold.objects.filter(status=Hold.Status.ACTIVE).count() == 5


def test_multi_slot_holds_race_without_deadlock_and_sell_exactly_the_scarcest_slot():
    service = ServiceFactory()
    roomy, scarce, middle = (SlotFactory(service=service, capacity=c) for c in (100, 3, 50))
    ids = [roomy.pk, scarce.pk, middle.pk]

    def hold_in_any_order(i):
        items = [(pk, 1) for pk in ids]
        random.Random(i).shuffle(items)  # callers list slots in any order: the service sorts them
        capacity_hold(items=items, reference=f"package-line:{i}")

    ok, sold_out, errors = race(hold_in_any_order)
    assert errors == []
    assert (ok, sold_out) == (3, CLIENTS - 3)
    assert list(Slot.objects.filter(pk__in=ids).order_by("pk").values_list("held", flat=True)) == [3, 3, 3]


def test_direct_bookings_and_holds_mixed_never_oversell():
    slot = SlotFactory(capacity=7)

    def work(i):
        if i % 2:
            capacity_book(items=[(slot.pk, 2)], reference=f"partner-booking:{i}")
        else:
            capacity_hold(items=[(slot.pk, 1)], reference=f"basket-line:{i}")

    ok, sold_out, errors = race(work)
    assert errors == []
    slot.refresh_from_db()
    assert slot.held + slot.reserved <= 7
    assert slot.held + slot.reserved >= 6  # nothing was refused while a place a client wanted was left
    assert ok + sold_out == CLIENTS


def test_a_lock_held_too_long_is_a_clean_lock_timeout(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 200
    slot = SlotFactory(capacity=5)
    locked, release = threading.Event(), threading.Event()

    def keep_locked():
        from django.db import transaction

        try:
            with transaction.atomic():
                Slot.objects.select_for_update().get(pk=slot.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=keep_locked)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(LockTimeout):
            capacity_hold(items=[(slot, 1)], reference="basket-line:late")
    finally:
        release.set()
        holder.join()
    capacity_hold(items=[(slot, 1)], reference="basket-line:late")  # the connection is usable again
    slot.refresh_from_db()
    assert slot.held == 1
