"""From the basket to the order pages and the emails, a package line reads as the traveller booked it: the
package's title in the page's language, its photo, "Departure 15 January 2027 · 2 adults, 1 child (8)", the
extras by name; no shipping, no quantity box, no re-order or review, statuses translated."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from marketplace.core.money import format_money
from tests.factories import UserFactory
from tests.shop.conftest import EMAIL, book_in_english, visible

pytestmark = pytest.mark.django_db

OSCAR_LEFTOVERS = ("Vigne e ville", "Data di partenza", "Image not available", "No shipping required",
                   "Shipping", "Re-order", "Write a review", "#")  # fmt: skip


def line_text(trip) -> str:
    with translation.override("en"):
        return f"Departure {date_format(trip.on, 'j F Y')} · 2 adults, 1 child (8)"


def assert_package_line(text, trip):
    assert "Vineyards and villas" in text
    assert line_text(trip) in text
    assert "Optional extras: Noleggio e-bike" in text
    for leftover in OSCAR_LEFTOVERS:
        assert leftover not in text, leftover


def test_basket_and_review_show_the_package_as_booked_without_quantity_or_shipping(client, trip):
    with translation.override("en"):
        client.post(reverse("packages:basket-add", kwargs={"pk": trip.package.pk}),
                    {"date": trip.on.isoformat(), "adults": 2, "children_ages": "8", "infants": 0,
                     "extra": trip.ebike.pk})  # fmt: skip
        basket = client.get(reverse("basket:summary"))
        html = basket.content.decode()
        assert_package_line(visible(basket), trip)
        assert "/media/packages/photos/vigne.jpg" in html
        # One booking per line: the quantity travels hidden (Oscar's formset stays whole), no box to edit.
        assert re.search(r'<input type="hidden" name="form-0-quantity" value="1">', html)
        assert 'type="number" name="form-0-quantity"' not in html
        total = format_money(basket.context["basket"].total_incl_tax)
        assert total in visible(basket)

        client.post(reverse("checkout:index"), {"username": EMAIL, "options": "anonymous"})
        client.post(reverse("checkout:travellers"),
                    {"lead_first_name": "Giulia", "lead_last_name": "Bianchi", "lead_phone": "+39 0583 123456",
                     "country": "IT", "other_travellers": "Marco Bianchi\nSofia Bianchi", "accept_policy": "on"})  # fmt: skip
        review = client.get(reverse("checkout:payment-details"), follow=True)
    assert review.status_code == 200
    assert_package_line(visible(review), trip)
    assert total in visible(review)


def test_a_logged_in_tourist_cannot_save_a_held_package_for_later(client, trip):
    client.force_login(UserFactory(email="anna@example.com"))
    with translation.override("en"):
        client.post(reverse("packages:basket-add", kwargs={"pk": trip.package.pk}),
                    {"date": trip.on.isoformat(), "adults": 2, "children_ages": "8", "infants": 0})  # fmt: skip
        basket = client.get(reverse("basket:summary"))
    assert "Vineyards and villas" in visible(basket)
    assert "Save for later" not in visible(basket)


def test_confirmation_guest_status_page_and_email_show_the_package_in_english(
    client, trip, django_capture_on_commit_callbacks
):
    booked = book_in_english(client, trip, django_capture_on_commit_callbacks)
    order = booked.order
    with translation.override("en"):
        thank_you = client.get(booked.thank_you)
        text = visible(thank_you)
        assert_package_line(text, trip)
        assert "Download your voucher (PDF)" in text
        assert f"Paid: {format_money(order.total_incl_tax)}" in text

        status_url = reverse("customer:anon-order", kwargs={"order_number": order.number,
                                                           "hash": order.verification_hash()})  # fmt: skip
        form_url = client.get(status_url).url  # Oscar asks the guest for the order's email first
        status = client.post(form_url, {"email": EMAIL}, follow=True)
    text = visible(status)
    assert status.redirect_chain[-1][0] == status_url
    assert_package_line(text, trip)
    assert "Status Confirmed" in text
    assert "Download your voucher (PDF)" in text
    assert "Shipping address" not in text

    [confirmation] = [m for m in mail.outbox if m.to == [EMAIL]]
    html_part = confirmation.alternatives[0][0]
    for body in (confirmation.body, html_part):
        assert "Vineyards and villas" in body and "Vigne e ville" not in body
        assert f"Departure {date_format(trip.on, 'j F Y')}" in body or line_text(trip) in body
        assert "Noleggio e-bike" in body
        assert "quantity" not in body


def test_account_order_page_has_no_reorder_review_or_shipping_and_translates_the_status(
    client, trip, django_capture_on_commit_callbacks
):
    user = UserFactory(email="anna@example.com")
    client.force_login(user)
    order = book_in_english(client, trip, django_capture_on_commit_callbacks, login=True).order
    assert order.user == user

    with translation.override("en"):
        page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
        paid = format_money(order.total_incl_tax)
    text = visible(page)
    assert_package_line(text, trip)
    assert f"Order {order.number}" in text
    assert "Status Confirmed" in text
    assert f"Paid: {paid} (Demo payment — no money moves)" in text
    assert "Download your voucher (PDF)" in text
    assert "Cancel this booking" in text
    assert 'value="reorder"' not in page.content.decode()

    with translation.override("it"):
        page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    text = visible(page)
    assert "Stato Confermato" in text and "Confirmed" not in text
    assert "(Pagamento dimostrativo: nessun addebito)" in text  # the method, not the source type's stored name
    assert "Vigne e ville" in text  # the Italian page shows the Italian title


def test_another_customers_order_page_is_a_404(client, trip, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(email="anna@example.com"))
    order = book_in_english(client, trip, django_capture_on_commit_callbacks, login=True).order
    client.force_login(UserFactory(email="marco@example.com"))
    assert client.get(reverse("customer:order", kwargs={"order_number": order.number})).status_code == 404
    assert client.get(reverse("packages:order-cancel", kwargs={"number": order.number})).status_code == 404
