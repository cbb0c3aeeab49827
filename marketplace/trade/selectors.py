"""The portal's reads: the availability grid and the partner's bookings.

The grid costs a constant number of queries whatever the number of products and days: the contract's
packages and services (2), their components, rates and free places (3, packages.products.bookables_load),
the contract's net prices (1), the partner's allotments (1) and what they still hold per slot (1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from certifications.selectors import subject_qs_with_label
from operators.models import Hold
from operators.pricing import Party
from packages.products import Bookable, bookables_calendar, bookables_load
from packages.selectors import CLOSED, UNLIMITED, DayStatus

from .contracts import contract_packages, contract_services
from .models import Allotment, Contract, TradeBooking, TradePartner
from .pricing import TradeNotPriced, contract_net, contract_net_prices


@dataclass(frozen=True)
class GridCell:
    date: dt.date
    status: str  # packages.selectors.DayStatus
    free: int | None  # None: free sale (no limit)
    allotment: int  # places left in the partner's allotments that day
    net: Decimal | None


@dataclass(frozen=True)
class GridRow:
    item: Bookable
    cells: list[GridCell]


@dataclass(frozen=True)
class GridFilters:
    area: str = ""
    kind: str = ""
    theme: str = ""
    scheme: object = None  # certifications.models.Scheme


def grid_products(*, contract: Contract, filters: GridFilters) -> list[Bookable]:
    """The packages and services the contract covers, filtered (2 queries, 4 with a label filter)."""
    packages = contract_packages(contract=contract).order_by("title")
    services = contract_services(contract=contract).order_by("operator__name", "name")
    if filters.area:
        packages = packages.filter(area=filters.area)
        services = services.filter(operator__municipality=filters.area)
    if filters.theme:
        packages = packages.filter(themes__contains=filters.theme)
        services = services.none()
    if filters.kind == "package":
        services = services.none()
    elif filters.kind:
        packages = packages.none()
        services = services.filter(kind=filters.kind)
    if filters.scheme is not None:
        packages = subject_qs_with_label(queryset=packages, scheme=filters.scheme)
        services = subject_qs_with_label(queryset=services, scheme=filters.scheme)
    return [Bookable(package=p) for p in packages] + [Bookable(service=s) for s in services]


def _allotment_left(partner: TradePartner, service_ids, start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], int]:
    references = [
        f"allotment:{pk}"
        for pk in Allotment.objects.filter(contract__partner=partner, status=Allotment.Status.ACTIVE).values_list(
            "pk", flat=True
        )
    ]
    if not references:
        return {}
    rows = (
        Hold.objects.filter(
            reference__in=references,
            status=Hold.Status.ACTIVE,
            expires_at__gt=timezone.now(),
            slot__service_id__in=list(service_ids),
            slot__date__gte=start,
            slot__date__lte=end,
        )
        .values_list("slot__service_id", "slot__date")
        .annotate(n=Sum("quantity"))
    )
    return {(service_id, day): n for service_id, day, n in rows}


def trade_grid(
    *,
    partner: TradePartner,
    contract: Contract,
    start: dt.date,
    days: int,
    party: Party,
    filters: GridFilters,
    items: list[Bookable] | None = None,
) -> list[GridRow]:
    """Rows of products, a cell per day from `start`: status, free places, what is left of the partner's
    allotment, and the net price for `party` (None when the day cannot be sold). `items` (products the
    caller already chose, e.g. one product's iCal feed) replaces the contract's filtered products, so a
    feed says exactly what the grid says."""
    if items is None:
        items = grid_products(contract=contract, filters=filters)
    if not items:
        return []
    end = start + dt.timedelta(days=days - 1)
    loaded = bookables_load(bookables=items, start=start, end=end)
    calendars = bookables_calendar(bookables=items, start=start, end=end, party=party, loaded=loaded)
    net_prices = contract_net_prices(contract=contract)
    service_ids = {c.service_id for comps in loaded.components.values() for c in comps}
    allotted = _allotment_left(partner, service_ids, start, end + dt.timedelta(days=30))
    rows = []
    for item in items:
        included = [c for c in loaded.components[item.key] if not c.is_optional]
        cells = []
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            calendar_day = calendars[item.key].days[day]
            free: int | None = None
            for component in included:
                value = loaded.day_free.get(component.pk, {}).get(day + dt.timedelta(days=component.day_offset), CLOSED)
                if value is CLOSED:
                    free = 0
                    break
                if value is not UNLIMITED:
                    free = value if free is None else min(free, value)
            allotment = min(
                (allotted.get((c.service_id, day + dt.timedelta(days=c.day_offset)), 0) for c in included), default=0
            )
            status, net = calendar_day.status, None
            if allotment and status == DayStatus.SOLD_OUT:
                status = DayStatus.AVAILABLE  # the partner's own places
            if status == DayStatus.AVAILABLE and calendar_day.price is not None:
                try:
                    net = contract_net(
                        contract=contract,
                        item=item,
                        on=day,
                        party=party,
                        retail=calendar_day.price,
                        net_prices=net_prices,
                    )
                except TradeNotPriced:
                    status = DayStatus.CLOSED
            if status == DayStatus.AVAILABLE and net is None:
                status = DayStatus.CLOSED
            cells.append(GridCell(day, status, free, allotment, net))
        rows.append(GridRow(item, cells))
    return rows


def partner_bookings(
    *,
    partner: TradePartner,
    query: str = "",
    status: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[TradeBooking]:
    """The partner's bookings (never another's), searched by code, its reference or a traveller's name."""
    bookings = TradeBooking.objects.filter(partner=partner).select_related("package", "service")
    if query:
        words = Q(code__iexact=query) | Q(partner_reference__icontains=query)
        words |= Q(lead_last_name__icontains=query) | Q(lead_first_name__icontains=query)
        words |= Q(travellers__icontains=query)
        bookings = bookings.filter(words)
    if status:
        bookings = bookings.filter(status=status)
    if date_from:
        bookings = bookings.filter(starts_on__gte=date_from)
    if date_to:
        bookings = bookings.filter(starts_on__lte=date_to)
    return bookings.order_by("-starts_on", "-pk")
