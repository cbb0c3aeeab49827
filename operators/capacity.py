"""The capacity service: the ONLY code that changes how many places of a slot are held or booked.

The shop (basket lines, paid orders), the trade channel (partner bookings, allotments) and the API
all call these functions; none of them touches `Slot.held` or `Slot.reserved` itself. See
docs/locking.md for the why.

Public API (keyword-only; every function runs in one transaction and may be nested inside the
caller's own, e.g. order placement, in which case the slot locks last until that one commits):

    capacity_hold(*, items, reference, ttl=None, expires_at=None, now=None) -> list[Hold]
        items: iterable of (slot or slot_id, quantity). Holds the whole set or nothing. An existing
        hold under the same reference is replaced in the same transaction (a basket line changing
        its date or party). Raises SoldOut (which slot, why), LockTimeout.
    capacity_confirm(*, reference, now=None) -> list[Reservation]
        Turns the reference's holds into reservations. Idempotent (a second call returns the
        reservations). A hold that already expired is re-taken if places are still free, else SoldOut.
        Raises HoldNotFound when the reference has neither holds nor reservations.
    capacity_book(*, items, reference, now=None) -> list[Reservation]
        hold + confirm in one transaction (a partner booking on account).
    capacity_allot(*, items, reference, now=None) -> list[Hold]
        items: (slot or slot_id, quantity, expires_at): a hold per slot with its own expiry (an
        allotment released `release_days` before each date). All or nothing, as capacity_hold.
    capacity_take(*, items, reference, source=None, general=True, hold_until=None, now=None) -> list[Taken]
        A partner booking: takes each slot's places first from the active holds of `source` (an
        allotment's reference), then, when `general`, from free places; books them as reservations, or
        as holds until `hold_until` (on request, an API reserve). All or nothing, under one lock.
    capacity_release(*, reference) -> int       places given back; 0 when nothing was held (idempotent)
    capacity_cancel(*, reference) -> int        places given back; 0 the second time (idempotent)
    capacity_release_expired(*, now=None, batch_size=500) -> int   used by the beat task
    capacity_transaction(*, ephemeral=False)   the transaction all of them run in (see below)

Locking policy (DESIGN.md, pretix): lock late, once per transaction, all slots in pk order, check
only after the lock is held. Holds that expired are released on the locked slots before checking,
so an expired basket never blocks the next buyer even when Celery beat is not running (the demo
runs Celery eagerly, without beat). A lock wait longer than CAPACITY_LOCK_TIMEOUT_MS (PostgreSQL
`lock_timeout`) raises LockTimeout, a clean "try again", never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .exceptions import HoldNotFound, LockTimeout, SoldOut
from .lock_objects import slots_lock
from .models import Hold, Operator, Reservation, Slot


class Taken(NamedTuple):
    """What capacity_take took on one slot: `quantity` places, `from_source` of them from the source."""

    slot_id: int
    quantity: int
    from_source: int


DEFAULT_HOLD_TTL = dt.timedelta(minutes=getattr(settings, "CAPACITY_HOLD_MINUTES", 20))
_RETRYABLE_SQLSTATES = {"55P03", "40P01", "40001"}  # lock_not_available, deadlock, serialization
_SLOT_COUNT_CONSTRAINTS = {"operators_slot_not_oversold", "operators_slot_not_negative"}


def _is_retryable(exc: BaseException) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in _RETRYABLE_SQLSTATES


def _is_slot_count_violation(exc: BaseException) -> bool:
    """The slot's check constraints refused a counter write: someone changed the counters without the
    lock (see `_save_counts`). Retrying re-reads them under the lock and answers SoldOut if need be."""
    diag = getattr(exc.__cause__, "diag", None)
    return (getattr(diag, "constraint_name", None) or "") in _SLOT_COUNT_CONSTRAINTS


@contextmanager
def capacity_transaction(*, ephemeral: bool = False):
    """One transaction with a bounded lock wait; lock waits and deadlocks surface as LockTimeout.

    `ephemeral=True` (holds only) commits without waiting for the WAL flush
    (`synchronous_commit = off`), so the slot lock is not held across an fsync. A database crash
    can then lose the last fraction of a second of holds: places come back, nothing is oversold
    (PostgreSQL stays consistent), and the basket simply holds again. Paid confirmations and
    cancellations keep the durable commit. Nested in a caller's transaction, the caller's
    durability is never changed.

    A counter write refused by the slot's check constraints (only possible when something changed
    the counters without the lock) is also a LockTimeout: try again, never a 500."""
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                timeout = f"{int(getattr(settings, 'CAPACITY_LOCK_TIMEOUT_MS', 3000))}ms"
                sql = "SELECT set_config('lock_timeout', %s, true)"
                if ephemeral and outermost:
                    sql += ", set_config('synchronous_commit', 'off', true)"
                with connection.cursor() as cursor:
                    cursor.execute(sql, [timeout])
            yield
    except OperationalError as exc:
        if _is_retryable(exc):
            raise LockTimeout() from exc
        raise
    except IntegrityError as exc:
        if _is_slot_count_violation(exc):
            raise LockTimeout() from exc
        raise


def _normalise_items(items: Iterable[tuple[Slot | int, int]]) -> dict[int, int]:
    wanted: dict[int, int] = defaultdict(int)
    for slot, quantity in items:
        quantity = int(quantity)
        if quantity < 1:
            raise ValueError("a hold needs a quantity of at least 1")
        wanted[slot.pk if isinstance(slot, Slot) else int(slot)] += quantity
    if not wanted:
        raise ValueError("a hold needs at least one slot")
    return dict(wanted)


def _expire_on_locked(slots: dict[int, Slot], now: dt.datetime) -> set[int]:
    """Release every expired active hold of the locked slots (in memory on `slots`); return changed ids."""
    expired = list(
        Hold.objects.filter(slot_id__in=slots.keys(), status=Hold.Status.ACTIVE, expires_at__lte=now).values_list(
            "pk", "slot_id", "quantity"
        )
    )
    if not expired:
        return set()
    Hold.objects.filter(pk__in=[pk for pk, _, _ in expired]).update(status=Hold.Status.EXPIRED, closed_at=now)
    for _, slot_id, quantity in expired:
        slots[slot_id].held -= quantity
    return {slot_id for _, slot_id, _ in expired}


def _lock(slot_ids, *, with_service: bool = False) -> dict[int, Slot]:
    """`slots_lock`, remembering the counters as read under the lock so `_save_counts` writes changes."""
    slots = slots_lock(slot_ids, with_service=with_service)
    for slot in slots.values():
        slot.counted = (slot.held, slot.reserved)
    return slots


def _save_counts(slots: dict[int, Slot], changed: Iterable[int]) -> None:
    """Write what changed on each slot as a relative update (`held = held + n`), never an absolute value.

    Under the slot lock both are the same. Without it (a bug, a writer that forgot the lock) an absolute
    write would silently lose the other transaction's update and oversell; a relative one adds up, and
    the check constraint `operators_slot_not_oversold` refuses the write that would oversell."""
    for slot_id in sorted(set(changed)):
        slot = slots[slot_id]
        held, reserved = slot.counted
        if (slot.held, slot.reserved) != (held, reserved):
            Slot.objects.filter(pk=slot_id).update(
                held=F("held") + (slot.held - held), reserved=F("reserved") + (slot.reserved - reserved)
            )
        slot.counted = (slot.held, slot.reserved)


def _check_bookable(
    slots: dict[int, Slot], wanted: dict[int, int], now: dt.datetime, *, reserved_for: dict[int, int] | None = None
) -> None:
    """Raise SoldOut for the first slot (pk order) that cannot take its quantity.

    `reserved_for`: places per slot the caller takes from a hold of its own (an allotment): they need no
    free places, but the slot must still be sellable, open and before its cut-off.
    Expects slots locked with `with_service=True` (service and operator read with the lock)."""
    reserved_for = reserved_for or {}
    for slot_id in sorted(wanted):
        quantity = wanted[slot_id]
        slot = slots.get(slot_id)
        if slot is None:
            raise SoldOut(slot_id=slot_id, requested=quantity, available=None, reason="missing")
        service = slot.service
        if not service.is_active or service.operator.status != Operator.Status.APPROVED:
            raise SoldOut(slot_id=slot_id, requested=quantity, available=None, reason="not_sellable")
        if slot.closed or slot.blocked:
            raise SoldOut(slot_id=slot_id, requested=quantity, available=None, reason="closed")
        if now > slot.starts_at - dt.timedelta(hours=service.cutoff_hours):
            raise SoldOut(slot_id=slot_id, requested=quantity, available=None, reason="past_cutoff")
        free = slot.free
        needed = quantity - reserved_for.get(slot_id, 0)
        if free is not None and needed > 0 and free < needed:
            raise SoldOut(slot_id=slot_id, requested=quantity, available=max(free, 0) + reserved_for.get(slot_id, 0))


def capacity_hold(
    *,
    items: Iterable[tuple[Slot | int, int]],
    reference: str,
    ttl: dt.timedelta | None = None,
    expires_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    expiries: dict[int, dt.datetime] | None = None,
) -> list[Hold]:
    """Hold `quantity` places on every slot of `items` under `reference` until `expires_at`
    (default now + CAPACITY_HOLD_MINUTES), all or nothing. `expiries` (slot id -> time) overrides it
    per slot (capacity_allot).

    Hot path: one index read of the slots the reference already holds (no lock); one statement that
    locks those and the requested slots by primary key, reading their service and operator; then one
    read of the holds to expire or replace, one insert, one update per slot, and the commit."""
    wanted = _normalise_items(items)
    now = now or timezone.now()
    expires_at = expires_at or now + (ttl or DEFAULT_HOLD_TTL)
    with capacity_transaction(ephemeral=True):
        previous = Hold.objects.filter(reference=reference, status=Hold.Status.ACTIVE).values_list("slot_id", flat=True)
        slots = _lock(wanted.keys() | set(previous), with_service=True)
        # One read after the lock: expired holds of these slots, and this reference's earlier holds.
        # A UNION, not an OR: each half is its own index lookup (slot and expiry; reference).
        columns = ("pk", "slot_id", "quantity", "status", "reference")
        rows = (
            Hold.objects.filter(slot_id__in=slots.keys(), status=Hold.Status.ACTIVE, expires_at__lte=now)
            .order_by()
            .values_list(*columns)
            .union(
                Hold.objects.filter(reference=reference, status__in=[Hold.Status.ACTIVE, Hold.Status.EXPIRED])
                .order_by()
                .values_list(*columns)
            )
        )
        expired, superseded, changed = [], [], set()
        for pk, slot_id, quantity, status, ref in rows:
            if status == Hold.Status.ACTIVE:
                if slot_id not in slots:  # the same reference is being re-held concurrently
                    raise LockTimeout()
                slots[slot_id].held -= quantity
                changed.add(slot_id)
            # Superseded (and expired) holds of this reference must never be confirmed later.
            (superseded if ref == reference else expired).append(pk)
        if expired:
            Hold.objects.filter(pk__in=expired).update(status=Hold.Status.EXPIRED, closed_at=now)
        if superseded:
            Hold.objects.filter(pk__in=superseded).update(status=Hold.Status.RELEASED, closed_at=now)
        _check_bookable(slots, wanted, now)
        holds = Hold.objects.bulk_create(
            [
                Hold(
                    slot_id=slot_id,
                    reference=reference,
                    quantity=quantity,
                    expires_at=(expiries or {}).get(slot_id, expires_at),
                )
                for slot_id, quantity in sorted(wanted.items())
            ]
        )
        for slot_id, quantity in wanted.items():
            slots[slot_id].held += quantity
            changed.add(slot_id)
        _save_counts(slots, changed)
    return holds


def capacity_confirm(*, reference: str, now: dt.datetime | None = None) -> list[Reservation]:
    """Turn the holds of `reference` into reservations (the order is paid, the booking confirmed)."""
    now = now or timezone.now()
    with capacity_transaction():
        slot_ids = set(
            Hold.objects.filter(reference=reference, status__in=[Hold.Status.ACTIVE, Hold.Status.EXPIRED]).values_list(
                "slot_id", flat=True
            )
        )
        slots = _lock(slot_ids)
        changed = _expire_on_locked(slots, now)
        holds = list(
            Hold.objects.filter(
                reference=reference, status__in=[Hold.Status.ACTIVE, Hold.Status.EXPIRED], slot_id__in=slots.keys()
            )
        )
        if not holds:
            existing = list(Reservation.objects.filter(reference=reference, status=Reservation.Status.ACTIVE))
            if existing:
                return existing  # already confirmed: a webhook delivered twice
            raise HoldNotFound(reference)
        for hold in holds:  # ordered by pk, created in slot order
            slot = slots[hold.slot_id]
            if hold.status == Hold.Status.ACTIVE:
                slot.held -= hold.quantity
            elif slot.free is not None and slot.free < hold.quantity:
                raise SoldOut(slot_id=slot.pk, requested=hold.quantity, available=max(slot.free, 0))
            slot.reserved += hold.quantity
            changed.add(slot.pk)
        Hold.objects.filter(pk__in=[h.pk for h in holds]).update(status=Hold.Status.CONFIRMED, closed_at=now)
        reservations = Reservation.objects.bulk_create(
            [Reservation(slot_id=h.slot_id, hold=h, reference=reference, quantity=h.quantity) for h in holds]
        )
        _save_counts(slots, changed)
    return reservations


def capacity_book(
    *, items: Iterable[tuple[Slot | int, int]], reference: str, now: dt.datetime | None = None
) -> list[Reservation]:
    """Hold and confirm in one transaction: a booking that is final at once (trade on account)."""
    now = now or timezone.now()
    with capacity_transaction():
        capacity_hold(items=items, reference=reference, now=now)
        return capacity_confirm(reference=reference, now=now)


def capacity_allot(
    *, items: Iterable[tuple[Slot | int, int, dt.datetime]], reference: str, now: dt.datetime | None = None
) -> list[Hold]:
    """Hold an allotment's places: `quantity` on each slot until its own `expires_at` (the release time),
    all or nothing (SoldOut names the first slot that cannot take it). Expiry then gives unbooked
    places back to general sale like any hold's, on the locked slots or by the beat task."""
    items = list(items)
    expiries = {(s.pk if isinstance(s, Slot) else int(s)): at for s, _, at in items}
    return capacity_hold(items=[(s, q) for s, q, _ in items], reference=reference, expiries=expiries, now=now)


