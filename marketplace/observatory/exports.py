"""Every dashboard table as CSV or XLSX: the same columns (their labels as headings), the same rows and
totals as the page, raw values (Decimal money, 0-100 percentages, plain integers), so a spreadsheet
sums them and a script parses them. A text cell never runs as a formula: the CSV goes through
marketplace.core.csv_export, the XLSX types every text cell as a string.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from marketplace.core.csv_export import csv_writer

from .figures import Filters, Table
from .presentation import cell_kind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_FORMATS = {"int": "#,##0", "money": '#,##0.00 "€"', "percent": '0.0"%"', "number": "#,##0.0"}


def _rows(table: Table) -> list[list]:
    """Headings, the rows and the totals row, as raw values."""
    rows = [[column.label for column in table.columns]]
    for row in [*table.rows, *([table.totals] if table.totals else [])]:
        rows.append([row.get(column.key) for column in table.columns])
    return rows


def _filename(table: Table, filters: Filters, ext: str) -> str:
    return f"observatory-{table.key}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.{ext}"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # figures of one scope, never kept by a shared cache
    return response


def table_csv(table: Table, filters: Filters) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv_writer(response)
    for row in _rows(table):
        writer.writerow(["" if value is None else value for value in row])
    return _attachment(response, _filename(table, filters, "csv"))


def table_xlsx_bytes(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    rows = _rows(table)
    sheet.append(rows[0])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    data_rows = [*table.rows, *([table.totals] if table.totals else [])]
    for source, values in zip(data_rows, rows[1:], strict=True):
        sheet.append(values)
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would make "=…" a formula: always a text here
            number_format = XLSX_FORMATS.get(cell_kind(source, column))
            if number_format and cell.value is not None:
                cell.number_format = number_format
    if table.totals:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, column in enumerate(table.columns, start=1):
        width = max(len(str(column.label)), 10)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width + 2, 40)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_xlsx(table: Table, filters: Filters) -> HttpResponse:
    response = HttpResponse(table_xlsx_bytes(table), content_type=XLSX_TYPE)
    return _attachment(response, _filename(table, filters, "xlsx"))


EXPORTERS = {"csv": table_csv, "xlsx": table_xlsx}
