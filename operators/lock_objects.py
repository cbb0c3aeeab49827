"""Row-lock helpers: the one place that decides the order slot rows are locked in.

Every writer of `Slot.held`/`Slot.reserved`/`Slot.capacity` locks through here, in ascending pk
order, so two transactions that need overlapping slot sets queue instead of deadlocking
(pretix `implementation/locking.rst`, Saleor `lock_objects.py`).
"""

from contextlib import contextmanager

from django.db.models import QuerySet

from .models import Slot

_row_locks = True


@contextmanager
def without_row_locks():
    """FOR THE NO-LOCK CONTROL TEST ONLY (tests/operators/test_capacity_concurrency.py): slot reads
    take no row lock while this is open, in every thread.

    It proves the database's check constraint `operators_slot_not_oversold` is a real backstop: with
    relative counter writes (`F("held") + n`) racing clients without locks still cannot oversell, the
    constraint refuses the write. Never use it anywhere else."""
    global _row_locks
    _row_locks = False
    try:
        yield
    finally:
        _row_locks = True


def slot_qs_select_for_update(*, with_service: bool = False) -> QuerySet[Slot]:
    """Slots locked in pk order. `with_service` reads the service and operator in the same query
    (not locked: `of=("self",)`), saving a round trip while the lock is held."""
    rows = Slot.objects.order_by("pk")
    if not _row_locks:  # the no-lock control only
        return rows.select_related("service__operator") if with_service else rows
    if with_service:
        return rows.select_related("service__operator").select_for_update(of=("self",))
    return rows.select_for_update()


def slots_lock(slot_ids, *, with_service: bool = False) -> dict[int, Slot]:
    """Lock the given slots (pk order) and return them by pk; missing ids are simply absent.

    The statement is one primary-key lookup (`id IN (sorted ids)`). Callers that also need the slots a
    reference already holds read those ids first and pass the union: an OR of the id list and a
    subquery cannot use the primary key, and PostgreSQL then walks the whole slot table while it
    locks (1.5 s at region size, issue 18; tests/operators/test_capacity_query_plans.py)."""
    ids = sorted(set(slot_ids))
    if not ids:
        return {}
    return {slot.pk: slot for slot in slot_qs_select_for_update(with_service=with_service).filter(pk__in=ids)}
