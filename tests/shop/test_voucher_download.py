"""The travel voucher on the web: its owner downloads it from the account, the guest from the confirmation
and from the order-status page (Oscar's hashed link once the order's email is given); anybody else gets
a 404. The PDF carries the DMC's name and logo, the price paid and the cancellation terms."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from marketplace.core.money import format_money
from packages.services import package_free_cancellation_until
from tests.factories import UserFactory
from tests.shop.conftest import EMAIL, book_in_english

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The English pages (the voucher is written in the language of the page it is downloaded from)."""
    with translation.override("en"):
        yield


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def voucher_links(html: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]*voucher\.pdf)"', html)


def test_the_guest_downloads_the_voucher_from_the_confirmation_with_terms_logo_and_price(
    client, trip, django_capture_on_commit_callbacks, settings
):
    booked = book_in_english(client, trip, django_capture_on_commit_callbacks)
    order = booked.order
    with translation.override("en"):
        [link] = voucher_links(client.get(booked.thank_you).content.decode())
    assert link == reverse("packages:order-voucher-guest", kwargs={"number": order.number,
                                                                  "hash": order.verification_hash()})  # fmt: skip

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="voucher-{order.number}.pdf"'
    text = pdf_text(response.content)
    assert settings.DMC_NAME in text
    assert b"/Subtype /Image" in response.content and response.content.count(b"/Subtype /Image") >= 2  # logo + QR
    assert f"Order reference: {order.number}" in text
    assert "Vineyards and villas" in text
    with translation.override("en"):
        assert f"Price paid: {format_money(order.total_incl_tax)}" in text
        until = package_free_cancellation_until(tiers=list(trip.package.cancellation_tiers.all()), starts_on=trip.on)
        assert until == trip.on - dt.timedelta(days=14)
        assert f"Free cancellation until {date_format(until, 'j F Y')}." in text
    assert "100% refunded if you cancel at least 14 days before departure" in text
    assert "50% refunded if you cancel at least 3 days before departure" in text


def test_the_guest_link_alone_is_a_404_until_the_orders_email_is_given(
    client, trip, django_capture_on_commit_callbacks
):
    order = book_in_english(client, trip, django_capture_on_commit_callbacks).order
    link = reverse("packages:order-voucher-guest", kwargs={"number": order.number, "hash": order.verification_hash()})
    stranger = Client()

    assert stranger.get(link).status_code == 404  # a forwarded link in another browser
    wrong_hash = reverse("packages:order-voucher-guest", kwargs={"number": order.number, "hash": "100001:forged"})
    assert client.get(wrong_hash).status_code == 404  # even in the browser that booked

    with translation.override("en"):
        status_url = reverse("customer:anon-order", kwargs={"order_number": order.number,
                                                           "hash": order.verification_hash()})  # fmt: skip
        form_url = stranger.get(status_url).url
        assert "enter the email address you booked with" in stranger.get(form_url).content.decode()
        assert stranger.post(form_url, {"email": "someone@example.com"}).status_code == 200  # "order not found"
        assert stranger.get(link).status_code == 404
        page = stranger.post(form_url, {"email": EMAIL}, follow=True)
    assert voucher_links(page.content.decode()) == [link]
    assert stranger.get(link).status_code == 200


def test_the_owner_downloads_from_the_account_and_nobody_else_can(client, trip, django_capture_on_commit_callbacks):
    owner = UserFactory(email="anna@example.com")
    client.force_login(owner)
    order = book_in_english(client, trip, django_capture_on_commit_callbacks, login=True).order
    link = reverse("packages:order-voucher", kwargs={"number": order.number})
    with translation.override("en"):
        page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert voucher_links(page.content.decode()) == [link]

    response = client.get(link)
    assert response.status_code == 200 and "Vineyards and villas" in pdf_text(response.content)

    other = Client()
    other.force_login(UserFactory(email="marco@example.com"))
    assert other.get(link).status_code == 404
    assert Client().get(link).status_code == 404  # not logged in: no login page that confirms the number exists
    guest_link = reverse("packages:order-voucher-guest", kwargs={"number": order.number,
                                                                "hash": order.verification_hash()})  # fmt: skip
    assert other.get(guest_link).status_code == 404  # an account's order has no guest link
    assert client.get(reverse("packages:order-voucher", kwargs={"number": "999999"})).status_code == 404
