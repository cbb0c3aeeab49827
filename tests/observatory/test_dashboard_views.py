"""The observatory's screens and exports, for each audience: DMC staff (Wagtail's admin), an operator
(its area) and a trade partner (its portal). Real bookings through the trade service, figures read back
from the pages and the exports; another operator's or partner's figures never appear, whatever the GET
parameters."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from marketplace.core.money import format_money
from marketplace.observatory import figures
from marketplace.observatory.figures import FiltersForm, Scope
from tests.observatory.dashboard_fixtures import make_destination

pytestmark = pytest.mark.django_db


@pytest.fixture
def destination(db):
    return make_destination()


@pytest.fixture(autouse=True)
def english():
    """Pages in English (/en/…) so the figures read as format_money writes them in English."""
    translation.activate("en")
    yield


# Parameters that try to widen a scope: other channels, partners, areas, kinds, dates and junk.
HOSTILE = [
    {},
    {"channel": "web"},
    {"area": "casentino"},
    {"area": "piana-di-lucca"},
    {"kind": "experience"},
    {"by": "booked", "compare": "on"},
    {"operator": "1", "partner": "1", "operator_id": "1", "partner_id": "1", "scope": "staff"},
]


def _page(client, user, url, params):
    client.force_login(user)
    return client.get(url, params)


def _text(response) -> str:
    return response.content.decode()


def _money_texts(bookings) -> list[str]:
    """Each booking's retail and net amounts and their sum, as a page (English) and an export write them."""
    amounts = [b.retail_amount for b in bookings] + [b.net_amount for b in bookings]
    amounts += [
        sum((b.retail_amount for b in bookings), Decimal("0")),
        sum((b.net_amount for b in bookings), Decimal("0")),
    ]
    with translation.override("en"):
        return [text for amount in amounts for text in (format_money(amount), f"{amount:.2f}")]


def _exports(client, url_name, keys, params) -> str:
    """Every table's CSV and XLSX, as one text (to look for what must not be there)."""
    out = []
    for key in keys:
        csv_response = client.get(reverse(url_name, kwargs={"key": key, "fmt": "csv"}), params)
        assert csv_response.status_code == 200
        out.append(csv_response.content.decode())
        xlsx_response = client.get(reverse(url_name, kwargs={"key": key, "fmt": "xlsx"}), params)
        assert xlsx_response.status_code == 200
        book = load_workbook(io.BytesIO(xlsx_response.content))
        out.extend(str(cell) for row in book.active.iter_rows(values_only=True) for cell in row)
    return "\n".join(out)


def test_staff_see_every_figure_with_charts_tables_and_exports(client, destination):
    retail = sum((b.retail_amount for b in destination.bookings), Decimal("0"))
    money = format_money(retail)  # in English, as this staff user's admin speaks
    response = _page(client, destination.staff, "/admin/observatory/", destination.period)
    assert response.status_code == 200
    html = _text(response)
    # Four bookings of both partners; the retail total of all of them, as the language writes money.
    summary = figures.table(Scope(), FiltersForm(destination.period).filters(), "summary")
    values = {row["key"]: row["value"] for row in summary.rows}
    assert values["bookings"] == 4
    assert values["guests"] == 2 + 1 + 3 + 2 + 4
    assert values["gross"] == retail
    assert money in html
    # Each table: a caption, column headers with scope, its exports, its chart's data when it has one.
    for table in figures.dashboard(Scope(), FiltersForm(destination.period).filters()):
        assert f'<caption class="obs-sr" id="obs-{table.key}-caption">' in html
        assert reverse("observatory_admin_export", kwargs={"key": table.key, "fmt": "xlsx"}) in html
        if table.chart:
            assert f'id="obs-{table.key}-data"' in html
    assert '<th scope="col" class="obs-num">' in html
    assert "observatory/vendor/chart.umd.min" in html and "cdn" not in html.lower()


def test_the_admin_menu_shows_the_observatory_to_staff_only(client, destination):
    client.force_login(destination.staff)
    assert "/admin/observatory/" in _text(client.get("/admin/"))


@pytest.mark.parametrize("who", ["villa_user", "nord_user", "tourist"])
def test_others_are_refused_the_staff_dashboard_and_exports(client, destination, who):
    from tests.factories import UserFactory

    user = UserFactory() if who == "tourist" else getattr(destination, who)
    client.force_login(user)
    page = client.get("/admin/observatory/", destination.period)
    export = client.get(
        reverse("observatory_admin_export", kwargs={"key": "summary", "fmt": "csv"}), destination.period
    )
    for response in (page, export):
        assert response.status_code in (302, 403)
        assert b"Reisen Nord" not in response.content and b"Bookings" not in response.content


