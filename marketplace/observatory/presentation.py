"""How a figures `Table` is laid out: cells formatted in the page's language, the chart's data, the
export links. Generic over `Table`/`Column` (figures.py), so a table the figures module adds appears on
every dashboard, chart and export with no work here.

Formatting follows the language of the request (Babel, as Oscar's `currency` filter): "1,234" and
"€1,234.50" in English, "1.234" and "1.234,50 €" in Italian. Exports keep the raw values instead
(exports.py): a spreadsheet formats them itself and its sums stay right.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.core.money import format_money

from .figures import Column, Table

NUMERIC = {"int", "money", "percent", "number"}
EMPTY = "—"
# The chart draws this column, and its year-before twin when the comparison is on.
PREVIOUS_SUFFIX = "_prev"


def _locale() -> str:
    return translation.to_locale(translation.get_language() or "en")


def cell_kind(row: dict, column: Column) -> str:
    """The column's kind; a generic "number" column takes the row's own `kind` when the row carries one
    (the summary: one metric a row, each with its own unit)."""
    if column.kind == "number" and row.get("kind") in NUMERIC:
        return row["kind"]
    return column.kind


def format_cell(value, kind: str) -> str:
    if value is None or value == "":
        return EMPTY if kind in NUMERIC else ""
    locale = _locale()
    if kind == "money":
        return format_money(Decimal(value))
    if kind == "int":
        return format_decimal(value, format="#,##0", locale=locale)
    if kind == "number":
        return format_decimal(value, format="#,##0.#", locale=locale)
    if kind == "percent":
        return format_percent(Decimal(str(value)) / 100, format="#,##0.0%", locale=locale)
    return _text(value)


MONTH = re.compile(r"(\d{4})-(\d{2})")


def _text(value) -> str:
    """A text cell; a month ("2026-05", as the figures key months) as the language writes it ("May 2026")."""
    text = str(value)
    found = MONTH.fullmatch(text)
    if found and 1 <= int(found[2]) <= 12:
        return format_date(dt.date(int(found[1]), int(found[2]), 1), "MMM yyyy", locale=_locale())
    return text


@dataclass
class Cell:
    text: str
    numeric: bool
    header: bool = False


def _row_cells(row: dict, columns: list[Column]) -> list[Cell]:
    cells = []
    for index, column in enumerate(columns):
        kind = cell_kind(row, column)
        cells.append(Cell(format_cell(row.get(column.key), kind), kind in NUMERIC, header=index == 0))
    return cells


def _chartable(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def chart_data(table: Table) -> dict | None:
    """What observatory.js draws: labels (the first text column), one series for `chart_value` and, when
    the table carries it, one for the same figure a year before; the map gets each row's `code`."""
    if not table.chart or not table.chart_value:
        return None
    columns = {column.key: column for column in table.columns}
    value = columns.get(table.chart_value)
    if value is None:
        return None
    label_column = next((c for c in table.columns if c.kind == "text"), table.columns[0])
    series = [{"label": value.label, "kind": value.kind, "values": [_chartable(r.get(value.key)) for r in table.rows]}]
    previous = columns.get(value.key + PREVIOUS_SUFFIX)
    if previous is not None:
        series.append({"label": previous.label, "kind": previous.kind, "previous": True,
                       "values": [_chartable(r.get(previous.key)) for r in table.rows]})  # fmt: skip
    data = {
        "type": table.chart,
        "title": table.title,
        "labels": [_text(r.get(label_column.key, "")) for r in table.rows],
        "series": series,
        "locale": translation.get_language() or "en",
    }
    if table.chart == "map":
        data["codes"] = [r.get("code", "") for r in table.rows]
        data["texts"] = [format_cell(r.get(value.key), value.kind) for r in table.rows]
    return data


@dataclass
class TableView:
    """One table as the template lays it out."""

    table: Table
    headers: list[tuple[str, bool]]  # label, numeric
    rows: list[list[Cell]]
    totals: list[Cell] | None
    chart: dict | None
    csv_url: str
    xlsx_url: str

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def dom_id(self) -> str:
        return f"obs-{self.table.key}"

    @property
    def chart_summary(self) -> str:
        """The chart's text alternative: which figure it draws; the table below carries every value."""
        if not self.chart:
            return ""
        return _("Chart of %(figure)s (%(table)s); every value is in the table below.") % {
            "figure": self.chart["series"][0]["label"],
            "table": self.table.title,
        }


def table_view(table: Table, export_url, query: dict) -> TableView:
    """`export_url(key, fmt)` gives the export's path; `query` the page's GET filters, kept on the links
    so an export answers exactly what the page shows."""
    suffix = f"?{urlencode(query, doseq=True)}" if query else ""
    totals = None
    if table.totals:
        totals = _row_cells(table.totals, table.columns)
    return TableView(
        table=table,
        headers=[(column.label, column.kind in NUMERIC) for column in table.columns],
        rows=[_row_cells(row, table.columns) for row in table.rows],
        totals=totals,
        chart=chart_data(table),
        csv_url=export_url(table.key, "csv") + suffix,
        xlsx_url=export_url(table.key, "xlsx") + suffix,
    )
