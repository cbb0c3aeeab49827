"""Read-side queries. Availability of many services over many days comes from ONE query.

slot_availability(*, service_ids, start, end, now=None) -> dict[int, dict[date, list[SlotAvailability]]]
    every slot of those services in [start, end], with free places that already discount expired
    holds (so a calendar never shows a day as full because of an abandoned basket).
service_day_availability(*, service_ids, start, end, places=1, now=None) -> dict[int, dict[date, DayAvailability]]
    per service and day: is there a bookable slot with `places` free? (packages' calendars)
operator_for_user(*, user) -> Operator | None
operator_services(*, operator) -> QuerySet[Service]
operator_bookings(*, operator, status=None) -> QuerySet[Reservation]
operator_active_holds(*, operator, now=None) -> QuerySet[Hold]
sellable_services() -> QuerySet[Service]
operator_qs_public() / service_qs_public() / service_offers(*, services)   the public destination site
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .exceptions import NoRate
from .models import ROME, Hold, Operator, OperatorMembership, OperatorPhoto, Rate, Reservation, Service, Slot


@dataclass(frozen=True)
class SlotAvailability:
    slot_id: int
    service_id: int
    date: dt.date
    start_time: dt.time
    all_day: bool
    capacity: int | None
    held: int  # live holds only (expired ones are already discounted)
    reserved: int
    closed: bool
    blocked: bool
    sellable: bool  # service active, operator approved, not closed or blocked, before the cut-off

    @property
    def free(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.held - self.reserved, 0)

    def can_take(self, places: int) -> bool:
        return self.sellable and (self.free is None or self.free >= places)


@dataclass(frozen=True)
class DayAvailability:
    date: dt.date
    capacity: int | None  # sum over the day's slots; None when any is freesale
    held: int
    reserved: int
    closed: bool  # every slot closed or blocked
    bookable: bool  # at least one slot can take the requested places
    best_free: int | None  # the most free places in one slot (None = unlimited)
    slots: tuple[SlotAvailability, ...]

    @property
    def free(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.held - self.reserved, 0)


def slot_availability(
    *, service_ids, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[int, dict[dt.date, list[SlotAvailability]]]:
    """All slots of `service_ids` from `start` to `end` (included), in one query."""
    now = now or timezone.now()
    expired_held = (
        Hold.objects.filter(slot=OuterRef("pk"), status=Hold.Status.ACTIVE, expires_at__lte=now)
        .order_by()
        .values("slot")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    rows = (
        Slot.objects.filter(service_id__in=list(service_ids), date__gte=start, date__lte=end)
        .annotate(expired_held=Coalesce(Subquery(expired_held, output_field=IntegerField()), Value(0)))
        .order_by("service_id", "date", "start_time")
        .values_list(
            "pk",
            "service_id",
            "date",
            "start_time",
            "all_day",
            "capacity",
            "held",
            "reserved",
            "closed",
            "blocked",
            "expired_held",
            "service__is_active",
            "service__cutoff_hours",
            "service__operator__status",
        )  # fmt: skip
    )
    result: dict[int, dict[dt.date, list[SlotAvailability]]] = defaultdict(lambda: defaultdict(list))
    for (pk, service_id, day, start_time, all_day, capacity, held, reserved, closed, blocked, expired,
         active, cutoff, operator_status) in rows:  # fmt: skip
        starts_at = dt.datetime.combine(day, start_time, tzinfo=ROME)
        sellable = (
            active
            and operator_status == Operator.Status.APPROVED
            and not closed
            and not blocked
            and now <= starts_at - dt.timedelta(hours=cutoff)
        )
        result[service_id][day].append(
            SlotAvailability(
                pk,
                service_id,
                day,
                start_time,
                all_day,
                capacity,
                held - expired,
                reserved,
                closed,
                blocked,
                bool(sellable),
            )  # fmt: skip
        )
    return {service_id: dict(days) for service_id, days in result.items()}


def service_day_availability(
    *, service_ids, start: dt.date, end: dt.date, places: int = 1, now: dt.datetime | None = None
) -> dict[int, dict[dt.date, DayAvailability]]:
    """Per service and day, the day's totals and whether one slot can take `places` (one query)."""
    result: dict[int, dict[dt.date, DayAvailability]] = {}
    for service_id, days in slot_availability(service_ids=service_ids, start=start, end=end, now=now).items():
        result[service_id] = {}
        for day, slots in days.items():
            unlimited = any(s.capacity is None for s in slots)
            frees = [s.free for s in slots if s.sellable]
            best = None if any(f is None for f in frees) else max(frees, default=0)
            result[service_id][day] = DayAvailability(
                date=day,
                capacity=None if unlimited else sum(s.capacity for s in slots),
                held=sum(s.held for s in slots),
                reserved=sum(s.reserved for s in slots),
                closed=all(s.closed or s.blocked for s in slots),
                bookable=any(s.can_take(places) for s in slots),
                best_free=best,
                slots=tuple(slots),
            )
    return result


