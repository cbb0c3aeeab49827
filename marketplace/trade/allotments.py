"""Allotments: places of a service reserved for one partner, released to general sale before each date.

An allotment is a hold in operators.capacity under `Allotment.capacity_reference`, one row per slot,
each expiring at its slot's release time (`release_days` before the slot starts). Unbooked places go
back to general sale by the capacity service's own expiry: whenever anyone locks the slot, and in
batches by the beat task. Bookings take places out of it with capacity_take (trade.bookings).
docs/locking.md, "Allotments and partner bookings".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from operators.capacity import capacity_allot, capacity_release
from operators.exceptions import SoldOut
from operators.models import Hold, Service, Slot

from .models import Allotment, Contract, TradeBookingPart, TradePartner


class AllotmentRefused(Exception):
    """Some dates cannot take the allotment; `dates` lists every one of them. Nothing was created."""

    def __init__(self, message: str, dates: list[dt.date]):
        super().__init__(message)
        self.message = message
        self.dates = dates


def release_time(slot: Slot, release_days: int) -> dt.datetime:
    """When an allotment's places on `slot` go back to general sale."""
    return slot.starts_at - dt.timedelta(days=release_days)


def allotment_slots(
    *, service: Service, starts_on: dt.date, ends_on: dt.date, weekdays: str = "", start_time: dt.time | None = None
):
    """The slots an allotment of this shape covers (a queryset, date order)."""
    slots = Slot.objects.filter(service=service, date__gte=starts_on, date__lte=ends_on).order_by("date", "start_time")
    if start_time is not None:
        slots = slots.filter(start_time=start_time)
    if weekdays:
        # Django's week_day runs 1 (Sunday) to 7 (Saturday); ours 0 (Monday) to 6 (Sunday).
        slots = slots.filter(date__week_day__in=[(int(d) + 1) % 7 + 1 for d in weekdays])
    return slots


def _days(starts_on: dt.date, ends_on: dt.date, weekdays: str):
    day = starts_on
    while day <= ends_on:
        if not weekdays or str(day.weekday()) in weekdays:
            yield day
        day += dt.timedelta(days=1)


