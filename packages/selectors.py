"""Read side of packages: the availability calendar, the slots a booking would take, listings.

A calendar of any length costs three queries whatever the number of components or days: the
components (with their services), their rates, and ONE grouped slot query (`components_day_free`: a
row per service and day, with the rules of `slot_availability`) over every component service for the
whole range stretched by the longest day offset. Each day is then decided in Python
by shifting each component by its day offset (DESIGN.md flow 2: "one query per calendar").
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TimeField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import local_today
from operators.models import PIANA_DI_LUCCA, ROME, Hold, Municipality, Operator, Reservation, Slot
from operators.pricing import Party, service_party_errors
from operators.selectors import SlotAvailability, slot_availability

from .models import CATALOGUE_LISTED, Package, PackageBooking, PackageBookingPart, PackageComponent
from .pricing import (
    ExtraNotOffered,
    PackageNotPriced,
    component_places_needed,
    package_components,
    package_extra_prices,
    package_extras_chosen,
    package_price,
    package_rates,
)


class DayStatus:
    AVAILABLE = "available"
    SOLD_OUT = "sold_out"
    CLOSED = "closed"


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    status: str
    price: Decimal | None = None

    @property
    def is_available(self) -> bool:
        return self.status == DayStatus.AVAILABLE


@dataclass(frozen=True)
class PackageCalendar:
    package_id: int
    party: Party
    days: dict[dt.date, CalendarDay]
    party_errors: tuple[str, ...] = ()

    def cheapest(self) -> CalendarDay | None:
        priced = [d for d in self.days.values() if d.is_available and d.price is not None]
        return min(priced, key=lambda d: (d.price, d.date), default=None)


def _matching_slots(component: PackageComponent, slots: list[SlotAvailability]) -> list[SlotAvailability]:
    if component.start_time is None:
        return slots
    return [s for s in slots if s.start_time == component.start_time]


def _day_status(
    day: dt.date,
    needed: list[tuple[PackageComponent, int]],
    availability: dict[int, dict[dt.date, list[SlotAvailability]]],
    own: dict[int, int] | None = None,
) -> tuple[str, list[tuple[PackageComponent, SlotAvailability, int]]]:
    """Whether every component can take its places on its own day; and which slot each would take.

    `own` gives back, per slot, places the caller itself holds (a basket line re-taking its hold)."""
    own = own or {}
    taken: dict[int, int] = {}  # places already chosen on a slot by an earlier component (same service twice)
    chosen = []
    status = DayStatus.AVAILABLE
    for component, places in needed:
        on = day + dt.timedelta(days=component.day_offset)
        slots = _matching_slots(component, availability.get(component.service_id, {}).get(on, []))
        sellable = [s for s in slots if s.sellable]
        if not sellable:
            return DayStatus.CLOSED, []
        fitting = [
            s for s in sellable
            if s.free is None or s.free + own.get(s.slot_id, 0) - taken.get(s.slot_id, 0) >= places
        ]  # fmt: skip
        if not fitting:
            status = DayStatus.SOLD_OUT
            continue
        taken[fitting[0].slot_id] = taken.get(fitting[0].slot_id, 0) + places
        chosen.append((component, fitting[0], places))
    return status, chosen if status == DayStatus.AVAILABLE else []


CLOSED = object()  # no sellable slot that day
UNLIMITED = None  # a freesale slot: any party fits


def components_day_free(
    *, components: list[PackageComponent], start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[int, dict[dt.date, object]]:
    """Per component and day: the most free places in one sellable slot matching its start time
    (UNLIMITED for freesale, CLOSED when none is sellable), in ONE grouped query.

    The calendar's fast path. It applies the same rules as operators.selectors.slot_availability
    (expired holds do not count; a slot is sellable when its service is active, its operator approved,
    it is neither closed nor blocked and its cut-off has not passed; tests/packages/
    test_package_calendar.py checks both agree) but lets the database reduce a year of slots to one row
    per service and day (MAX of free places, "any freesale"), so a 365-day calendar moves a row per day
    into Python, not one per departure. Rows keep their start time where it still matters: services a
    component pins to a departure time, and the first days where the cut-off is checked exactly in
    Python (with Europe/Rome's DST rules, as slot_availability does). Booking never relies on it:
    add-to-basket picks slots through slot_availability and capacity_hold re-checks under lock."""
    now = now or timezone.now()
    services = {c.service_id: c.service for c in components}
    result: dict[int, dict[dt.date, object]] = {c.pk: {} for c in components}
    sellable = [
        sid
        for sid, service in services.items()
        if service.is_active and service.operator.status == Operator.Status.APPROVED
    ]
    if not sellable:
        return result
    # Only slots starting before now + cut-off (+1 day of slack for time zones) need the exact check.
    check_until = {sid: (now + dt.timedelta(hours=services[sid].cutoff_hours, days=1)).date() for sid in sellable}
    exact_until = max(check_until.values())
    pinned = [c.service_id for c in components if c.start_time is not None]
    expired_held = (
        Hold.objects.filter(slot=OuterRef("pk"), status=Hold.Status.ACTIVE, expires_at__lte=now)
        .order_by()
        .values("slot")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    rows = (
        Slot.objects.filter(service_id__in=sellable, date__gte=start, date__lte=end, closed=False, blocked=False)
        .annotate(
            expired=Coalesce(Subquery(expired_held, output_field=IntegerField()), Value(0)),
            slot_free=Greatest(F("capacity") - (F("held") - F("expired")) - F("reserved"), Value(0)),
            departure=Case(
                When(Q(service_id__in=pinned) | Q(date__lte=exact_until), then=F("start_time")),
                default=Value(None),
                output_field=TimeField(),
            ),
        )
        .order_by()
        .values_list("service_id", "date", "departure")
        .annotate(
            free=Max("slot_free"),
            unlimited=Max(Case(When(capacity__isnull=True, then=Value(1)), default=Value(0))),
        )
    )
    by_service: dict[int, list[tuple]] = {sid: [] for sid in services}
    for service_id, day, start_time, free, unlimited in rows:
        if start_time is not None and day <= check_until[service_id]:
            starts_at = dt.datetime.combine(day, start_time, tzinfo=ROME)
            if now > starts_at - dt.timedelta(hours=services[service_id].cutoff_hours):
                continue
        by_service[service_id].append((day, start_time, UNLIMITED if unlimited else free))
    for component in components:
        best = result[component.pk]
        for day, start_time, free in by_service[component.service_id]:
            if component.start_time is not None and start_time != component.start_time:
                continue
            current = best.get(day, CLOSED)
            if current is UNLIMITED or free is UNLIMITED:
                best[day] = UNLIMITED
            elif current is CLOSED or free > current:
                best[day] = free
    return result


def package_party_errors(*, components: list[PackageComponent], party: Party) -> list[str]:
    """Why this party cannot travel on this package at all (a service's minimum or maximum party)."""
    errors: list[str] = []
    for component in components:
        if component.is_optional:
            continue
        for error in service_party_errors(service=component.service, party=party):
            if error not in errors:
                errors.append(error)
    return errors


def package_calendar(
    *,
    package: Package,
    start: dt.date,
    end: dt.date,
    party: Party,
    now: dt.datetime | None = None,
    components: list[PackageComponent] | None = None,
    rates: dict | None = None,
    day_free: dict | None = None,
) -> PackageCalendar:
    """Status and price of every start day from `start` to `end` (included) for `party`, in 3 queries
    (fewer when the caller passes what it already loaded): components, rates, free places per day.

    `rates` (package_rates) and `day_free` (components_day_free over at least these components and the
    range stretched by the longest day offset) let a caller computing many calendars at once (the
    trade grid, packages.products.bookables_calendar) load them once for all."""
    if components is None:
        components = package_components(package=package)
    included = [c for c in components if not c.is_optional]
    errors = tuple(package_party_errors(components=components, party=party))
    today = local_today()
    if not included or errors:
        closed = {
            start + dt.timedelta(days=i): CalendarDay(start + dt.timedelta(days=i), DayStatus.CLOSED)
            for i in range((end - start).days + 1)
        }
        return PackageCalendar(package.pk, party, closed, errors)
    if rates is None:
        rates = package_rates(components=included)
    last_offset = max(c.day_offset for c in included)
    if day_free is None:
        day_free = components_day_free(
            components=included, start=start, end=end + dt.timedelta(days=last_offset), now=now
        )
    needed = [
        (day_free[c.pk], dt.timedelta(days=c.day_offset), component_places_needed(component=c, party=party))
        for c in included
    ]
    memo: dict = {}
    # Days whose components fall in the same seasons on the same weekdays cost the same: price the first
    # of each through package_price and reuse its total (a year has a few dozen such keys, not 365).
    seasons: dict[int, set] = {sid: set() for sid in rates}
    for service_id, service_rates in rates.items():
        seasons[service_id] = {(r.season_id, r.season.starts_on, r.season.ends_on) for r in service_rates}
    shifted = [(c.service_id, dt.timedelta(days=c.day_offset)) for c in included]
    totals: dict[tuple, object] = {}
    days: dict[dt.date, CalendarDay] = {}
    day = start
    one_day = dt.timedelta(days=1)
    while day <= end:
        status = DayStatus.AVAILABLE if day >= today else DayStatus.CLOSED
        if status == DayStatus.AVAILABLE:
            for best, offset, places in needed:
                free = best.get(day + offset, CLOSED)
                if free is CLOSED:
                    status = DayStatus.CLOSED
                    break
                if free is not UNLIMITED and free < places:
                    status = DayStatus.SOLD_OUT
        price = None
        if status == DayStatus.AVAILABLE:
            key = tuple(
                (tuple(sorted(pk for pk, first, last in seasons[sid] if first <= (day + shift) <= last)),
                 (day + shift).weekday())
                for sid, shift in shifted
            )  # fmt: skip
            if key not in totals:
                try:
                    totals[key] = package_price(
                        package=package, on=day, party=party, components=included, rates=rates, memo=memo
                    ).total
                except PackageNotPriced:
                    totals[key] = None
            price = totals[key]
            if price is None:
                status = DayStatus.CLOSED
        days[day] = CalendarDay(day, status, price)
        day += one_day
    return PackageCalendar(package.pk, party, days, errors)


class PackageUnavailable(Exception):
    """The package cannot be booked on that date for that party; `message` is for the customer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SlotChoice:
    component: PackageComponent
    slot_id: int
    date: dt.date
    start_time: dt.time
    all_day: bool
    places: int


def _own_holds(reference: str | Iterable[str] | None, now: dt.datetime | None) -> dict[int, int]:
    """Places per slot that live holds under `reference` (or several) keep: a basket line's own hold,
    replaced by the new one; a partner's allotments, which its booking takes from."""
    own: dict[int, int] = {}
    references = [reference] if isinstance(reference, str) else list(reference or ())
    if references:
        live = Hold.objects.filter(
            reference__in=references, status=Hold.Status.ACTIVE, expires_at__gt=now or timezone.now()
        ).values_list("slot_id", "quantity")
        for slot_id, held in live:
            own[slot_id] = own.get(slot_id, 0) + held
    return own


def package_slot_choice(
    *,
    package: Package,
    on: dt.date,
    party: Party,
    extras: Iterable[int] = (),
    quantity: int = 1,
    now: dt.datetime | None = None,
    own_reference: str | Iterable[str] | None = None,
    components: list[PackageComponent] | None = None,
) -> list[SlotChoice]:
    """The slot each included component, and each chosen optional extra (component ids in `extras`),
    would take for a booking starting `on` (one availability query). Raises PackageUnavailable with
    the reason, naming the extra when only an extra cannot be had. The capacity service re-checks
    under lock.

    `own_reference`: live holds under it count as free (they are replaced by the new hold), so a line
    holding the last places can refresh its hold. `components`: the package's components when the
    caller has them (a single service sold alone is a package of one unsaved component:
    packages.products)."""
    all_components = components if components is not None else package_components(package=package)
    components = [c for c in all_components if not c.is_optional]
    if not components:
        raise PackageUnavailable(str(_("This package has nothing to book yet.")))
    try:
        chosen_extras = package_extras_chosen(components=all_components, extras=extras)
    except ExtraNotOffered:
        raise PackageUnavailable(str(_("This optional extra is not offered with this package."))) from None
    errors = package_party_errors(components=components, party=party)
    if errors:
        raise PackageUnavailable(" ".join(str(e) for e in errors))
    for extra in chosen_extras:
        extra_errors = service_party_errors(service=extra.service, party=party)
        if extra_errors:
            raise PackageUnavailable(f"{extra.service.name}: {' '.join(str(e) for e in extra_errors)}")
    wanted = components + chosen_extras
    last_offset = max(c.day_offset for c in wanted)
    availability = slot_availability(
        service_ids={c.service_id for c in wanted}, start=on, end=on + dt.timedelta(days=last_offset), now=now
    )
    needed = [(c, component_places_needed(component=c, party=party) * quantity) for c in wanted]
    own = _own_holds(own_reference, now)
    status, chosen = _day_status(on, needed[: len(components)], availability, own)
    if status == DayStatus.CLOSED:
        raise PackageUnavailable(str(_("This package cannot be booked on this date.")))
    if status == DayStatus.SOLD_OUT:
        raise PackageUnavailable(str(_("Not enough places left on this date for your party.")))
    # Each chosen extra in turn, with the places of the components before it already counted (an extra
    # on the same slot as an included component), so the message names the extra that does not fit.
    for count in range(len(components) + 1, len(wanted) + 1):
        status, chosen = _day_status(on, needed[:count], availability, own)
        if status != DayStatus.AVAILABLE:
            raise PackageUnavailable(extra_unavailable_message(extra=wanted[count - 1], status=status))
    return [SlotChoice(c, slot.slot_id, slot.date, slot.start_time, slot.all_day, places) for c, slot, places in chosen]


def extra_unavailable_message(*, extra: PackageComponent, status: str) -> str:
    """The customer's message when the package fits but a chosen extra does not: which one, and why."""
    if status == DayStatus.SOLD_OUT:
        return str(
            _("The optional extra “%(name)s” is sold out on this date for your party. Untick it to book the package.")
            % {"name": extra.service.name}
        )
    return str(_("The optional extra “%(name)s” cannot be booked on this date.") % {"name": extra.service.name})


@dataclass(frozen=True)
class ExtraOption:
    """One optional extra as the package page offers it for a date and a party."""

    component: PackageComponent
    price: Decimal | None  # what ticking it adds to the total (markup included); None: no rate that day
    status: str  # a DayStatus
    reason: str = ""  # why it cannot be chosen, for the customer

    @property
    def is_available(self) -> bool:
        return self.status == DayStatus.AVAILABLE and self.price is not None


def package_extra_options(
    *,
    package: Package,
    on: dt.date,
    party: Party,
    components: list[PackageComponent] | None = None,
    rates: dict | None = None,
    now: dt.datetime | None = None,
) -> list[ExtraOption]:
    """The package's optional extras for a booking starting `on`: what each adds to the price and
    whether it has places (one availability query for all of them, none without extras).

    Each extra is judged alone, as the customer ticks it; package_slot_choice judges the chosen set
    together (and the capacity service under lock) when the line is added."""
    if components is None:
        components = package_components(package=package)
    extras = [c for c in components if c.is_optional]
    if not extras:
        return []
    try:
        prices = package_extra_prices(package=package, on=on, party=party, components=components, rates=rates)
    except PackageNotPriced:
        prices = {}
    last_offset = max(c.day_offset for c in extras)
    availability = slot_availability(
        service_ids={c.service_id for c in extras},
        start=on + dt.timedelta(days=min(c.day_offset for c in extras)),
        end=on + dt.timedelta(days=last_offset),
        now=now,
    )
    options = []
    for extra in extras:
        price = prices.get(extra.pk)
        errors = service_party_errors(service=extra.service, party=party)
        if errors:
            options.append(ExtraOption(extra, price, DayStatus.CLOSED, " ".join(str(e) for e in errors)))
            continue
        status, _chosen = _day_status(on, [(extra, component_places_needed(component=extra, party=party))],
                                      availability)  # fmt: skip
        if status == DayStatus.AVAILABLE and price is None:
            status = DayStatus.CLOSED
        reason = {
            DayStatus.AVAILABLE: "",
            DayStatus.SOLD_OUT: str(_("Sold out on this date for your party")),
            DayStatus.CLOSED: str(_("Not available on this date")),
        }[status]
        options.append(ExtraOption(extra, price if status == DayStatus.AVAILABLE else None, status, reason))
    return options


@dataclass(frozen=True)
class Departure:
    """One departure time of a single service sold alone, as its package page offers it for a day."""

    start_time: dt.time
    free: int | None  # places left (None: no limit)
    is_available: bool  # the party fits and it is still sellable (cut-off, closed, blocked)


def single_service_departures(
    *, package: Package, on: dt.date, party: Party, components: list[PackageComponent] | None = None, now=None
) -> list[Departure]:
    """The departure times of a single service's package on `on`, each with whether the party fits, so
    the visitor picks one (10:00, 11:30, 15:00, 17:00 for a city walk). Empty for packages assembled by
    staff (their components pin their own times) and for all-day services (a night, a day's rental).
    One query."""
    if not package.is_single_service:
        return []
    components = components if components is not None else package_components(package=package)
    included = [c for c in components if not c.is_optional]
    if len(included) != 1:
        return []
    component = included[0]
    places = component_places_needed(component=component, party=party)
    slots = slot_availability(service_ids={component.service_id}, start=on, end=on, now=now)
    return [
        Departure(slot.start_time, slot.free, slot.can_take(places))
        for slot in sorted(slots.get(component.service_id, {}).get(on, []), key=lambda s: s.start_time)
        if not slot.all_day and not slot.closed and not slot.blocked  # a closed departure is not offered
    ]


def package_extras_named(*, ids) -> list[PackageComponent]:
    """The chosen extras of a line (component ids) with their services, for showing (one query, none
    without extras). An id whose component was deleted since is left out."""
    if not ids:
        return []
    return list(PackageComponent.objects.filter(pk__in=ids).select_related("service").order_by("day", "position", "pk"))


def month_weeks(*, year: int, month: int) -> list[list[dt.date | None]]:
    """The month as weeks Monday to Sunday, None outside the month (the page's calendar grid)."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[d if d.month == month else None for d in week] for week in weeks]


def published_packages() -> QuerySet[Package]:
    return Package.objects.filter(status=Package.Status.PUBLISHED)


def operator_booking_parts(*, operator, start: dt.date, end: dt.date) -> QuerySet[PackageBookingPart]:
    """An operator's confirmed parts of package bookings with service dates in [start, end]."""
    return (
        PackageBookingPart.objects.filter(
            operator=operator, date__gte=start, date__lte=end, booking__status=PackageBooking.Status.CONFIRMED
        )
        .select_related("service", "booking", "booking__package", "booking__order_line__order")
        .order_by("date", "start_time", "pk")
    )


@dataclass(frozen=True)
class OrderPartRow:
    """One operator's part of a booked package, with whether its places are still reserved (read from
    the capacity reservations themselves, so staff see what the slots really hold)."""

    part: PackageBookingPart
    reserved: bool


@dataclass(frozen=True)
class OrderBookingRow:
    booking: PackageBooking
    party: Party
    parts: list[OrderPartRow]


def order_package_bookings(*, order) -> list[OrderBookingRow]:
    """The package lines of an order for Oscar's dashboard: date, party, each operator's part and its
    reservation status. Three queries whatever the number of lines and parts."""
    bookings = list(
        PackageBooking.objects.filter(order_line__order=order)
        .select_related("package", "order_line")
        .prefetch_related(
            Prefetch("parts", PackageBookingPart.objects.select_related("operator", "service", "redeemed_by"))
        )
        .order_by("starts_on", "pk")
    )
    active = set(
        Reservation.objects.filter(
            reference__in=[b.capacity_reference for b in bookings], status=Reservation.Status.ACTIVE
        ).values_list("reference", "slot_id")
    )
    return [
        OrderBookingRow(
            booking=booking,
            party=Party.from_dict(booking.party),
            parts=[
                OrderPartRow(part=part, reserved=(booking.capacity_reference, part.slot_id) in active)
                for part in booking.parts.all()
            ],
        )
        for booking in bookings
    ]


# --- the shop's catalogue ---------------------------------------------------------------------------

CATALOGUE_AREA_GROUPS = {
    "piana-di-lucca": tuple(str(code) for code in PIANA_DI_LUCCA),
    "casentino": tuple(str(code) for code in Municipality.values if code not in PIANA_DI_LUCCA),
}
CATALOGUE_DURATIONS = {"1": (1, 1), "2-3": (2, 3), "4+": (4, None)}
# Ties broken by pk in the sort's direction, so one index (price_from, id) serves both price orders.
CATALOGUE_SORTS = {"price": ("price_from", "pk"), "-price": ("-price_from", "-pk"), "duration": ("duration_days", "pk")}


# What the catalogue's "kind" filter lists: packages assembled by staff (the default: the shop's own
# products, a few dozen, that a hundred operators' single services would otherwise bury), single
# services sold alone (experiences, tickets, stays: their automatic one-component packages), or both.
CATALOGUE_KINDS = {
    "": Q(single_service__isnull=True),
    "single": Q(single_service__isnull=False),
    "all": Q(),
}


def package_qs_catalogue(
    *,
    kind: str = "",
    area: str = "",
    theme: str = "",
    scheme=None,
    duration: str = "",
    max_price: Decimal | None = None,
    sort: str = "",
    today: dt.date | None = None,
) -> QuerySet[Package]:
    """Published packages the shop can sell, filtered for the catalogue, with their first photo.

    Only published packages with an Oscar product and a "from" price (the number the package page
    shows, kept by `package_sync_product`): a withdrawn package or one with no sellable day in the
    coming year never appears. `kind` (CATALOGUE_KINDS): staff's packages by default, the single
    services sold alone ("single") or both ("all"). The label filter is certifications' `subject_qs_with_label`, the same
    rule (own award, or every component's service or operator) the badges are computed with.
    """
    from django.db.models import OuterRef, Subquery

    from certifications.selectors import subject_qs_with_label

    from .models import PackagePhoto

    first_photo = PackagePhoto.objects.filter(package=OuterRef("pk")).order_by("position", "pk").values("image")
    qs = (
        Package.objects.filter(CATALOGUE_LISTED)  # the predicate of the catalogue's partial indexes
        .select_related("product")
        .annotate(first_photo=Subquery(first_photo[:1]))
        .filter(CATALOGUE_KINDS.get(kind, CATALOGUE_KINDS[""]))
    )
    if area:
        qs = qs.filter(area__in=CATALOGUE_AREA_GROUPS.get(area, (area,)))
    if theme:
        qs = qs.filter(themes__regex=rf"(^|,)\s*{re.escape(theme)}\s*(,|$)")
    if duration in CATALOGUE_DURATIONS:
        low, high = CATALOGUE_DURATIONS[duration]
        qs = qs.filter(duration_days__gte=low)
        if high is not None:
            qs = qs.filter(duration_days__lte=high)
    if max_price is not None:
        qs = qs.filter(price_from__lte=max_price)
    if scheme is not None:
        qs = subject_qs_with_label(queryset=qs, scheme=scheme, today=today)
    return qs.order_by(*CATALOGUE_SORTS.get(sort, ("title", "pk")))


def package_catalogue_areas() -> list[tuple[str, str]]:
    """Area filter options: the two valleys, then the municipalities that have published packages."""
    present = set(
        Package.objects.filter(status=Package.Status.PUBLISHED, product__isnull=False).values_list("area", flat=True)
    )
    labels = dict(Municipality.choices)
    groups = [("piana-di-lucca", _("Piana di Lucca")), ("casentino", _("Casentino"))]
    return groups + [(code, labels[code]) for code in Municipality.values if code in present]
