"""Open data: counts of bookings, guests and nights of the destination, as aggregates anyone may reuse
(CC BY 4.0), published at /<lang>/open-data/ (views_opendata.py) and described in DCAT-AP_IT for the
regional and national portals. docs/observatory.md ("Open data") is the public documentation.

What leaves: only the aggregate counts of the fact tables (non-cancelled bookings of every channel), by
travel month alone and by month × area, month × origin country and month × service kind, for months that
are over. The fact tables hold no names, e-mails, phones or references, and nothing here reads anything
else, so no personal data can leave.

Statistical disclosure control (`suppress`), so nobody can be singled out:
- primary suppression: a cell with fewer than `MIN_GUESTS` guests is published empty (its three counts)
  with `suppressed` true;
- secondary suppression: a suppressed cell must not be recomputable from the totals, so each row (a
  month, whose total the month dataset publishes) and each column (a category over all months) holding a
  suppressed cell holds at least two, or its total is suppressed; the next cell suppressed is the smallest
  of that row or column. The month dataset is one column whose grand total anyone can add up, so it too
  never has exactly one suppressed month. Repeated over every dataset until nothing changes (suppressing a
  month's total in one table changes what the others may show).

The datasets change with the nightly rebuild of the facts: they are computed once and cached under a
generation number that `opendata_cache_clear` (called by the nightly task) bumps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.cache_generation import cache_generation, cache_generation_bump
from operators.models import Service

from .models import Area, BookingDayFact, BookingFact, FactStatus

MIN_GUESTS = 5
CACHE_SECONDS = 26 * 3600  # a day and a bit: the nightly task clears it anyway
GENERATION_KEY = "observatory:opendata:generation"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
MEASURES = ("bookings", "guests", "nights")


@dataclass(frozen=True)
class Dataset:
    key: str  # the stable slug of its URLs
    title: object
    description: object
    dimension: str = ""  # "" (months only) | "area" | "origin" | "kind"
    dimension_label: object = ""
    dimension_help: object = ""

    def columns(self) -> list[tuple[str, object]]:
        """(column, meaning) of its CSV and of its JSON rows, in order."""
        columns = [("month", _("The travel month, YYYY-MM."))]
        if self.dimension:
            columns += [(self.dimension, self.dimension_help),
                        (f"{self.dimension}_name", _("Its name, in the page's language."))]  # fmt: skip
        return columns + [
            ("bookings", _("Bookings (not cancelled) starting in the month, or in the category in the month.")),
            ("guests", _("Their guests: adults, children and infants.")),
            ("nights", _("Guest-nights of accommodation spent in the month.")),
            ("suppressed", _("true when the counts are withheld (fewer than 5 guests, or to protect such a cell); "
                             "the three counts are then empty.")),
        ]  # fmt: skip


DATASETS = [
    Dataset("bookings-by-month", _("Bookings, guests and nights by month"),
            _("The destination's bookings of every channel (web shop, trade partners' portal and API) by travel "
              "month.")),
    Dataset("bookings-by-area", _("Bookings, guests and nights by month and area"),
            _("By travel month and destination area (Piana di Lucca, Casentino). A booking that visits both "
              "areas counts in each."),
            "area", _("Area"), _("The area's code: piana-di-lucca or casentino.")),
    Dataset("bookings-by-origin", _("Bookings, guests and nights by month and country of origin"),
            _("By travel month and the guests' country of residence."),
            "origin", _("Country of origin"), _("ISO 3166 alpha-2 code; empty when not known.")),
    Dataset("bookings-by-kind", _("Bookings, guests and nights by month and kind of service"),
            _("By travel month and kind of service booked (accommodation, experiences, transfers…). A booking "
              "of several kinds counts in each."),
            "kind", _("Kind of service"), _("accommodation, experience, transfer, food-wine, rental or ticket.")),
]  # fmt: skip
BY_KEY = {dataset.key: dataset for dataset in DATASETS}


# Statistical disclosure control


class Cell:
    __slots__ = ("key", "guests", "suppressed")

    def __init__(self, key, guests: int):
        self.key, self.guests, self.suppressed = key, guests, False

    def __repr__(self) -> str:
        return f"Cell({self.key!r}, {self.guests}{', suppressed' if self.suppressed else ''})"


def _smallest(cells):
    candidates = [cell for cell in cells if not cell.suppressed]
    return min(candidates, key=lambda cell: (cell.guests, str(cell.key))) if candidates else None


def suppress(months: dict[str, Cell], tables: dict[str, dict[tuple[str, str], Cell]],
             threshold: int = MIN_GUESTS) -> None:  # fmt: skip
    """Mark the cells to withhold (see the module): `months` are the month totals (the rows' totals of
    every table), `tables` the two-dimensional tables, (month, category) -> cell. Modifies the cells."""
    for cell in [*months.values(), *(cell for table in tables.values() for cell in table.values())]:
        cell.suppressed = cell.guests < threshold
    for table in tables.values():
        for month, _category in table:
            months.setdefault(month, Cell(month, 0)).suppressed |= months[month].guests < threshold
    column_totals_hidden: dict[str, set[str]] = {name: set() for name in tables}
    changed = True
    while changed:
        changed = False
        # The months: one column whose sum (the grand total) anyone can make.
        if sum(cell.suppressed for cell in months.values()) == 1:
            cell = _smallest(months.values())
            if cell is not None:
                cell.suppressed = changed = True
        for name, table in tables.items():
            rows: dict[str, list[Cell]] = {}
            columns: dict[str, list[Cell]] = {}
            for (month, category), cell in table.items():
                rows.setdefault(month, []).append(cell)
                columns.setdefault(category, []).append(cell)
            for month, cells in rows.items():
                if sum(cell.suppressed for cell in cells) == 1 and not months[month].suppressed:
                    cell = _smallest(cells) or months[month]
                    cell.suppressed = changed = True
            for category, cells in columns.items():
                if sum(cell.suppressed for cell in cells) == 1 and category not in column_totals_hidden[name]:
                    cell = _smallest(cells)
                    if cell is None:
                        column_totals_hidden[name].add(category)  # never published: nothing to withhold
                    else:
                        cell.suppressed = changed = True


# The aggregates


def _month_key(value) -> str:
    return f"{value:%Y-%m}"


def _counted_facts(model):
    """Non-cancelled facts of the months that are over."""
    first_of_month = timezone.localdate().replace(day=1)
    date_field = "travel_start" if model is BookingFact else "date"
    return model.objects.exclude(status=FactStatus.CANCELLED).filter(**{f"{date_field}__lt": first_of_month})


def _aggregates() -> dict[str, dict]:
    """{dataset key: {(month, category) or month: {bookings, guests, nights}}}: SQL aggregates only."""
    guests = F("adults") + F("children") + F("infants")
    facts = _counted_facts(BookingFact).annotate(month=TruncMonth("travel_start"))
    days = _counted_facts(BookingDayFact).annotate(month=TruncMonth("date"))
    empty = {"bookings": 0, "guests": 0, "nights": 0}
    result: dict[str, dict] = {dataset.key: {} for dataset in DATASETS}

    def cell(dataset: str, key) -> dict:
        return result[dataset].setdefault(key, dict(empty))

    for row in facts.values("month").annotate(bookings=Count("id"), guests=Sum(guests)).order_by():
        cell("bookings-by-month", _month_key(row["month"])).update(bookings=row["bookings"], guests=row["guests"])
    for row in days.values("month").annotate(nights=Sum("guest_nights")).order_by():
        cell("bookings-by-month", _month_key(row["month"]))["nights"] = row["nights"] or 0
    for row in facts.values("month", "origin_country").annotate(bookings=Count("id"), guests=Sum(guests)).order_by():
        key = (_month_key(row["month"]), row["origin_country"])
        cell("bookings-by-origin", key).update(bookings=row["bookings"], guests=row["guests"])
    for row in days.values("month", "origin_country").annotate(nights=Sum("guest_nights")).order_by():
        if row["nights"]:
            cell("bookings-by-origin", (_month_key(row["month"]), row["origin_country"]))["nights"] = row["nights"]
    for dimension, flag in (("area", "first_in_area"), ("kind", "first_in_kind")):
        rows = days.values("month", dimension).annotate(
            bookings=Count("id", filter=Q(**{flag: True})), guests=Sum("guests", filter=Q(**{flag: True})),
            nights=Sum("guest_nights"),
        ).order_by()  # fmt: skip
        for row in rows:
            if row["bookings"] or row["nights"]:
                cell(f"bookings-by-{dimension}", (_month_key(row["month"]), row[dimension])).update(
                    bookings=row["bookings"], guests=row["guests"] or 0, nights=row["nights"] or 0
                )
    return result


def opendata_compute() -> dict:
    """Every dataset's rows with suppression applied, language-neutral (codes, no names): the cached
    payload {"updated": ISO datetime, "datasets": {key: [row, ...]}}."""
    aggregates = _aggregates()
    months = {month: Cell(month, values["guests"]) for month, values in aggregates["bookings-by-month"].items()}
    tables = {
        dataset.key: {key: Cell(key, values["guests"]) for key, values in aggregates[dataset.key].items()}
        for dataset in DATASETS
        if dataset.dimension
    }
    suppress(months, tables)
    datasets = {}
    for dataset in DATASETS:
        cells = months if not dataset.dimension else tables[dataset.key]
        rows = []
        for key in sorted(cells):
            values = aggregates[dataset.key].get(key, {"bookings": 0, "guests": 0, "nights": 0})
            row = {"month": key} if not dataset.dimension else {"month": key[0], dataset.dimension: key[1]}
            hidden = cells[key].suppressed
            row.update({measure: None if hidden else values[measure] for measure in MEASURES})
            row["suppressed"] = hidden
            rows.append(row)
        datasets[dataset.key] = rows
    return {"updated": timezone.now().isoformat(timespec="seconds"), "datasets": datasets}


def opendata_cache_clear() -> None:
    """Drop the cached datasets (the nightly rebuild of the facts calls this)."""
    cache_generation_bump(GENERATION_KEY)


def opendata_payload() -> dict:
    """The cached payload (opendata_compute), computed on the first request after a rebuild."""
    key = f"observatory:opendata:{cache_generation(GENERATION_KEY)}"
    payload = cache.get(key)
    if payload is None:
        payload = opendata_compute()
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def _names(dimension: str) -> dict[str, str]:
    if dimension == "area":
        return dict(Area.choices)
    if dimension == "kind":
        return {value: str(label) for value, label in Service.Kind.choices}
    if dimension == "origin":
        from babel import Locale, UnknownLocaleError
        from django.utils.translation import get_language

        try:
            locale = Locale.parse((get_language() or "en").replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            locale = Locale("en")
        return {**locale.territories, "": str(_("Not known"))}
    return {}


def dataset_rows(key: str) -> list[dict]:
    """One dataset's published rows, names in the active language; KeyError for an unknown dataset."""
    dataset = BY_KEY[key]
    rows = opendata_payload()["datasets"][key]
    if not dataset.dimension:
        return [dict(row) for row in rows]
    names = _names(dataset.dimension)
    published = []
    for row in rows:
        code = row[dataset.dimension]
        row = {"month": row["month"], dataset.dimension: code, f"{dataset.dimension}_name": names.get(code, code),
               **{name: row[name] for name in (*MEASURES, "suppressed")}}  # fmt: skip
        published.append(row)
    return published


def opendata_updated() -> dt.datetime:
    return dt.datetime.fromisoformat(opendata_payload()["updated"])
