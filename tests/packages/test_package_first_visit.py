"""A first-time visitor (no party in the URL) picks a date from the calendar, date first or party first.

The calendar's day links and month arrows must carry the party the page shows: a day link without a
party used to be ignored, so on a first visit clicking a day did nothing.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db

DAY_LINK = re.compile(r'<td class="day day-available[^"]*" data-date="([\d-]+)"[^>]*>\s*<a href="([^"]+)"')


@pytest.fixture
def package(db):
    """One villa night, 90.00 an adult and 45.00 a child, 10 % markup."""
    return make_package(
        services=[priced_service(name="Notte in villa", adult="90.00", child="45.00", days=70)], days=[1]
    )


def _day_links(response) -> list[tuple[str, str]]:
    """(date, href) of every day that can be clicked, as the browser reads them (the product page's path
    and the query: the same links work in the box swapped in by the page's script)."""
    return [(date, html.unescape(href)) for date, href in DAY_LINK.findall(response.content.decode())]


def _month_arrow(response, label: str) -> str:
    match = re.search(
        rf'<a class="btn btn-sm btn-light package-month" data-focus="\w+" href="([^"]+)" aria-label="{label}"',
        response.content.decode(),
    )
    return html.unescape(match.group(1))


def test_a_first_visitor_clicks_a_day_and_the_date_is_chosen(client, package):
    url = package.product.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    date, href = _day_links(first)[0]
    assert parse_qs(urlsplit(href).query)["adults"] == ["2"]  # the party shown: 2 adults

    chosen = client.get(href)
    page = chosen.content.decode()
    assert f'class="day day-available day-selected" data-date="{date}"' in page
    assert "package-total-amount" in page  # the total and "Add to basket" are shown for that day
    assert "198,00" in page  # 2 adults × 90.00 + 10 %


def test_a_first_visitor_changes_the_party_then_clicks_a_day(client, package):
    url = package.product.get_absolute_url()
    updated = client.get(url, {"adults": "1", "children_ages": "8", "infants": "0"})  # "Update prices"
    date, href = _day_links(updated)[0]
    query = parse_qs(urlsplit(href).query)
    assert query["adults"] == ["1"] and query["children_ages"] == ["8"]

    page = client.get(href).content.decode()
    assert f'data-date="{date}"' in page and "day-selected" in page
    assert "148,50" in page  # (90.00 + a child's 45.00) + 10 %


def test_a_link_with_a_date_and_no_party_chooses_the_date_for_the_default_party(client, package):
    url = package.product.get_absolute_url()
    date, _ = _day_links(client.get(url))[2]
    page = client.get(url, {"date": date}).content.decode()
    assert f'class="day day-available day-selected" data-date="{date}"' in page
    assert "198,00" in page


def test_a_first_visitor_goes_to_next_month(client, package):
    url = package.product.get_absolute_url()
    first = client.get(url)
    next_month = client.get(_month_arrow(first, "Mese successivo"))
    first_dates = {date for date, _ in _day_links(first)}
    next_dates = {date for date, _ in _day_links(next_month)}
    assert next_dates and not (first_dates & next_dates)
