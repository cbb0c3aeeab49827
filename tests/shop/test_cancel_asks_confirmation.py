"""The cancel page names the rule that applies today and the refund, and cancels only once the customer
ticks the confirmation: without it nothing changes and the page says why."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from packages.models import PackageBooking
from tests.factories import UserFactory
from tests.shop.conftest import book_in_english, visible

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def booked(client, trip, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(email="anna@example.com"))
    order = book_in_english(client, trip, django_capture_on_commit_callbacks, login=True).order
    return order, reverse("packages:order-cancel", kwargs={"number": order.number})


def test_the_page_names_the_rule_and_the_refund(client, booked):
    order, url = booked
    text = " ".join(client.get(url).content.decode().split())
    assert (
        "Cancelling today, 40 days before departure: 100 % refunded, "
        f"€{order.total_incl_tax:.2f}, under “100% refunded if you cancel at least 14 days before departure”."
    ) in text
    assert "I understand the refund stated above" in text


def test_close_to_departure_the_lower_tier_is_named(client, trip, booked):
    order, url = booked
    PackageBooking.objects.filter(order_line__order=order).update(starts_on=timezone.localdate() + dt.timedelta(days=5))
    text = " ".join(client.get(url).content.decode().split())
    assert "Cancelling today, 5 days before departure: 50 % refunded" in text
    assert "“50% refunded if you cancel at least 3 days before departure”" in text
    PackageBooking.objects.filter(order_line__order=order).update(starts_on=timezone.localdate() + dt.timedelta(days=1))
    text = " ".join(client.get(url).content.decode().split())
    assert "Cancelling today, 1 day before departure: nothing is refunded" in text


def test_without_the_tick_nothing_is_cancelled_and_the_page_says_why(
    client, booked, django_capture_on_commit_callbacks
):
    order, url = booked
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing has been cancelled: tick the box to confirm the cancellation." in body
    order.refresh_from_db()
    assert order.status == "Confirmed"
    assert PackageBooking.objects.get(order_line__order=order).status == PackageBooking.Status.CONFIRMED


def test_with_the_tick_the_booking_is_cancelled_with_the_stated_refund(
    client, booked, django_capture_on_commit_callbacks
):
    order, url = booked
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"}, follow=True)
    order.refresh_from_db()
    assert order.status == "Cancelled"
    booking = PackageBooking.objects.get(order_line__order=order)
    assert booking.refund_amount == order.total_incl_tax
    assert f"Your booking is cancelled. Refund: €{order.total_incl_tax:.2f}." in response.content.decode()
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert "Status Cancelled" in visible(page)
    assert "Cancel this booking" not in visible(page)
