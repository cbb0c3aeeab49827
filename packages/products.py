"""What can be booked: a package, or one operator's service sold alone, behind one face (`Bookable`).

A service sold alone is priced and booked as a package of ONE component: an unsaved Package with no
markup around an unsaved PackageComponent (the service, day 1, one place per person as the service
counts, pinned to the departure chosen). So `package_price`, `package_calendar` and
`package_slot_choice` serve both, and a service can never be priced or checked by a second formula.
The trade channel (portal and API) books through this; a single service in the shop can too.

The unsaved component's pk is the service's pk negated: negative ids never collide with saved
components in the per-component dictionaries of the calendar and the price memo. It is never saved.

Public API:
    bookable(package=None, service=None) -> Bookable
    Bookable.key / .title / .area / .kind / .on_request / .services
    Bookable.components(start_time=None) -> list[PackageComponent]
    Bookable.price(*, on, party, extras=(), start_time=None) -> PackagePrice        (raises PackageNotPriced)
    Bookable.slot_choice(*, on, party, extras=(), start_time=None, quantity=1, now=None, own_reference=None)
        -> list[SlotChoice]                                                        (raises PackageUnavailable)
    Bookable.start_times(on) -> list[time]            departures of a service that day (empty for packages)
    bookables_calendar(*, bookables, start, end, party, now=None) -> dict[key, PackageCalendar]
        in three queries whatever the number of bookables (components, rates, free places)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from operators.models import Service, Slot
from operators.pricing import Party

from .models import Package, PackageComponent
from .pricing import PackagePrice, package_components, package_price, package_rates
from .selectors import (
    PackageCalendar,
    SlotChoice,
    components_day_free,
    package_calendar,
    package_slot_choice,
)

SERVICE_KIND = "service"


def _service_shell(service: Service) -> Package:
    """The unsaved package a service sold alone is priced as: no markup, the service's own words."""
    return Package(
        title=service.name,
        slug=f"service-{service.pk}",
        area=service.operator.municipality,
        markup_kind=Package.MarkupKind.PERCENT,
        markup_value=0,
        on_request=service.on_request,
        status=Package.Status.PUBLISHED,
    )


@dataclass(eq=False)
class Bookable:
    """A package or a single service. Build it with `bookable()`; the components are read once."""

    package: Package | None = None
    service: Service | None = None
    _components: list[PackageComponent] | None = field(default=None, repr=False)

    def __post_init__(self):
        if (self.package is None) == (self.service is None):
            raise ValueError("a bookable is a package or a service, exactly one")

    @property
    def key(self) -> str:
        """A stable id across requests and channels: "package-12", "service-7"."""
        return f"package-{self.package.pk}" if self.package else f"service-{self.service.pk}"

    @property
    def is_service(self) -> bool:
        return self.service is not None

    @property
    def title(self) -> str:
        return self.package.title if self.package else self.service.name

    @property
    def area(self) -> str:
        return self.package.area if self.package else self.service.operator.municipality

    @property
    def kind(self) -> str:
        """The service's kind for a service, "package" for a package (the trade grid's filter)."""
        return "package" if self.package else self.service.kind

    @property
    def shell(self) -> Package:
        """The package the price and slot functions see (the package itself, or the service's shell)."""
        if self.package is not None:
            return self.package
        if not hasattr(self, "_shell"):
            self._shell = _service_shell(self.service)
        return self._shell

    def components(self, start_time: dt.time | None = None) -> list[PackageComponent]:
        """The package's components (one query, once), or the service's one unsaved component."""
        if self.service is not None:
            component = PackageComponent(
                package=self.shell,
                service=self.service,
                day=1,
                position=0,
                start_time=start_time,
                quantity_rule=PackageComponent.QuantityRule.PER_PERSON,
            )
            component.pk = -self.service.pk  # never saved: see the module's docstring
            return [component]
        if self._components is None:
            self._components = package_components(package=self.package)
        return self._components

    @property
    def services(self) -> list[Service]:
        return [c.service for c in self.components()]

    @property
    def on_request(self) -> bool:
        """Trade bookings wait for the operators: the package says so, or a service it includes does."""
        if self.service is not None:
            return self.service.on_request
        return self.package.on_request or any(c.service.on_request for c in self.components() if not c.is_optional)

    def price(
        self, *, on: dt.date, party: Party, extras: Iterable[int] = (), start_time: dt.time | None = None
    ) -> PackagePrice:
        """The retail price (VAT included): packages.pricing.package_price, for a service too."""
        return package_price(
            package=self.shell, on=on, party=party, extras=extras, components=self.components(start_time)
        )

    def slot_choice(
        self,
        *,
        on: dt.date,
        party: Party,
        extras: Iterable[int] = (),
        start_time: dt.time | None = None,
        quantity: int = 1,
        now: dt.datetime | None = None,
        own_reference: str | Iterable[str] | None = None,
    ) -> list[SlotChoice]:
        """The slots a booking would take (packages.selectors.package_slot_choice); the capacity
        service re-checks them under lock."""
        return package_slot_choice(
            package=self.shell,
            on=on,
            party=party,
            extras=extras,
            quantity=quantity,
            now=now,
            own_reference=own_reference,
            components=self.components(start_time),
        )

    def start_times(self, on: dt.date) -> list[dt.time]:
        """A service's departures on `on` (open or not); empty for an all-day service and for packages."""
        if self.service is None:
            return []
        return list(
            Slot.objects.filter(service=self.service, date=on, all_day=False)
            .order_by("start_time")
            .values_list("start_time", flat=True)
        )


