"""The order page of Oscar's dashboard shows who travels and, per package line, the date, the party and each
operator's part with the state of its places (order_package_bookings)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from marketplace.core.roles import Role
from packages.selectors import order_package_bookings
from tests.factories import UserFactory
from tests.packages.conftest import buy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """Requests to /en/ leave English active in the test's thread (LocaleMiddleware does not reset it):
    put the language back afterwards so later tests build their URLs in the default one."""
    with translation.override(translation.get_language()):
        yield


def order_url(order, language="en"):
    with translation.override(language):
        return reverse("dashboard:order-detail", kwargs={"number": order.number})


def part_rows(page: str) -> list[str]:
    table = re.search(r'<table class="table table-bordered table-sm package-booking".*?</table>', page, re.S).group(0)
    return [row for row in re.findall(r"<tr>(.*?)</tr>", table, re.S) if "part-status" in row]


@pytest.fixture
def order(client, two_operator_package, today, settings, django_capture_on_commit_callbacks):
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    client.logout()
    return order


def test_staff_see_the_travellers_and_each_operators_part_with_its_status(client, order, today):
    client.force_login(UserFactory(role=Role.STAFF))

    page = client.get(order_url(order)).content.decode()

    travellers = re.search(r'<table class="table table-bordered" id="order-travellers">.*?</table>', page, re.S).group(
        0
    )
    for text in ("Giulia Bianchi", "+39 0583 123456", "giulia@example.com", "Marco Bianchi, Sofia Bianchi"):
        assert text in travellers
    assert "Vigne e ville" in page and "2 adults" in page
    rows = part_rows(page)
    assert len(rows) == 2
    villa, winery = rows
    assert "Villa Oliva" in villa and "Camera in villa" in villa and "reserved" in villa
    assert "Fattoria Colle Verde" in winery and "Degustazione" in winery and "reserved" in winery
    with translation.override("en"):
        from django.utils.formats import date_format

        assert date_format(today + dt.timedelta(days=31), "DATE_FORMAT") in winery  # day 2 of the package


def test_after_a_cancellation_the_parts_show_their_places_cancelled(client, order, django_capture_on_commit_callbacks):
    from packages.views import order_cancel_token

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(order)}),
            {"who": "Bianchi", "confirm": "on"},
        )
    client.force_login(UserFactory(role=Role.STAFF))

    page = client.get(order_url(order)).content.decode()

    rows = part_rows(page)
    assert len(rows) == 2 and all("cancelled" in row and "reserved" not in row for row in rows)


def test_the_page_reads_in_italian(client, order):
    client.force_login(UserFactory(role=Role.STAFF))

    page = client.get(order_url(order, "it")).content.decode()

    assert "Viaggiatori" in page and "Referente del viaggio" in page
    assert "Annulla l&#x27;ordine" in page or "Annulla l'ordine" in page


def test_the_selector_reads_bookings_parts_and_reservations_in_three_queries(order, django_assert_num_queries):
    with django_assert_num_queries(3):
        [row] = order_package_bookings(order=order)
        assert [item.reserved for item in row.parts] == [True, True]
