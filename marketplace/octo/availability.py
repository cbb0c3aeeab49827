"""OCTO availability from our calendars: `packages.products.bookables_calendar` says, per day, whether
the party fits (every component's places, cut-offs and closures included) and at what retail price.

Public API:
    party_from_units(*, item, units) -> Party          OCTO unit items -> our party (raises ValueError)
    unit_pricing_calendar(*, item, contract, unit_ids, start, end, now=None) -> {date: [unit price]}
    availability_calendar(*, item, start, end, party, opening_hours, unit_pricing=None, now=None) -> list[dict]
        OCTO AvailabilityCalendar days, in bookables_calendar's three queries whatever the product's
        number of components.
    service_availabilities(*, item, partner, contract, start, end, places, now=None) -> list[dict]
        OCTO Availability objects of a service's slots, vacancies as this partner can book them
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from marketplace.trade.allotments import allotment_remaining
from marketplace.trade.models import Contract
from marketplace.trade.pricing import TradeNotPriced, contract_net, contract_net_prices
from operators.pricing import Party
from operators.selectors import slot_availability
from packages.products import Bookable, bookables_calendar
from packages.selectors import DayStatus

from .products import units_json

STATUSES = {DayStatus.AVAILABLE: "AVAILABLE", DayStatus.SOLD_OUT: "SOLD_OUT", DayStatus.CLOSED: "CLOSED"}
ALL_DAY = [{"from": "00:00", "to": "23:59"}]
UNIT_IDS = ("adult", "child", "infant", "senior", "unit")


def party_from_units(*, item: Bookable, units: list[tuple[str, int]]) -> Party:
    """Our party for OCTO's `units` [(unit id, quantity)]; one adult when none are given (OCTO's
    calendar without units asks "can anyone go"). A unit of a per-unit service counts as one adult."""
    if not units:
        return Party(adults=1)
    reference = item.services[0] if item.services else None
    child_age = reference.child_max_age if reference else 12
    counts = dict.fromkeys(UNIT_IDS, 0)
    for unit_id, quantity in units:
        if unit_id not in counts:
            raise ValueError(unit_id)
        counts[unit_id] += quantity
    return Party(
        adults=counts["adult"] + counts["unit"],
        children_ages=(child_age,) * counts["child"],
        infants=counts["infant"],
        seniors=counts["senior"],
    )


def cents(amount: Decimal) -> int:
    """OCTO prices are integers in minor units (currencyPrecision 2)."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def price_json(*, retail: Decimal, net: Decimal, unit_id: str | None = None) -> dict:
    price = {"original": cents(retail), "retail": cents(retail), "net": cents(net), "currency": "EUR",
             "currencyPrecision": 2, "includedTaxes": []}  # fmt: skip
    return {"unitId": unit_id, **price} if unit_id else price


def unit_pricing_calendar(
    *, item: Bookable, contract: Contract, unit_ids: list[str], start: dt.date, end: dt.date, now=None
) -> dict[dt.date, list[dict]]:
    """octo/pricing's `unitPricingFrom` per day: retail and the partner's net (marketplace.trade.pricing's
    contract_net, as the portal) of ONE traveller of each unit asked (a child's: what it adds to one
    adult). Three queries per unit type, plus the contract's net prices once."""
    net_prices = contract_net_prices(contract=contract)

    def priced(units) -> tuple[Party, dict[dt.date, tuple[Decimal, Decimal]]]:
        party = party_from_units(item=item, units=units)
        days = bookables_calendar(bookables=[item], start=start, end=end, party=party, now=now)[item.key].days
        out = {}
        for day, entry in days.items():
            if entry.price is None:
                continue
            try:
                net = contract_net(
                    contract=contract, item=item, on=day, party=party, retail=entry.price, net_prices=net_prices
                )
            except TradeNotPriced:
                continue
            out[day] = (entry.price, net)
        return party, out

    # children, infants and seniors may not travel alone: their price is what they add to one adult's
    lead = "unit" if "unit" in unit_ids else "adult"
    _party, base = priced([(lead, 1)])
    by_day: dict[dt.date, list[dict]] = {}
    for unit_id in unit_ids:
        if unit_id == lead:
            prices = base
        else:
            _party, with_unit = priced([(lead, 1), (unit_id, 1)])
            prices = {d: (r - base[d][0], n - base[d][1]) for d, (r, n) in with_unit.items() if d in base}
        for day, (retail, net) in prices.items():
            by_day.setdefault(day, []).append(price_json(retail=retail, net=net, unit_id=unit_id))
    return by_day


