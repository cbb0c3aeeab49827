"""The partner's availability grid: the products its contracts cover down, days across, and per cell
the free places, what is left of its allotments and the net price for a reference party.

A constant number of queries whatever the number of products (tests/trade/test_portal_views.py counts
them): the contracts and what they cover, the products, `packages.products.bookables_calendar` (three
queries for every product's retail price and day status), one grouped query of free places per
service and day (`packages.selectors.components_day_free`), one of the partner's allotment holds, and
the net prices of net-rate contracts once. Nets come from `trade.pricing.contract_net`, the one rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from operators.models import Hold, Operator, Service
from operators.pricing import Party
from packages.models import Package
from packages.products import Bookable, bookables_calendar
from packages.selectors import CLOSED, UNLIMITED, DayStatus, components_day_free

from .allotments import partner_allotment_references
from .models import Contract, TradePartner
from .pricing import TradeNotPriced, contract_net, contract_net_prices

GRID_WEEKS = (2, 4, 8)


@dataclass(frozen=True)
class GridCell:
    day: dt.date
    status: str  # DayStatus, or "not_covered" / "not_priced"
    free: int | None = None  # None: unlimited (freesale) or unknown
    allotment: int = 0
    net: Decimal | None = None

    @property
    def bookable(self) -> bool:
        return self.status == DayStatus.AVAILABLE and self.net is not None

    @property
    def net_label(self) -> str:
        """The net rounded to the euro for the grid's narrow cells (the booking form shows the cents)."""
        return f"{self.net:.0f}" if self.net is not None else ""


@dataclass
class GridRow:
    item: Bookable
    cells: list[GridCell] = field(default_factory=list)
    on_request: bool = False
    cells_html: str = ""


@dataclass(frozen=True)
class GridFilters:
    area: str = ""
    kind: str = ""  # a Service.Kind value, or "package"
    theme: str = ""
    label: object = None  # a certifications Scheme


def _contracts(partner: TradePartner, start: dt.date, end: dt.date) -> list[Contract]:
    if partner.status != TradePartner.Status.APPROVED:
        return []
    return list(
        partner.contracts.filter(valid_from__lte=end, valid_to__gte=start)
        .prefetch_related("packages", "operators", "services")
        .order_by("valid_from", "pk")
    )


def _covers(contract: Contract, item: Bookable) -> bool:
    """contract_covers on prefetched relations (no query)."""
    if contract.scope == Contract.Scope.ALL:
        return True
    if contract.scope == Contract.Scope.PACKAGES:
        return item.package is not None
    if item.package is not None:
        return any(p.pk == item.package.pk for p in contract.packages.all())
    return any(s.pk == item.service.pk for s in contract.services.all()) or any(
        o.pk == item.service.operator_id for o in contract.operators.all()
    )


def grid_products(*, contracts: list[Contract], filters: GridFilters) -> list[Bookable]:
    """Every published package and sellable service one of `contracts` covers, filtered, by title."""
    packages = Package.objects.none()
    services = Service.objects.none()
    scopes = {c.scope for c in contracts}
    if Contract.Scope.ALL in scopes or Contract.Scope.PACKAGES in scopes:
        packages = Package.objects.filter(status=Package.Status.PUBLISHED)
    elif contracts:
        ids = {p.pk for c in contracts for p in c.packages.all()}
        packages = Package.objects.filter(status=Package.Status.PUBLISHED, pk__in=ids)
    sellable = Service.objects.filter(is_active=True, operator__status=Operator.Status.APPROVED)
    if Contract.Scope.ALL in scopes:
        services = sellable
    elif contracts:
        service_ids = {s.pk for c in contracts for s in c.services.all()}
        operator_ids = {o.pk for c in contracts for o in c.operators.all()}
        services = sellable.filter(Q(pk__in=service_ids) | Q(operator_id__in=operator_ids))
    if filters.area:
        packages = packages.filter(area=filters.area)
        services = services.filter(operator__municipality=filters.area)
    if filters.kind == "package":
        services = services.none()
    elif filters.kind:
        packages = packages.none()
        services = services.filter(kind=filters.kind)
    if filters.theme:
        services = services.none()  # themes are the packages'
        packages = packages.filter(themes__icontains=filters.theme)
    if filters.label is not None:
        from certifications.selectors import subject_qs_with_label

        packages = subject_qs_with_label(queryset=packages, scheme=filters.label)
        services = subject_qs_with_label(queryset=services, scheme=filters.label)
    items = [Bookable(package=p) for p in packages if not filters.theme or filters.theme in p.theme_list]
    items += [Bookable(service=s) for s in services.select_related("operator")]
    return sorted(items, key=lambda b: (b.title.lower(), b.key))


