"""Who travels (`Party`), how many places they take, and what they pay: one function for each.

Every price in the marketplace (a service alone, a package summing its components, the trade
channel before its net discount) comes from `service_price`, so a season boundary or a child's age
band is decided in exactly one place.

Public API:
    Party(adults=2, children_ages=(8,), infants=0, seniors=0)
    service_places_needed(*, service, party) -> int
    service_party_errors(*, service, party) -> list[str]
    service_price(*, service, on: date, party) -> PriceBreakdown   (raises NoRate)
    service_price_many(*, services, on, party) -> dict[int, PriceBreakdown]  (prefetches rates)
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from marketplace.core.money import money_round

from .exceptions import NoRate
from .models import PriceCategory, Rate, Service

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Party:
    """The travellers of one booking. Infants may be given as a count or as children aged 0–2:
    the service's age bands (`infant_max_age`, `child_max_age`) decide the category."""

    adults: int = 1
    children_ages: tuple[int, ...] = ()
    infants: int = 0
    seniors: int = 0

    def __post_init__(self):
        object.__setattr__(self, "children_ages", tuple(int(a) for a in self.children_ages))
        if self.adults < 0 or self.infants < 0 or self.seniors < 0 or any(a < 0 for a in self.children_ages):
            raise ValueError("a party cannot have negative members")

    @property
    def size(self) -> int:
        return self.adults + self.seniors + len(self.children_ages) + self.infants

    def categories(self, service: Service) -> dict[str, int]:
        """How many members fall into each price category for this service."""
        counts = {PriceCategory.ADULT: self.adults, PriceCategory.SENIOR: self.seniors,
                  PriceCategory.CHILD: 0, PriceCategory.INFANT: self.infants}  # fmt: skip
        for age in self.children_ages:
            if age <= service.infant_max_age:
                counts[PriceCategory.INFANT] += 1
            elif age <= service.child_max_age:
                counts[PriceCategory.CHILD] += 1
            else:
                counts[PriceCategory.ADULT] += 1
        return {str(k): v for k, v in counts.items()}

    def to_dict(self) -> dict:
        return {"adults": self.adults, "children_ages": list(self.children_ages), "infants": self.infants,
                "seniors": self.seniors}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict) -> Party:
        return cls(adults=int(data.get("adults", 0)), children_ages=tuple(data.get("children_ages", ())),
                   infants=int(data.get("infants", 0)), seniors=int(data.get("seniors", 0)))  # fmt: skip


def _people_taking_places(service: Service, party: Party) -> int:
    counts = party.categories(service)
    people = party.size
    if not service.infants_take_place:
        people -= counts[PriceCategory.INFANT]
    return people


def service_places_needed(*, service: Service, party: Party) -> int:
    """Places of a slot this party takes: people (per person, freesale), units of `max_occupancy`
    people (per unit: 5 people in rooms of 2 take 3 rooms), or one (per group)."""
    people = _people_taking_places(service, party)
    if service.capacity_model == Service.CapacityModel.PER_GROUP:
        return 1
    if service.capacity_model == Service.CapacityModel.PER_UNIT:
        return max(1, math.ceil(people / (service.max_occupancy or 1)))
    return max(people, 1)


def service_party_errors(*, service: Service, party: Party) -> list[str]:
    """Why this party cannot book this service (min/max party size); empty when it can."""
    errors = []
    if party.adults + party.seniors < 1:
        errors.append(_("At least one adult must travel."))
    if party.size < service.min_party:
        errors.append(_("This service needs at least %(n)d people.") % {"n": service.min_party})
    if service.max_party and party.size > service.max_party:
        errors.append(_("This service takes at most %(n)d people.") % {"n": service.max_party})
    return errors


@dataclass(frozen=True)
class PriceLine:
    category: str
    quantity: int
    unit_amount: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PriceBreakdown:
    service_id: int
    on: dt.date
    lines: tuple[PriceLine, ...] = field(default_factory=tuple)
    season_id: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def _rates_for(service: Service, on: dt.date, rates: list[Rate] | None) -> tuple[int | None, dict[str, Decimal]]:
    """The rates in force on `on`: the shortest season containing it, a weekday-specific rate over the
    every-day rate of the same category."""
    if rates is None:
        rates = list(Rate.objects.filter(season__service=service).select_related("season"))
    seasons = {}
    for rate in rates:
        season = rate.season
        if season.starts_on <= on <= season.ends_on:
            seasons.setdefault(season.pk, (season, []))[1].append(rate)
    if not seasons:
        return None, {}
    season, season_rates = min(
        seasons.values(), key=lambda item: ((item[0].ends_on - item[0].starts_on).days, -item[0].pk)
    )
    weekday = str(on.weekday())
    chosen: dict[str, Decimal] = {}
    for rate in sorted(season_rates, key=lambda r: bool(r.weekdays)):  # every-day first, specific overrides
        if not rate.weekdays or weekday in rate.weekdays:
            chosen[rate.category] = rate.amount
    return season.pk, chosen


def service_price(*, service: Service, on: dt.date, party: Party, rates: list[Rate] | None = None) -> PriceBreakdown:
    """The price of `service` on `on` for `party`, VAT included, as lines per category and a total.

    Per person and freesale: each member pays its category's rate; children without a child rate and
    seniors without a senior rate pay the adult rate; infants without an infant rate are free.
    Per unit: units needed × the unit rate. Per group: one unit rate. Raises NoRate when the date has
    no season or a needed rate is missing, so nothing is ever sold at an invented price.
    `rates` lets callers pricing many dates pass the service's rates (with seasons) once."""
    season_id, chosen = _rates_for(service, on, rates)
    if service.capacity_model in (Service.CapacityModel.PER_UNIT, Service.CapacityModel.PER_GROUP):
        unit = chosen.get(PriceCategory.UNIT)
        if unit is None:
            raise NoRate(service_id=service.pk, on=on, category=PriceCategory.UNIT)
        units = service_places_needed(service=service, party=party)
        line = PriceLine(PriceCategory.UNIT, units, unit, money_round(unit * units))
        return PriceBreakdown(service_id=service.pk, on=on, lines=(line,), season_id=season_id)

    adult = chosen.get(PriceCategory.ADULT)
    fallbacks = {
        PriceCategory.ADULT: adult,
        PriceCategory.SENIOR: chosen.get(PriceCategory.SENIOR, adult),
        PriceCategory.CHILD: chosen.get(PriceCategory.CHILD, adult),
        PriceCategory.INFANT: chosen.get(PriceCategory.INFANT, ZERO),
    }
    lines = []
    for category, quantity in party.categories(service).items():
        if not quantity:
            continue
        unit = fallbacks[category]
        if unit is None:
            raise NoRate(service_id=service.pk, on=on, category=category)
        lines.append(PriceLine(category, quantity, unit, money_round(unit * quantity)))
    return PriceBreakdown(service_id=service.pk, on=on, lines=tuple(lines), season_id=season_id)


def service_price_many(*, services: list[Service], on: dt.date, party: Party) -> dict[int, PriceBreakdown | None]:
    """Prices of several services on one date with one query for all their rates (None: no rate)."""
    by_service: dict[int, list[Rate]] = {s.pk: [] for s in services}
    for rate in Rate.objects.filter(season__service__in=services).select_related("season"):
        by_service[rate.season.service_id].append(rate)
    result = {}
    for service in services:
        try:
            result[service.pk] = service_price(service=service, on=on, party=party, rates=by_service[service.pk])
        except NoRate:
            result[service.pk] = None
    return result