def capacity_take(
    *,
    items: Iterable[tuple[Slot | int, int]],
    reference: str,
    source: str | Iterable[str] | None = None,
    general: bool = True,
    hold_until: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> list[Taken]:
    """Book `quantity` places on every slot of `items` under `reference`, all or nothing, taking them
    first from the live holds of `source` (a partner's allotment reference, or several) and then, when
    `general`, from the free places. The places become reservations, or holds expiring at `hold_until` (a booking waiting
    for the operator, an API reserve not yet confirmed; capacity_confirm finishes it).

    One lock of the slots (pk order), the same policy as capacity_hold: places move from the
    allotment's hold to the booking inside the transaction, so an allotment never gives more than it
    holds and the slot's counters never count a place twice. Raises SoldOut (reason "sold_out" when
    neither the allotment nor general sale has the places), LockTimeout."""
    wanted = _normalise_items(items)
    now = now or timezone.now()
    with capacity_transaction():
        slots = _lock(wanted.keys(), with_service=True)
        changed = _expire_on_locked(slots, now)
        source_holds: dict[int, list[Hold]] = defaultdict(list)
        sources = [source] if isinstance(source, str) else list(source or ())
        if sources:
            holds = Hold.objects.filter(reference__in=sources, status=Hold.Status.ACTIVE, slot_id__in=slots.keys())
            for hold in holds.order_by("expires_at", "pk"):  # the allotment released soonest is used first
                source_holds[hold.slot_id].append(hold)
        from_source = {
            slot_id: min(quantity, sum(h.quantity for h in source_holds[slot_id]))
            for slot_id, quantity in wanted.items()
        }
        if not general:
            for slot_id in sorted(wanted):
                if wanted[slot_id] > from_source[slot_id]:
                    raise SoldOut(slot_id=slot_id, requested=wanted[slot_id], available=from_source[slot_id])
        _check_bookable(slots, wanted, now, reserved_for=from_source)
        used_up, shrunk = [], []
        for slot_id, count in from_source.items():
            for hold in source_holds[slot_id]:
                if count == 0:
                    break
                take = min(count, hold.quantity)
                count -= take
                slots[slot_id].held -= take
                changed.add(slot_id)
                if take == hold.quantity:
                    used_up.append(hold.pk)  # keeps its last quantity; closed as confirmed (all booked)
                else:
                    hold.quantity -= take
                    shrunk.append(hold)
        if used_up:
            Hold.objects.filter(pk__in=used_up).update(status=Hold.Status.CONFIRMED, closed_at=now)
        if shrunk:
            Hold.objects.bulk_update(shrunk, ["quantity"])
        if hold_until is not None:
            Hold.objects.bulk_create(
                [
                    Hold(slot_id=slot_id, reference=reference, quantity=quantity, expires_at=hold_until)
                    for slot_id, quantity in sorted(wanted.items())
                ]
            )
        else:
            Reservation.objects.bulk_create(
                [
                    Reservation(slot_id=slot_id, reference=reference, quantity=quantity)
                    for slot_id, quantity in sorted(wanted.items())
                ]
            )
        for slot_id, quantity in wanted.items():
            if hold_until is not None:
                slots[slot_id].held += quantity
            else:
                slots[slot_id].reserved += quantity
            changed.add(slot_id)
        _save_counts(slots, changed)
    return [Taken(slot_id, wanted[slot_id], from_source[slot_id]) for slot_id in sorted(wanted)]


def capacity_release(*, reference: str, now: dt.datetime | None = None) -> int:
    """Give back the active holds of `reference` (basket emptied). Returns the places given back."""
    now = now or timezone.now()
    slot_ids = set(
        Hold.objects.filter(reference=reference, status=Hold.Status.ACTIVE).values_list("slot_id", flat=True)
    )
    if not slot_ids:
        return 0
    with capacity_transaction():
        slots = _lock(slot_ids)
        holds = list(
            Hold.objects.filter(reference=reference, status=Hold.Status.ACTIVE, slot_id__in=slots.keys()).values_list(
                "pk", "slot_id", "quantity"
            )
        )
        for _, slot_id, quantity in holds:
            slots[slot_id].held -= quantity
        Hold.objects.filter(pk__in=[pk for pk, _, _ in holds]).update(status=Hold.Status.RELEASED, closed_at=now)
        _save_counts(slots, {slot_id for _, slot_id, _ in holds})
    return sum(quantity for _, _, quantity in holds)


def capacity_cancel(*, reference: str, now: dt.datetime | None = None) -> int:
    """Cancel the active reservations of `reference`. Idempotent: a second call gives back 0."""
    now = now or timezone.now()
    slot_ids = set(
        Reservation.objects.filter(reference=reference, status=Reservation.Status.ACTIVE).values_list(
            "slot_id", flat=True
        )
    )
    if not slot_ids:
        return 0
    with capacity_transaction():
        slots = _lock(slot_ids)
        rows = list(
            Reservation.objects.filter(
                reference=reference, status=Reservation.Status.ACTIVE, slot_id__in=slots.keys()
            ).values_list("pk", "slot_id", "quantity")
        )
        for _, slot_id, quantity in rows:
            slots[slot_id].reserved -= quantity
        Reservation.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(
            status=Reservation.Status.CANCELLED, cancelled_at=now
        )
        _save_counts(slots, {slot_id for _, slot_id, _ in rows})
    return sum(quantity for _, _, quantity in rows)


def capacity_release_expired(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Release expired holds on at most `batch_size` slots; returns the number of holds released.

    The beat task calls it in a loop of bounded batches so one run never holds many locks at once."""
    now = now or timezone.now()
    slot_ids = set(
        Hold.objects.filter(status=Hold.Status.ACTIVE, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("slot_id", flat=True)[:batch_size]
    )
    if not slot_ids:
        return 0
    with capacity_transaction(ephemeral=True):  # lost in a crash? the next run releases them again
        slots = _lock(slot_ids)
        released = Hold.objects.filter(slot_id__in=slots.keys(), status=Hold.Status.ACTIVE, expires_at__lte=now).count()
        _save_counts(slots, _expire_on_locked(slots, now))
    return released