def _allotment_left(partner: TradePartner, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
    references = partner_allotment_references(partner=partner)
    if not references:
        return {}
    rows = (
        Hold.objects.filter(
            reference__in=references,
            status=Hold.Status.ACTIVE,
            expires_at__gt=now,
            slot__date__gte=start,
            slot__date__lte=end,
        )
        .values("slot__service_id", "slot__date")
        .annotate(n=Sum("quantity"))
    )
    return {(r["slot__service_id"], r["slot__date"]): r["n"] for r in rows}


def _free(counts: list) -> int | None:
    if any(c is CLOSED for c in counts) or not counts:
        return 0
    limited = [c for c in counts if c is not UNLIMITED]
    return min(limited) if limited else None


def trade_grid(
    *,
    partner: TradePartner,
    start: dt.date,
    days: int,
    party: Party,
    filters: GridFilters | None = None,
    now: dt.datetime | None = None,
) -> list[GridRow]:
    """The grid's rows from `start` for `days` days (see the module)."""
    now = now or timezone.now()
    end = start + dt.timedelta(days=days - 1)
    contracts = _contracts(partner, start, end)
    items = grid_products(contracts=contracts, filters=filters or GridFilters())
    if not items:
        return []
    calendars = bookables_calendar(bookables=items, start=start, end=end, party=party, now=now)
    included = [c for b in items for c in b.components() if not c.is_optional]
    last_offset = max((c.day_offset for c in included), default=0)
    day_free = components_day_free(components=included, start=start, end=end + dt.timedelta(days=last_offset), now=now)
    allotted = _allotment_left(partner, start, end + dt.timedelta(days=last_offset), now)
    net_prices = {c.pk: contract_net_prices(contract=c) for c in contracts if c.rate_kind == Contract.RateKind.NET}
    dates = [start + dt.timedelta(days=n) for n in range(days)]
    rows = []
    for item in items:
        comps = [c for c in item.components() if not c.is_optional]
        covering = [c for c in contracts if _covers(c, item)]
        row = GridRow(item=item, on_request=item.on_request)
        calendar = calendars[item.key]
        for day in dates:
            contract = next((c for c in covering if c.valid_from <= day <= c.valid_to), None)
            if contract is None:
                row.cells.append(GridCell(day=day, status="not_covered"))
                continue
            counts = [day_free.get(c.pk, {}).get(day + dt.timedelta(days=c.day_offset), CLOSED) for c in comps]
            free = _free(counts)
            mine = min(
                (allotted.get((c.service_id, day + dt.timedelta(days=c.day_offset)), 0) for c in comps), default=0
            )
            cal_day = calendar.days.get(day)
            status = cal_day.status if cal_day else DayStatus.CLOSED
            if not contract.general_sale:
                free = 0
                status = DayStatus.AVAILABLE if mine >= party.size else DayStatus.SOLD_OUT
            elif status == DayStatus.SOLD_OUT and mine + (free or 0) >= party.size:
                status = DayStatus.AVAILABLE
            net = None
            if cal_day is not None and cal_day.price is not None and status == DayStatus.AVAILABLE:
                try:
                    net = contract_net(
                        contract=contract,
                        item=item,
                        on=day,
                        party=party,
                        retail=cal_day.price,
                        net_prices=net_prices.get(contract.pk),
                    )
                except TradeNotPriced:
                    status = "not_priced"
            elif status == DayStatus.AVAILABLE:
                status = "not_priced"
            row.cells.append(GridCell(day=day, status=status, free=free, allotment=mine, net=net))
        rows.append(row)
    return rows
