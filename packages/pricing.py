"""The one price of a package for a date, a party and the optional extras chosen, and how many places
each component takes.

`package_price` is the only function that turns components into a package price: the package page,
the calendar's per-day prices, the basket line (through the partner Strategy), the order and the
trade channel's retail price all call it, so they cannot disagree. It leans on operators'
`service_price` for each component, so seasons, weekday rates and child/infant age bands are decided
by the service's own categories.

Optional extras (quantity rule OPTIONAL) are priced like any other component once the traveller
chooses them: `package_price(..., extras=[component ids])`. They count in the components' total, so a
percent markup applies to them as to the rest (a fixed markup stays one per booking). What an extra
adds to the total is `package_extra_prices`: the difference of two `package_price` totals, never a
second formula.

Prices include VAT (Italian B2C prices are shown VAT included; a package sold by a travel agency is
taxed on its margin under art. 74-ter DPR 633/72, so no VAT line is itemised to the customer).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from marketplace.core.money import money_round
from operators.exceptions import NoRate
from operators.models import Rate, Service
from operators.pricing import Party, PriceBreakdown, service_places_needed, service_price

from .models import Package, PackageComponent

ZERO = Decimal("0.00")


class PackageNotPriced(Exception):
    """Some component has no rate on its day for some member of the party: the date cannot be sold."""

    def __init__(self, *, component_id: int, on: dt.date | None):
        self.component_id = component_id
        self.on = on
        super().__init__(f"component {component_id} has no price on {on}")


class ExtraNotOffered(PackageNotPriced):
    """A chosen extra is not an optional extra of this package (removed or changed since it was chosen)."""


@dataclass(frozen=True)
class ComponentPrice:
    component_id: int
    service_id: int
    on: dt.date
    places: int
    breakdown: PriceBreakdown
    is_extra: bool = False

    @property
    def amount(self) -> Decimal:
        return self.breakdown.total


@dataclass(frozen=True)
class PackagePrice:
    package_id: int
    starts_on: dt.date
    components: tuple[ComponentPrice, ...]
    markup: Decimal

    @property
    def components_total(self) -> Decimal:
        return sum((c.amount for c in self.components), ZERO)

    @property
    def extras(self) -> tuple[ComponentPrice, ...]:
        """The chosen optional extras' prices (operators' prices, before the markup)."""
        return tuple(c for c in self.components if c.is_extra)

    @property
    def extra_ids(self) -> tuple[int, ...]:
        return tuple(c.component_id for c in self.extras)

    @property
    def total(self) -> Decimal:
        """VAT included, rounded to the cent."""
        return money_round(self.components_total + self.markup)


def _effective_service(component: PackageComponent, service: Service) -> Service:
    """The service as the component's quantity rule counts it (a shallow copy, never saved)."""
    rule = component.quantity_rule
    if rule == PackageComponent.QuantityRule.PER_ROOM:
        effective = copy.copy(service)
        effective.capacity_model = Service.CapacityModel.PER_UNIT
        effective.max_occupancy = component.room_size or 1
        return effective
    if rule == PackageComponent.QuantityRule.PER_GROUP:
        effective = copy.copy(service)
        effective.capacity_model = Service.CapacityModel.PER_GROUP
        return effective
    return service


def component_places_needed(*, component: PackageComponent, party: Party) -> int:
    """Places of the component's slot the party takes (people, rooms or one group place)."""
    return service_places_needed(service=_effective_service(component, component.service), party=party)


def package_markup(*, package: Package, components_total: Decimal) -> Decimal:
    if package.markup_kind == Package.MarkupKind.FIXED:
        return money_round(package.markup_value)
    return money_round(components_total * package.markup_value / 100)


def package_rates(*, components: list[PackageComponent]) -> dict[int, list[Rate]]:
    """Every rate (with its season) of the components' services, in one query."""
    service_ids = {c.service_id for c in components}
    rates: dict[int, list[Rate]] = defaultdict(list)
    for rate in Rate.objects.filter(season__service_id__in=service_ids).select_related("season"):
        rates[rate.season.service_id].append(rate)
    for service_id in service_ids:
        rates.setdefault(service_id, [])
    return dict(rates)


def package_components(*, package: Package) -> list[PackageComponent]:
    """The package's components with their services and operators (one query)."""
    return list(package.components.select_related("service__operator").order_by("day", "position", "pk"))


def rate_signature(rates: list[Rate], on: dt.date) -> tuple:
    """What decides a service's price on `on`: the seasons containing it and the weekday. Two days
    with the same signature get the same price from `service_price`, so a year of days can be priced
    once per signature (a handful) instead of once per day. Only a cache key: the rules stay in
    operators.pricing."""
    return tuple(sorted({r.season_id for r in rates if r.season.starts_on <= on <= r.season.ends_on})), on.weekday()