def availability_calendar(
    *,
    item: Bookable,
    start: dt.date,
    end: dt.date,
    party: Party,
    opening_hours: bool,
    unit_pricing: dict[dt.date, list[dict]] | None = None,
    now: dt.datetime | None = None,
) -> list[dict]:
    """One OCTO AvailabilityCalendar entry per day from `start` to `end`. Vacancies and capacity are
    null for now (the calendar knows whether the party fits, not how many more would)."""
    calendar = bookables_calendar(bookables=[item], start=start, end=end, party=party, now=now)[item.key]
    days = []
    day = start
    while day <= end:
        entry = calendar.days.get(day)
        status = STATUSES.get(entry.status, "CLOSED") if entry is not None else "CLOSED"
        days.append(
            {
                "localDate": day.isoformat(),
                "available": status == "AVAILABLE",
                "status": status,
                "vacancies": None,
                "capacity": None,
                "openingHours": ALL_DAY if opening_hours and status != "CLOSED" else [],
            }
        )
        if unit_pricing is not None:
            days[-1]["unitPricingFrom"] = unit_pricing.get(day, [])
        day += dt.timedelta(days=1)
    return days


LIMITED_BELOW = 5  # fewer free places than this: LIMITED


def availability_id(*, day: dt.date, start: dt.time | None) -> str:
    """OCTO's availability id: the local start with its offset, "2027-06-12T10:00:00+02:00"."""
    local = timezone.make_aware(dt.datetime.combine(day, start or dt.time(0, 0)))
    return local.isoformat()


def utc(value: dt.datetime | None) -> str | None:
    """OCTO's UTC times, "YYYY-MM-DDTHH:MM:SSZ" (None stays None)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def service_availabilities(
    *, item: Bookable, partner, contract: Contract, start: dt.date, end: dt.date, places: int, now=None
) -> list[dict]:
    """OCTO Availability objects of a single service's slots from `start` to `end`: vacancies are what
    THIS partner can book — its allotments' remaining places, plus the general sale's free places when
    its contract allows general sale (other partners' allotments are holds, already out of `free`)."""
    service = item.service
    now = now or timezone.now()
    by_day = slot_availability(service_ids=[service.pk], start=start, end=end, now=now).get(service.pk, {})
    slots = [s for day in sorted(by_day) for s in sorted(by_day[day], key=lambda s: s.start_time)]
    own = allotment_remaining(partner=partner, slot_ids=[s.slot_id for s in slots], now=now) if slots else {}
    out = []
    for slot in slots:
        begins = timezone.make_aware(dt.datetime.combine(slot.date, slot.start_time))
        cutoff = begins - dt.timedelta(hours=service.cutoff_hours)
        general = slot.free if contract.general_sale else 0
        vacancies = None if general is None else general + own.get(slot.slot_id, 0)
        if slot.closed or slot.blocked or not slot.sellable and not own.get(slot.slot_id):
            status = "CLOSED"
        elif vacancies is None:
            status = "FREESALE"
        elif vacancies < places or vacancies == 0:
            status = "SOLD_OUT"
        elif vacancies < LIMITED_BELOW:
            status = "LIMITED"
        else:
            status = "AVAILABLE"
        duration = dt.timedelta(minutes=service.duration_minutes or 0)
        ends = begins + duration if service.duration_minutes and not slot.all_day else begins + dt.timedelta(days=1)
        out.append(
            {
                "id": availability_id(day=slot.date, start=None if slot.all_day else slot.start_time),
                "localDateTimeStart": begins.isoformat(),
                "localDateTimeEnd": ends.isoformat(),
                "allDay": slot.all_day,
                "available": status in ("AVAILABLE", "LIMITED", "FREESALE"),
                "status": status,
                "vacancies": vacancies,
                "capacity": slot.capacity,
                "maxUnits": vacancies,
                "utcCutoffAt": utc(cutoff),
                "openingHours": ALL_DAY if slot.all_day else [],
            }
        )
    return out


def package_availabilities(*, item: Bookable, start: dt.date, end: dt.date, party: Party, now=None) -> list[dict]:
    """OCTO Availability objects of a package: one all-day availability per start day, from the
    calendar every component is checked in (three queries whatever the number of components).
    Vacancies are null: a package has as many places as its scarcest component on each of its days,
    which the calendar answers for the party asked, not as a count."""
    calendar = bookables_calendar(bookables=[item], start=start, end=end, party=party, now=now)[item.key]
    cutoff_hours = max((s.cutoff_hours for s in item.services), default=0)
    days = max(item.package.duration_days, 1) if item.package is not None else 1
    out = []
    for day in sorted(d for d in calendar.days if start <= d <= end):
        status = STATUSES.get(calendar.days[day].status, "CLOSED")
        begins = timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))
        out.append(
            {
                "id": begins.isoformat(),
                "localDateTimeStart": begins.isoformat(),
                "localDateTimeEnd": timezone.make_aware(
                    dt.datetime.combine(day + dt.timedelta(days=days), dt.time(0, 0))
                ).isoformat(),
                "allDay": True,
                "available": status == "AVAILABLE",
                "status": status,
                "vacancies": None,
                "capacity": None,
                "maxUnits": None,
                "utcCutoffAt": utc(begins - dt.timedelta(hours=cutoff_hours)),
                "openingHours": ALL_DAY if status != "CLOSED" else [],
            }
        )
    return out


