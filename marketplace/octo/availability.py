"""OCTO availability from our calendars: `packages.products.bookables_calendar` says, per day, whether
the party fits (every component's places, cut-offs and closures included) and at what retail price.

Public API:
    party_from_units(*, item, units) -> Party          OCTO unit items -> our party (raises ValueError)
    unit_pricing_calendar(*, item, contract, unit_ids, start, end, now=None) -> {date: [unit price]}
    availability_calendar(*, item, start, end, party, opening_hours, unit_pricing=None, now=None) -> list[dict]
        OCTO AvailabilityCalendar days, in bookables_calendar's three queries whatever the product's
        number of components.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from marketplace.trade.models import Contract
from marketplace.trade.pricing import TradeNotPriced, contract_net, contract_net_prices
from operators.pricing import Party
from packages.products import Bookable, bookables_calendar
from packages.selectors import DayStatus

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