def package_extras_chosen(*, components: list[PackageComponent], extras: Iterable[int]) -> list[PackageComponent]:
    """The optional components `extras` names (ids), in the package's order. Raises ExtraNotOffered for
    an id that is not an optional extra of these components (crafted input, or a line whose extra
    staff removed since): nothing is ever priced or held for it."""
    wanted = {int(pk) for pk in extras}
    optional = {c.pk: c for c in components if c.is_optional}
    unknown = sorted(wanted - optional.keys())
    if unknown:
        raise ExtraNotOffered(component_id=unknown[0], on=None)
    return [c for c in components if c.pk in wanted]


def package_price(
    *,
    package: Package,
    on: dt.date,
    party: Party,
    extras: Iterable[int] = (),
    components: list[PackageComponent] | None = None,
    rates: dict[int, list[Rate]] | None = None,
    memo: dict | None = None,
) -> PackagePrice:
    """The price of `package` starting on `on` for `party` with the optional extras `extras` (component
    ids): each included component and each chosen extra priced on its own day by its service's rates,
    plus the markup. Raises PackageNotPriced when one of them has no rate (ExtraNotOffered when an id
    is not an optional extra of the package).

    `components` and `rates` let a caller pricing many dates (the calendar) load them once; `memo` (a
    dict the caller keeps for one party) reuses a component's price for days of the same rate
    signature."""
    if components is None:
        components = package_components(package=package)
    chosen = {c.pk for c in package_extras_chosen(components=components, extras=extras)} if extras else set()
    priced_components = [c for c in components if not c.is_optional or c.pk in chosen]
    if rates is None:
        rates = package_rates(components=priced_components)
    missing = [c for c in priced_components if c.service_id not in rates]
    if missing:  # the caller loaded the included components' rates only
        rates = {**rates, **package_rates(components=missing)}
    priced = []
    for component in priced_components:
        day = on + dt.timedelta(days=component.day_offset)
        service_rates = rates[component.service_id]
        key = (component.pk, rate_signature(service_rates, day)) if memo is not None else None
        if key is not None and key in memo:
            breakdown, places = memo[key]
            if breakdown is None:
                raise PackageNotPriced(component_id=component.pk, on=day)
            priced.append(
                ComponentPrice(component.pk, component.service_id, day, places, breakdown, component.is_optional)
            )
            continue
        service = _effective_service(component, component.service)
        try:
            breakdown = service_price(service=service, on=day, party=party, rates=service_rates)
        except NoRate as exc:
            if key is not None:
                memo[key] = (None, 0)
            raise PackageNotPriced(component_id=component.pk, on=day) from exc
        places = component_places_needed(component=component, party=party)
        if key is not None:
            memo[key] = (breakdown, places)
        priced.append(ComponentPrice(component.pk, component.service_id, day, places, breakdown, component.is_optional))
    components_total = sum((c.amount for c in priced), ZERO)
    return PackagePrice(
        package_id=package.pk,
        starts_on=on,
        components=tuple(priced),
        markup=package_markup(package=package, components_total=components_total),
    )


def package_extra_prices(
    *,
    package: Package,
    on: dt.date,
    party: Party,
    components: list[PackageComponent] | None = None,
    rates: dict[int, list[Rate]] | None = None,
) -> dict[int, Decimal | None]:
    """What choosing each optional extra alone adds to the package's total on `on` for `party`, markup
    included (None: the extra has no rate that day). Raises PackageNotPriced when the package itself
    has no price that day.

    Computed as package_price(with the extra) - package_price(without), so the number next to an
    extra's checkbox is exactly what it adds to the total shown under it."""
    if components is None:
        components = package_components(package=package)
    if rates is None:
        rates = package_rates(components=components)
    base = package_price(package=package, on=on, party=party, components=components, rates=rates).total
    prices: dict[int, Decimal | None] = {}
    for component in components:
        if not component.is_optional:
            continue
        try:
            total = package_price(
                package=package, on=on, party=party, extras=[component.pk], components=components, rates=rates
            ).total
        except PackageNotPriced:
            prices[component.pk] = None
            continue
        prices[component.pk] = total - base
    return prices


@dataclass(frozen=True)
class TotalLine:
    """One line of the total shown to the traveller: `quantity` people of one kind (`kind`: "adult",
    "child" with their `ages`, "infant") or one optional extra (`kind` "extra", `name`), and its amount.
    `each` is the amount per person (display only: the amounts are what add up to the total)."""

    kind: str
    quantity: int
    amount: Decimal
    each: Decimal
    ages: tuple[int, ...] = ()
    name: str = ""

    @property
    def multiplies_out(self) -> bool:
        """Whether "quantity × each" is the amount (a rounding cent can make it differ: then only the
        amount is shown)."""
        return self.each * self.quantity == self.amount