def product_availabilities(
    *, item: Bookable, partner, contract: Contract, start: dt.date, end: dt.date, party: Party, now=None
) -> list[dict]:
    """The OCTO Availability objects of any product: a service's slots, a package's start days."""
    if item.service is not None:
        return service_availabilities(
            item=item, partner=partner, contract=contract, start=start, end=end, places=max(party.size, 1), now=now
        )
    return package_availabilities(item=item, start=start, end=end, party=party, now=now)


def parse_availability_id(value: str) -> tuple[dt.date, dt.time | None]:
    """Our availability id ("2027-06-12T10:00:00+02:00", the local start) -> (local day, start time or
    None for all day). Raises ValueError for anything else."""
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(value)
    local = timezone.localtime(moment)
    start = local.time().replace(tzinfo=None)
    return local.date(), (None if start == dt.time(0, 0) else start)


def units_pricing_from(
    *, items: dict[Bookable, Contract], start: dt.date, end: dt.date, now=None
) -> dict[str, dict[str, dict]]:
    """octo/pricing's `pricingFrom` of each product's units: the lowest retail from `start` to `end` of
    ONE traveller of the unit (a child's: what it adds to one adult, as unit_pricing_calendar), with
    the partner's net that day under the contract covering it. One calendar per distinct party (three
    queries each: a handful whatever the number of products), the contracts' net prices once each."""
    net_prices = {c.pk: contract_net_prices(contract=c) for c in {c.pk: c for c in items.values()}.values()}
    calendars: dict[Party, dict] = {}

    def days(item: Bookable, party: Party) -> dict:
        if party not in calendars:
            calendars[party] = bookables_calendar(bookables=list(items), start=start, end=end, party=party, now=now)
        return calendars[party][item.key].days

    out: dict[str, dict[str, dict]] = {}
    for item, contract in items.items():
        lead = units_json(item=item)[0]["id"]  # "unit" for services sold per unit or group
        alone = party_from_units(item=item, units=[(lead, 1)])
        base = {d: e.price for d, e in days(item, alone).items() if e.price is not None}
        prices: dict[str, dict] = {}
        for unit_id in (lead,) if lead == "unit" else ("adult", "child", "infant", "senior"):
            party = alone if unit_id == lead else party_from_units(item=item, units=[(lead, 1), (unit_id, 1)])
            with_unit = base if unit_id == lead else {
                d: e.price for d, e in days(item, party).items() if e.price is not None and d in base
            }  # fmt: skip
            best = None
            for day, total in sorted(
                with_unit.items(), key=lambda kv: (kv[1] - (0 if unit_id == lead else base[kv[0]]), kv[0])
            ):
                try:
                    net_total = contract_net(contract=contract, item=item, on=day, party=party, retail=total,
                                             net_prices=net_prices[contract.pk])  # fmt: skip
                    if unit_id != lead:
                        net_total -= contract_net(contract=contract, item=item, on=day, party=alone,
                                                  retail=base[day], net_prices=net_prices[contract.pk])  # fmt: skip
                except TradeNotPriced:
                    continue
                retail = total if unit_id == lead else total - base[day]
                best = price_json(retail=retail, net=net_total)
                break
            prices[unit_id] = best
        out[item.key] = prices
    return out