def bookable(*, package: Package | None = None, service: Service | None = None) -> Bookable:
    return Bookable(package=package, service=service)


@dataclass(frozen=True)
class BookablesLoaded:
    """What many calendars share, loaded once: components per bookable key, every rate, and free places
    per component and day (components_day_free's CLOSED / UNLIMITED / a number)."""

    components: dict[str, list[PackageComponent]]
    rates: dict
    day_free: dict


def bookables_load(
    *, bookables: list[Bookable], start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> BookablesLoaded:
    """Three queries whatever the number of bookables: the packages' components, every rate, and one
    grouped query of free places (packages.selectors.components_day_free) over `start`..`end` stretched
    by the longest day offset. Services must come with their operator (select_related("operator"))."""
    packages = [b.package for b in bookables if b.package is not None]
    by_package: dict[int, list[PackageComponent]] = {p.pk: [] for p in packages}
    if packages:
        rows = (
            PackageComponent.objects.filter(package__in=packages)
            .select_related("service__operator")
            .order_by("day", "position", "pk")
        )
        for component in rows:
            by_package[component.package_id].append(component)
    for item in bookables:
        if item.package is not None:
            item._components = by_package[item.package.pk]
    components = {b.key: b.components() for b in bookables}
    included = [c for comps in components.values() for c in comps if not c.is_optional]
    if not included:
        return BookablesLoaded(components, {}, {})
    last_offset = max(c.day_offset for c in included)
    day_free = components_day_free(components=included, start=start, end=end + dt.timedelta(days=last_offset), now=now)
    return BookablesLoaded(components, package_rates(components=included), day_free)


def bookables_calendar(
    *,
    bookables: list[Bookable],
    start: dt.date,
    end: dt.date,
    party: Party,
    now: dt.datetime | None = None,
    loaded: BookablesLoaded | None = None,
) -> dict[str, PackageCalendar]:
    """The calendar (status and retail price per day) of every bookable from `start` to `end`, keyed by
    `Bookable.key`, in the three queries of `bookables_load` (none when the caller passes `loaded`)."""
    loaded = loaded or bookables_load(bookables=bookables, start=start, end=end, now=now)
    return {
        b.key: package_calendar(
            package=b.shell,
            start=start,
            end=end,
            party=party,
            now=now,
            components=loaded.components[b.key],
            rates=loaded.rates or None,
            day_free=loaded.day_free or None,
        )
        for b in bookables
    }