def _spread(amounts: list[Decimal], target: Decimal, quantities: list[int] | None = None) -> list[Decimal]:
    """`amounts` (exact; each the sum of `quantities` equal shares) rounded to the cent so that they add
    up to `target` exactly. Each line is its rounded share times its quantity, so "2 adults × €242.27"
    multiplies out; the rounding remainder (a cent or two) goes to the largest line of one person (or
    the largest line when none is), so no line is off by more than that."""
    quantities = quantities or [1] * len(amounts)
    rounded = [money_round(a / q) * q for a, q in zip(amounts, quantities, strict=True)]
    if rounded:
        singles = [i for i, q in enumerate(quantities) if q == 1] or list(range(len(rounded)))
        largest = max(singles, key=lambda i: rounded[i])
        rounded[largest] += target - sum(rounded, ZERO)
    return rounded


def package_price_lines(
    *, package: Package, price: PackagePrice, party: Party, components: list[PackageComponent]
) -> list[TotalLine]:
    """The total of `price` for `party` as the lines a traveller reads under it: the adults, the
    children (grouped by what each pays, with their ages: a 4-year-old and a 14-year-old may fall in
    different age bands of the services), the infants, then each chosen extra by name. The lines add up
    to `price.total` to the cent.

    Why per traveller and not per component: the traveller chose people and extras, not an hotel's
    rate lines. Each person pays their own category's rate of each per-person service (the service's
    age bands decide, as in `service_price`); a room's or a group's price is shared evenly by the people
    who take its places. The markup is not itemised (a package's margin is taxed under art. 74-ter, not
    shown): the package's lines share the total without the extras in proportion, and each extra shows
    what it adds (`package_extra_prices`' rule: the markup moves with it when it is a percentage)."""
    by_pk = {c.pk: c for c in components}
    travellers = (
        [("adult", None)] * party.adults
        + [("senior", None)] * party.seniors
        + [("child", age) for age in party.children_ages]
        + [("infant", None)] * party.infants
    )
    shares = [ZERO] * len(travellers)
    extras_raw: list[tuple[PackageComponent, Decimal]] = []
    for priced in price.components:
        component = by_pk[priced.component_id]
        if priced.is_extra:
            extras_raw.append((component, priced.amount))
            continue
        service = _effective_service(component, component.service)
        units = {line.category: line.unit_amount for line in priced.breakdown.lines}
        shared = sum((line.amount for line in priced.breakdown.lines if line.category == "unit"), ZERO)
        per_unit = service.capacity_model in (Service.CapacityModel.PER_UNIT, Service.CapacityModel.PER_GROUP)
        takers = []
        for i, (kind, age) in enumerate(travellers):
            category = _traveller_category(service, kind, age)
            if not per_unit:
                shares[i] += units.get(category, ZERO)
            if category != "infant" or service.infants_take_place:
                takers.append(i)
        if shared and takers:
            for i in takers:
                shares[i] += shared / len(takers)
    extras_added = price.total - package_total_without_extras(package=package, price=price)
    base = price.total - extras_added
    raw_base = sum(shares, ZERO)
    exact = [s * base / raw_base for s in shares] if raw_base else [base / len(shares)] * len(shares)
    groups: dict[tuple, list[int]] = {}
    for i, (kind, _age) in enumerate(travellers):
        key = (kind, money_round(exact[i])) if kind == "child" else (kind, None)
        groups.setdefault(key, []).append(i)
    amounts = _spread(
        [sum((exact[i] for i in members), ZERO) for members in groups.values()],
        base,
        [len(members) for members in groups.values()],
    )
    lines = []
    for (kind, _each), members, amount in zip(groups.keys(), groups.values(), amounts, strict=True):
        ages = tuple(travellers[i][1] for i in members) if kind == "child" else ()
        lines.append(TotalLine(kind, len(members), amount, money_round(amount / len(members)), ages))
    raw_extras = sum((amount for _c, amount in extras_raw), ZERO)
    extra_amounts = _spread(
        [amount * extras_added / raw_extras if raw_extras else ZERO for _c, amount in extras_raw], extras_added
    )
    for (component, _raw), amount in zip(extras_raw, extra_amounts, strict=True):
        lines.append(TotalLine("extra", 1, amount, amount, name=component.service.name))
    return lines


def _traveller_category(service: Service, kind: str, age: int | None) -> str:
    """The price category one traveller falls in for `service` (what Party.categories counts)."""
    if kind == "child":
        categories = Party(adults=0, children_ages=(age,)).categories(service)
        return next(category for category, count in categories.items() if count)
    return kind


def package_total_without_extras(*, package: Package, price: PackagePrice) -> Decimal:
    """What `price` would total without its optional extras (the same markup rule applied to the
    included components alone)."""
    included = sum((c.amount for c in price.components if not c.is_extra), ZERO)
    return money_round(included + package_markup(package=package, components_total=included))
