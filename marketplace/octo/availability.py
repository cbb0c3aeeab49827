"""OCTO availability from our calendars: `packages.products.bookables_calendar` says, per day, whether
the party fits (every component's places, cut-offs and closures included) and at what retail price.

Public API:
    party_from_units(*, item, units) -> Party          OCTO unit items -> our party (raises ValueError)
    availability_calendar(*, item, start, end, units, now=None) -> list[dict]
        OCTO AvailabilityCalendar days, in bookables_calendar's three queries whatever the product's
        number of components.
"""

from __future__ import annotations

import datetime as dt

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


def availability_calendar(
    *,
    item: Bookable,
    start: dt.date,
    end: dt.date,
    party: Party,
    opening_hours: bool,
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
        day += dt.timedelta(days=1)
    return days