def test_an_operator_sees_its_own_figures_only(client, destination):
    villa_money = format_money(sum((b.retail_amount for b in destination.bookings[:2]), Decimal("0")))
    scope = Scope(operator_id=destination.villa.operator_id)
    url = reverse("observatory:operator")
    client.force_login(destination.villa_user)
    assert reverse("observatory:operator") in _text(client.get(reverse("operator-area:home")))  # its menu entry
    for params in HOSTILE:
        query = {**destination.period, **params}
        response = client.get(url, query)
        assert response.status_code == 200
        html = _text(response)
        keys = figures.table_keys(scope)
        everything = html + _exports(client, "observatory:operator-export", keys, query)
        for secret in ("Fattoria Segreta", "Degustazione segreta", "Voyages Sud", "Reisen Nord",
                       *_money_texts(destination.bookings[2:])):  # fmt: skip
            assert secret not in everything, (params, secret)
    assert villa_money in _text(client.get(url, destination.period))  # 2 × 97 + 41 + 3 × 97 = 526.00


def test_a_partner_sees_its_own_figures_only(client, destination):
    url = reverse("observatory:partner")
    client.force_login(destination.sud_user)
    assert url in _text(client.get(reverse("trade:home")))  # its portal tab
    scope = Scope(partner_id=destination.sud.pk)
    nord_channel = {"channel": f"partner:{destination.nord.pk}"}
    for params in [*HOSTILE, nord_channel]:
        query = {**destination.period, **params}
        response = client.get(url, query)
        assert response.status_code == 200
        everything = _text(response) + _exports(client, "observatory:partner-export", figures.table_keys(scope), query)
        for secret in ("Reisen Nord", "Villa Oliva", "Camera in villa", "Owed to operators", "DMC margin",
                       *_money_texts(destination.bookings[:3])):  # fmt: skip
            assert secret not in everything, (params, secret)
    summary = figures.table(scope, FiltersForm(destination.period, scope=scope).filters(), "summary")
    assert {row["key"]: row["value"] for row in summary.rows}["bookings"] == 1


def test_exports_equal_the_page_figures(client, destination):
    client.force_login(destination.staff)
    filters = FiltersForm(destination.period).filters()
    with translation.override("en"):
        tables = figures.dashboard(Scope(), filters)
    for table in tables:
        expected_rows = [*table.rows, *([table.totals] if table.totals else [])]
        url = reverse("observatory_admin_export", kwargs={"key": table.key, "fmt": "csv"})
        response = client.get(url, destination.period)
        assert response["Content-Type"].startswith("text/csv")
        assert f"observatory-{table.key}-" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == [column.label for column in table.columns]
        assert len(rows) - 1 == len(expected_rows)
        for got, expected in zip(rows[1:], expected_rows, strict=True):
            assert got == ["" if expected.get(c.key) is None else str(expected.get(c.key)) for c in table.columns]

        response = client.get(url.replace(".csv", ".xlsx"), destination.period)
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == [column.label for column in table.columns]
        for got, expected in zip(values[1:], expected_rows, strict=True):
            for cell, column in zip(got, table.columns, strict=True):
                want = expected.get(column.key)
                if isinstance(want, (int, float, Decimal)) and not isinstance(want, bool):
                    assert Decimal(str(cell)) == Decimal(str(want)), (table.key, column.key)
                else:
                    assert cell == (None if want in (None, "") else str(want)), (table.key, column.key)


def test_unknown_tables_and_formats_are_404(client, destination):
    client.force_login(destination.staff)
    for key, fmt in (("no-such-table", "csv"), ("summary", "pdf"), ("summary", "xlsx ")):
        assert client.get(f"/admin/observatory/{key}.{fmt}").status_code == 404
    client.force_login(destination.sud_user)
    staff_only = [k for k in figures.table_keys(Scope()) if k not in figures.table_keys(Scope(partner_id=1))]
    for key in [*staff_only, "no-such-table"]:
        assert client.get(reverse("observatory:partner-export", kwargs={"key": key, "fmt": "csv"})).status_code == 404


def test_bad_filters_show_errors_and_the_defaults_not_a_500(client, destination):
    client.force_login(destination.staff)
    bad = {"start": "2026-13-45", "end": "yesterday", "by": "moon", "area": "atlantis", "channel": "partner:x",
           "label": "nine"}  # fmt: skip
    with translation.override("en"):
        response = client.get("/admin/observatory/", bad)
    assert response.status_code == 200
    html = _text(response)
    assert "Some filters were not understood" in html
    assert 'aria-invalid="true"' in html
    assert (
        client.get(reverse("observatory_admin_export", kwargs={"key": "summary", "fmt": "csv"}), bad).status_code == 200
    )
    # The end before the start: the field's error, and the figures of the default period.
    response = client.get("/admin/observatory/", {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 200 and "obs-field--error" in _text(response)
