"""Row-lock helpers: the one place that decides the order slot rows are locked in.

Every writer of `Slot.held`/`Slot.reserved`/`Slot.capacity` locks through here, in ascending pk
order, so two transactions that need overlapping slot sets queue instead of deadlocking
(pretix `implementation/locking.rst`, Saleor `lock_objects.py`).
"""

from django.db.models import QuerySet

from .models import Slot


def slot_qs_select_for_update() -> QuerySet[Slot]:
    return Slot.objects.order_by("pk").select_for_update()


def slots_lock(slot_ids) -> dict[int, Slot]:
    """Lock the given slots (pk order) and return them by pk; missing ids are simply absent."""
    ids = sorted(set(slot_ids))
    if not ids:
        return {}
    return {slot.pk: slot for slot in slot_qs_select_for_update().filter(pk__in=ids)}
