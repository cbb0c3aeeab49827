"""Checkout with the demo payment method (no STRIPE_SECRET_KEY): the order is placed at once."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.apps.order.models import Order

from marketplace.payments.models import Payment
from tests.payments.conftest import TRAVELLERS, checkout_to_payment_page, place_order

pytestmark = pytest.mark.django_db


def test_demo_payment_places_the_order_with_travellers_and_emails_it(
    client, product, demo_mode, recording_handler, django_capture_on_commit_callbacks
):
    page = checkout_to_payment_page(client, product)
    assert "Pagamento dimostrativo: nessun addebito" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = place_order(client)

    assert response.status_code == 302 and response.url == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.guest_email == "giulia@example.com"
    assert order.total_incl_tax == Decimal("120.00")
    assert order.status == "Confirmed"
    assert order.travellers.lead_name == "Giulia Bianchi"
    assert order.travellers.lead_phone == "+39 0583 123456"
    assert order.travellers.other_travellers == ["Marco Bianchi", "Sofia Bianchi"]
    assert order.travellers.country == "IT"
    payment = Payment.objects.get()
    assert (payment.method, payment.status, payment.order) == (Payment.Method.DEMO, Payment.Status.SUCCEEDED, order)
    assert order.sources.get().amount_debited == Decimal("120.00")
    assert recording_handler.names() == ["prepare", "prepare", "confirm"]  # page view, submission, placement
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["giulia@example.com"]
    assert order.number in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][0] == f"voucher-{order.number}.pdf"

    thank_you = client.get(response.url)
    assert thank_you.status_code == 200
    assert "Giulia Bianchi" in thank_you.content.decode()


def test_travellers_form_requires_lead_traveller_and_policy(client, product, demo_mode):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})

    response = client.post(reverse("checkout:travellers"), {**TRAVELLERS, "lead_last_name": "", "accept_policy": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"lead_last_name", "accept_policy"}
    followed = client.get(reverse("checkout:payment-details"), follow=True)
    assert followed.redirect_chain[-1][0] == reverse("checkout:travellers")
    assert not Order.objects.exists()


def test_the_country_of_residence_is_asked_named_in_the_visitors_language_and_stored(
    client, product, demo_mode, django_capture_on_commit_callbacks
):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})
    with translation.override("en"):
        page = client.get(reverse("checkout:travellers")).content.decode()
    assert '<option value="IT" selected>Italy</option>' in page and ">Netherlands<" in page
    assert 'value="EU"' not in page
    with translation.override("it"):
        assert ">Paesi Bassi<" in client.get(reverse("checkout:travellers")).content.decode()

    for refused in ("", "EU", "XX"):
        response = client.post(reverse("checkout:travellers"), {**TRAVELLERS, "country": refused})
        assert list(response.context["form"].errors) == ["country"]
    client.post(reverse("checkout:travellers"), {**TRAVELLERS, "country": "NL"}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        place_order(client)

    assert Order.objects.get().travellers.country == "NL"


def test_a_bad_phone_number_is_a_field_error(client, product, demo_mode):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})

    response = client.post(reverse("checkout:travellers"), {**TRAVELLERS, "lead_phone": "call me"})

    assert list(response.context["form"].errors) == ["lead_phone"]


def test_a_line_that_cannot_be_held_refuses_checkout_with_its_message(client, product, demo_mode, recording_handler):
    checkout_to_payment_page(client, product)
    recording_handler.refuse = "Sold out on 12 May 2027."

    response = client.get(reverse("checkout:payment-details"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "Sold out on 12 May 2027." in [str(m) for m in response.context["messages"]]
    response = place_order(client)
    assert response.status_code == 200
    assert "Sold out on 12 May 2027." in response.content.decode()
    assert not Order.objects.exists()
    assert not Payment.objects.exists()


def test_signed_in_customer_checks_out_without_the_email_step(
    client, product, demo_mode, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    user = UserFactory(email="anna@example.com")
    client.force_login(user)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert client.get(reverse("checkout:index")).url == reverse("checkout:travellers")
    initial = client.get(reverse("checkout:travellers")).context["form"].initial
    assert initial["lead_last_name"] == "Rossi"
    client.post(reverse("checkout:travellers"), TRAVELLERS, follow=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = place_order(client)

    assert response.url == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.user == user and order.guest_email == ""
    assert mail.outbox[0].to == ["anna@example.com"]
