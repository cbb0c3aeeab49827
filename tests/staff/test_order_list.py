"""Oscar's order list for DMC staff: departure, package, lead traveller and channel columns, a departure
date filter (from / to), and the order page's status, payment events and sources in the dashboard's
language (marketplace/shop/dashboard/orders)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from oscar.apps.order.models import PaymentEvent

from marketplace.payments.services import order_staff_refund
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory
from tests.packages.conftest import buy

pytestmark = pytest.mark.django_db


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def two_orders(two_operator_package, today, settings, django_capture_on_commit_callbacks):
    """The same package bought by two guests (their own browsers) for in 5 days and for in 40 days."""
    settings.STRIPE_SECRET_KEY = ""
    soon = buy(Client(), two_operator_package, today + dt.timedelta(days=5), django_capture_on_commit_callbacks)
    later = buy(Client(), two_operator_package, today + dt.timedelta(days=40), django_capture_on_commit_callbacks)
    return soon, later


def _rows(html: str) -> dict[str, str]:
    table = re.search(r'<table[^>]*id="order-list".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return {re.search(r"/orders/([^/]+)/", row).group(1): row for row in rows}


def test_the_list_shows_departure_package_lead_traveller_and_channel(staff_client, two_orders, today):
    soon, later = two_orders
    html = staff_client.get(en("dashboard:order-list")).content.decode()
    for header in ("Departure", "Package", "Lead traveller", "Channel"):
        assert f">{header}<" in html or f">{header}</a>" in html
    rows = _rows(html)
    assert set(rows) == {soon.number, later.number}
    row = rows[soon.number]
    with translation.override("en"):
        assert date_format(today + dt.timedelta(days=5), "DATE_FORMAT") in row
    assert "Vigne e ville" in row and "Giulia Bianchi" in row and "Web shop, guest" in row
    assert ">Confirmed<" in row


def test_the_departure_filter_keeps_the_orders_leaving_between_the_dates(staff_client, two_orders, today):
    soon, later = two_orders
    url = en("dashboard:order-list")
    window = {"departure_from": (today + dt.timedelta(days=30)).isoformat(),
              "departure_to": (today + dt.timedelta(days=45)).isoformat()}  # fmt: skip
    assert set(_rows(staff_client.get(url, window).content.decode())) == {later.number}
    only_from = {"departure_from": (today + dt.timedelta(days=1)).isoformat()}
    assert set(_rows(staff_client.get(url, only_from).content.decode())) == {soon.number, later.number}
    only_to = {"departure_to": (today + dt.timedelta(days=5)).isoformat()}
    html = staff_client.get(url, only_to).content.decode()
    assert set(_rows(html)) == {soon.number} and "Departure between" in html
    by_departure = staff_client.get(url, {"sort": "departure", "dir": "desc"}).content.decode()
    assert list(_rows(by_departure)) == [later.number, soon.number]


def test_a_reversed_departure_range_is_a_field_error_not_a_500(staff_client, two_orders, today):
    response = staff_client.get(
        en("dashboard:order-list"),
        {"departure_from": (today + dt.timedelta(days=9)).isoformat(), "departure_to": today.isoformat()},
    )
    assert response.status_code == 200
    assert "The last departure date comes before the first." in response.content.decode()


def test_payment_events_status_and_source_read_in_the_dashboards_language(staff_client, staff_user, two_orders):
    soon, _later = two_orders
    order_staff_refund(order=soon, amount=Decimal("10.00"), reason="Goodwill", user=staff_user)
    assert PaymentEvent.objects.filter(order=soon).get().event_type.name == "Rimborso"  # stored once, in Italian
    html = staff_client.get(en("dashboard:order-detail", number=soon.number)).content.decode()
    events = re.search(r'id="payment-events".*?</table>', html, re.S).group(0)
    assert "Refund" in events and "Rimborso" not in events
    assert "Confirmed" in re.search(r'id="order-information".*?</table>', html, re.S).group(0)
    assert "Demo payment" in re.search(r'id="payment-sources".*?</table>', html, re.S).group(0)


@pytest.mark.parametrize("make_user", [lambda: MembershipFactory().user, UserFactory], ids=["operator", "tourist"])
def test_operators_and_tourists_cannot_open_the_order_list(client, make_user):
    client.force_login(make_user())
    response = client.get(en("dashboard:order-list"))
    assert response.status_code in (302, 403) and "order-list" not in response.content.decode()