def allotment_create(
    *,
    contract: Contract,
    service: Service,
    starts_on: dt.date,
    ends_on: dt.date,
    quantity: int,
    release_days: int,
    weekdays: str = "",
    start_time: dt.time | None = None,
    by=None,
    now: dt.datetime | None = None,
) -> Allotment:
    """Reserve `quantity` places for the contract's partner on every matching slot, all or nothing.

    Every day that cannot take them (no departure, closed, not enough free places, already inside the
    release period, outside the contract) is listed in AllotmentRefused; nothing is created then, not
    even when a buyer takes the places between this check and the lock (the capacity service refuses
    under the lock and the row is rolled back with it)."""
    now = now or timezone.now()
    if starts_on > ends_on:
        raise AllotmentRefused(_("The allotment ends before it starts."), [])
    if quantity < 1:
        raise AllotmentRefused(_("An allotment needs at least one place per date."), [])
    slots = list(
        allotment_slots(service=service, starts_on=starts_on, ends_on=ends_on, weekdays=weekdays, start_time=start_time)
    )
    by_day: dict[dt.date, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.date].append(slot)
    refused: list[dt.date] = []
    for day in _days(starts_on, ends_on, weekdays):
        day_slots = by_day.get(day, [])
        if (
            not day_slots
            or not (contract.valid_from <= day <= contract.valid_to)
            or any(
                s.closed
                or s.blocked
                or release_time(s, release_days) <= now
                or (s.free is not None and s.free < quantity)
                for s in day_slots
            )
        ):
            refused.append(day)
    if refused:
        raise AllotmentRefused(
            _(
                "These dates cannot take %(n)d places (no departure, closed, booked up or inside the release period): %(dates)s"
            )
            % {"n": quantity, "dates": ", ".join(d.strftime("%d/%m/%Y") for d in refused)},
            refused,
        )
    try:
        with transaction.atomic():
            allotment = Allotment.objects.create(
                contract=contract,
                service=service,
                starts_on=starts_on,
                ends_on=ends_on,
                weekdays=weekdays,
                start_time=start_time,
                quantity=quantity,
                release_days=release_days,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
            capacity_allot(
                items=[(s, quantity, release_time(s, release_days)) for s in slots],
                reference=allotment.capacity_reference,
                now=now,
            )
    except SoldOut as exc:
        day = next((s.date for s in slots if s.pk == exc.slot_id), None)
        raise AllotmentRefused(
            _("Someone booked these places a moment ago: %(dates)s")
            % {"dates": day.strftime("%d/%m/%Y") if day else ""},
            [day] if day else [],
        ) from exc
    return allotment


def allotment_release(*, allotment: Allotment) -> int:
    """Give every place still held by the allotment back to general sale now; returns how many."""
    with transaction.atomic():
        released = capacity_release(reference=allotment.capacity_reference)
        Allotment.objects.filter(pk=allotment.pk).update(status=Allotment.Status.RELEASED)
    allotment.status = Allotment.Status.RELEASED
    return released


def allotment_remaining(*, partner: TradePartner, slot_ids, now: dt.datetime | None = None) -> dict[int, int]:
    """Places the partner's allotments still hold on each of `slot_ids` (live holds only), one query."""
    now = now or timezone.now()
    references = partner_allotment_references(partner=partner)
    if not references:
        return {}
    rows = (
        Hold.objects.filter(
            reference__in=references, slot_id__in=list(slot_ids), status=Hold.Status.ACTIVE, expires_at__gt=now
        )
        .values("slot_id")
        .annotate(n=Sum("quantity"))
    )
    return {row["slot_id"]: row["n"] for row in rows}


def partner_allotment_references(*, partner: TradePartner) -> list[str]:
    """The capacity references of the partner's active allotments (the `source` of its bookings)."""
    ids = Allotment.objects.filter(contract__partner=partner, status=Allotment.Status.ACTIVE).values_list(
        "pk", flat=True
    )
    return [f"allotment:{pk}" for pk in ids]


def allotment_usage(*, allotment: Allotment, now: dt.datetime | None = None) -> dict[str, int]:
    """Places allotted (quantity × slots covered), booked from it, still held, and released unbooked."""
    now = now or timezone.now()
    slots = allotment_slots(
        service=allotment.service,
        starts_on=allotment.starts_on,
        ends_on=allotment.ends_on,
        weekdays=allotment.weekdays,
        start_time=allotment.start_time,
    )
    allotted = slots.count() * allotment.quantity
    booked = (
        TradeBookingPart.objects.filter(
            booking__partner_id=allotment.contract.partner_id,
            service_id=allotment.service_id,
            date__gte=allotment.starts_on,
            date__lte=allotment.ends_on,
            booking__status__in=["confirmed", "pending", "on_hold"],
        ).aggregate(n=Sum("from_allotment"))["n"]
        or 0
    )
    held = (
        Hold.objects.filter(
            reference=allotment.capacity_reference, status=Hold.Status.ACTIVE, expires_at__gt=now
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return {"allotted": allotted, "booked": booked, "held": held, "released": max(allotted - booked - held, 0)}


def allotments_mark_released(*, now: dt.datetime | None = None) -> int:
    """Mark RELEASED the active allotments whose last date is past its release time (nothing is held
    any more: the capacity service expired each slot's hold on time). Returns how many."""
    now = now or timezone.now()
    done = [
        a.pk
        for a in Allotment.objects.filter(status=Allotment.Status.ACTIVE)
        if dt.datetime.combine(a.ends_on, dt.time(23, 59), tzinfo=timezone.get_current_timezone())
        - dt.timedelta(days=a.release_days)
        <= now
    ]
    Allotment.objects.filter(pk__in=done).update(status=Allotment.Status.RELEASED)
    return len(done)