def operator_for_user(*, user) -> Operator | None:
    """The operator a user works for (the first one when several; memberships are rare to share)."""
    if not user.is_authenticated:
        return None
    membership = OperatorMembership.objects.filter(user=user).select_related("operator").order_by("pk").first()
    return membership.operator if membership else None


def operator_services(*, operator: Operator) -> QuerySet[Service]:
    return Service.objects.filter(operator=operator).order_by("name")


def operator_bookings(*, operator: Operator, status: str | None = None) -> QuerySet[Reservation]:
    rows = Reservation.objects.filter(slot__service__operator=operator).select_related("slot", "slot__service")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-slot__date", "-pk")


def operator_active_holds(*, operator: Operator, now: dt.datetime | None = None) -> QuerySet[Hold]:
    now = now or timezone.now()
    return (
        Hold.objects.filter(slot__service__operator=operator, status=Hold.Status.ACTIVE, expires_at__gt=now)
        .select_related("slot", "slot__service")
        .order_by("expires_at")
    )


def sellable_services() -> QuerySet[Service]:
    """Services that may be sold: active, of an approved operator."""
    return Service.objects.filter(is_active=True, operator__status=Operator.Status.APPROVED).select_related("operator")


# --- the public destination site (operators/public_views.py, operators/offers.py) -----------------

PUBLIC_HORIZON_DAYS = 120  # how far ahead "next available dates" and "price from" look


@dataclass(frozen=True)
class ServiceOffer:
    """What a tourist sees of a service before choosing: its next bookable days and a price from."""

    service_id: int
    next_dates: tuple[dt.date, ...]
    price_from: Decimal | None  # one adult (or one unit) on the first bookable day; None: no date or rate
    price_valid_until: dt.date | None = None  # the last day of the season whose rate gives price_from


def operator_qs_public() -> QuerySet[Operator]:
    """Operators the public may see: approved only (pending, suspended, rejected are not there)."""
    return Operator.objects.filter(status=Operator.Status.APPROVED)


def service_qs_public() -> QuerySet[Service]:
    """Services the public may see, with their operator (one join) and the operator's first photo's
    file name (a subquery), so a page of cards needs no query per card."""
    first_photo = OperatorPhoto.objects.filter(operator=OuterRef("operator_id")).order_by("position", "pk")
    return (
        sellable_services()
        .annotate(first_photo=Subquery(first_photo.values("image")[:1]))
        .order_by("operator__name", "name", "pk")
    )


def service_offers(
    *, services, days: int = PUBLIC_HORIZON_DAYS, dates_shown: int = 5, now: dt.datetime | None = None
) -> dict[int, ServiceOffer]:
    """Next bookable days and price-from of many services in two queries (slots, rates), whatever
    their number: the public pages and the offer cards list dozens of services at once.

    The price is `pricing.service_price` for a party of one adult on the service's first bookable
    day, so it is a price the tourist can actually buy (never a rate of a season with no dates)."""
    from .pricing import Party, service_price

    services = list(services)
    if not services:
        return {}
    now = now or timezone.now()
    today = timezone.localdate(now)
    availability = service_day_availability(
        service_ids=[s.pk for s in services], start=today, end=today + dt.timedelta(days=days), now=now
    )
    rates: dict[int, list[Rate]] = {s.pk: [] for s in services}
    for rate in Rate.objects.filter(season__service__in=[s.pk for s in services]).select_related("season"):
        rates[rate.season.service_id].append(rate)
    party = Party(adults=1)
    result = {}
    for service in services:
        days_ = availability.get(service.pk, {})
        bookable = tuple(sorted(day for day, info in days_.items() if info.bookable))
        price = valid_until = None
        if bookable:
            try:
                breakdown = service_price(service=service, on=bookable[0], party=party, rates=rates[service.pk])
            except NoRate:
                breakdown = None
            if breakdown is not None:
                price = breakdown.total
                seasons = {rate.season_id: rate.season for rate in rates[service.pk]}
                season = seasons.get(breakdown.season_id)
                valid_until = season.ends_on if season is not None else None
        result[service.pk] = ServiceOffer(service.pk, bookable[:dates_shown], price, valid_until)
    return result
