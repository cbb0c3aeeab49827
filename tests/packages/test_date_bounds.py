"""Dates at the edges of the calendar on the package page, the basket and the operator's statements:
a clear message or a 404, never a 500, nothing held."""

import datetime as dt

import pytest
from django.urls import reverse
from oscar.apps.basket.models import Line

from marketplace.core.dates import date_window
from operators.models import Hold
from tests.operators.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EDGE_DATES = ["0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("edge", EDGE_DATES)
def test_package_page_with_a_date_at_the_edge_says_so(client, package, edge):
    response = client.get(package.product.get_absolute_url(), {"adults": 2, "date": edge})
    assert response.status_code == 200
    assert "Choose a date between" in response.content.decode() or "Scegli una data tra" in response.content.decode()


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13"])
def test_package_page_with_a_month_at_the_edge_shows_this_month(client, package, today, month):
    response = client.get(package.product.get_absolute_url(), {"adults": 2, "month": month})
    assert response.status_code == 200


def test_package_page_at_the_window_end_has_no_next_month(client, package):
    last = date_window()[1]
    response = client.get(package.product.get_absolute_url(), {"adults": 2, "month": last.strftime("%Y-%m")})
    assert response.status_code == 200
    assert 'aria-label="Next month"' not in response.content.decode()
    assert "Mese successivo" not in response.content.decode()


@pytest.mark.parametrize("edge", EDGE_DATES)
def test_basket_add_at_the_edge_holds_nothing(client, package, edge):
    response = client.post(
        reverse("packages:basket-add", kwargs={"pk": package.pk}), {"date": edge, "adults": 2, "infants": 0},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert any("between" in str(m) or "tra" in str(m) for m in response.context["messages"])
    assert not Line.objects.exists() and not Hold.objects.exists()


@pytest.mark.parametrize(("year", "month"), [(1, 1), (9999, 12), (9999, 13)])
def test_statement_month_at_the_edge_is_404(client, year, month):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert (
        client.get(reverse("packages:operator-parts-month", kwargs={"year": year, "month": month})).status_code == 404
    )
    assert client.get(reverse("packages:operator-statement", kwargs={"year": year, "month": month})).status_code == 404


def test_statement_of_last_years_month_still_answers(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    old = dt.date.today().replace(day=1) - dt.timedelta(days=5 * 365)
    url = reverse("packages:operator-statement", kwargs={"year": old.year, "month": old.month})
    assert client.get(url).status_code == 200
