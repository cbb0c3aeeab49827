"""The card journey against the fake Stripe server: PaymentIntent, Payment Element page, webhook, order."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.apps.basket.models import Basket
from oscar.apps.order.models import Order

from marketplace.payments.models import Payment, StripeEvent
from tests.payments.conftest import checkout_to_payment_page, place_order, post_webhook, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_payment(client, product, fake_stripe, recording_handler):
    """The customer pressed "Pay": a pending payment with its PaymentIntent, the basket frozen."""
    page = checkout_to_payment_page(client, product)
    assert "Paga 120,00\xa0€" in page.content.decode()
    response = place_order(client)
    assert response.status_code == 302 and response.url == reverse("checkout:card-payment")
    return Payment.objects.get()


def test_pay_creates_a_payment_intent_with_our_idempotency_key(card_payment, fake_stripe, recording_handler):
    payment = card_payment
    assert (payment.method, payment.status, payment.amount) == ("stripe", "pending", Decimal("120.00"))
    [create] = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert create["params"]["amount"] == "12000" and create["params"]["currency"] == "eur"
    assert create["params"]["metadata"]["payment_reference"] == str(payment.reference)
    assert create["headers"]["idempotency-key"] == payment.idempotency_key
    assert payment.stripe_payment_intent_id in fake_stripe.intents
    assert payment.basket.status == Basket.FROZEN
    assert not Order.objects.exists()
    assert recording_handler.names() == ["prepare", "prepare"]


def test_card_page_mounts_the_payment_element(client, card_payment):
    response = client.get(reverse("checkout:card-payment"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "https://js.stripe.com/v3/" in html
    assert card_payment.stripe_client_secret in html
    assert "pk_test_fake" in html


def test_signed_succeeded_webhook_places_the_order_once(
    client, card_payment, fake_stripe, recording_handler, django_capture_on_commit_callbacks
):
    intent = fake_stripe.succeed(card_payment.stripe_payment_intent_id)
    event = stripe_event("payment_intent.succeeded", intent)

    with django_capture_on_commit_callbacks(execute=True):
        first = post_webhook(client, event)
        second = post_webhook(client, event)

    assert (first.status_code, first.json()["result"]) == (200, "processed")
    assert (second.status_code, second.json()["result"]) == (200, "duplicate")
    order = Order.objects.get()
    card_payment.refresh_from_db()
    assert (card_payment.status, card_payment.order) == ("succeeded", order)
    assert order.number == card_payment.order_number
    assert order.travellers.lead_name == "Giulia Bianchi"
    assert order.sources.get().reference == intent["id"]
    assert recording_handler.names().count("confirm") == 1
    assert StripeEvent.objects.get().payment == card_payment
    assert len(mail.outbox) == 1

    response = client.get(reverse("checkout:payment-return"))
    assert response.url == reverse("checkout:thank-you")


def test_the_same_payment_confirmed_by_two_events_places_one_order(client, card_payment, fake_stripe):
    intent = fake_stripe.succeed(card_payment.stripe_payment_intent_id)

    post_webhook(client, stripe_event("payment_intent.succeeded", intent, event_id="evt_1"))
    post_webhook(client, stripe_event("payment_intent.succeeded", intent, event_id="evt_2"))

    assert Order.objects.count() == 1
    assert StripeEvent.objects.count() == 2


def test_return_page_confirms_with_stripe_before_the_webhook_arrives(client, card_payment, fake_stripe):
    pending = client.get(reverse("checkout:payment-return"))
    assert pending.status_code == 200 and 'id="payment-pending"' in pending.content.decode()

    intent = fake_stripe.succeed(card_payment.stripe_payment_intent_id)
    response = client.get(reverse("checkout:payment-return"))

    assert response.url == reverse("checkout:thank-you")
    assert client.get(response.url).status_code == 200
    assert post_webhook(client, stripe_event("payment_intent.succeeded", intent)).status_code == 200
    assert Order.objects.count() == 1


def test_failed_payment_places_nothing_and_releases_the_holds(client, card_payment, fake_stripe, recording_handler):
    intent = fake_stripe.fail(card_payment.stripe_payment_intent_id)

    response = post_webhook(client, stripe_event("payment_intent.payment_failed", intent))

    assert response.status_code == 200
    card_payment.refresh_from_db()
    assert card_payment.status == "failed" and card_payment.failure_reason == "Your card was declined."
    assert not Order.objects.exists()
    assert recording_handler.names()[-1] == "release"
    assert Basket.objects.get(pk=card_payment.basket_id).status == Basket.OPEN
    followed = client.get(reverse("checkout:payment-return"), follow=True)
    assert followed.redirect_chain[-1][0] == reverse("checkout:payment-details")


def test_failure_arriving_after_success_changes_nothing(client, card_payment, fake_stripe, recording_handler):
    intent = fake_stripe.succeed(card_payment.stripe_payment_intent_id)
    post_webhook(client, stripe_event("payment_intent.succeeded", intent))

    post_webhook(client, stripe_event("payment_intent.payment_failed", {**intent, "status": "requires_payment_method"}))

    card_payment.refresh_from_db()
    assert card_payment.status == "succeeded"
    assert Order.objects.count() == 1
    assert "release" not in recording_handler.names()


def test_success_after_a_failure_takes_the_holds_again_and_books(client, card_payment, fake_stripe, recording_handler):
    failed = fake_stripe.fail(card_payment.stripe_payment_intent_id)
    post_webhook(client, stripe_event("payment_intent.payment_failed", failed))

    succeeded = fake_stripe.succeed(card_payment.stripe_payment_intent_id)  # second card, same page
    post_webhook(client, stripe_event("payment_intent.succeeded", succeeded))

    assert Order.objects.count() == 1
    assert recording_handler.names()[-3:] == ["release", "prepare", "confirm"]


def test_paid_but_unbookable_is_refunded_in_full(
    client, card_payment, fake_stripe, recording_handler, django_capture_on_commit_callbacks
):
    recording_handler.fail_confirm = "The last places went to someone else."
    intent = fake_stripe.succeed(card_payment.stripe_payment_intent_id)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_webhook(client, stripe_event("payment_intent.succeeded", intent))

    assert response.status_code == 200
    assert not Order.objects.exists()
    card_payment.refresh_from_db()
    assert (card_payment.status, card_payment.amount_refunded) == ("refunded", Decimal("120.00"))
    [refund] = fake_stripe.requests_to("POST", "/v1/refunds")
    assert refund["params"] == {
        "payment_intent": intent["id"],
        "amount": "12000",
        "metadata": refund["params"]["metadata"],
    }
    assert recording_handler.names()[-1] == "release"
    [notice] = mail.outbox
    assert notice.to == ["giulia@example.com"] and "rimborsato" in notice.subject
    followed = client.get(reverse("checkout:payment-return"), follow=True)
    assert followed.redirect_chain[-1][0] == reverse("basket:summary")


def test_cancel_on_the_card_page_abandons_the_payment(client, card_payment, fake_stripe, recording_handler):
    response = client.post(reverse("checkout:payment-cancel"))

    assert response.url == reverse("basket:summary")
    card_payment.refresh_from_db()
    assert card_payment.status == "abandoned"
    assert fake_stripe.intents[card_payment.stripe_payment_intent_id]["status"] == "canceled"
    assert recording_handler.names()[-1] == "release"
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.pk == card_payment.basket_id and basket.num_lines == 1


def test_stale_payments_are_abandoned_by_the_sweep(card_payment, fake_stripe, recording_handler):
    from datetime import timedelta

    from marketplace.payments.tasks import payment_abandon_stale

    Payment.objects.filter(pk=card_payment.pk).update(created_at=card_payment.created_at - timedelta(hours=1))

    assert payment_abandon_stale.delay().get() == 1

    card_payment.refresh_from_db()
    assert card_payment.status == "abandoned"
    assert recording_handler.names()[-1] == "release"


def test_sweep_confirms_a_stale_payment_that_was_paid_after_all(card_payment, fake_stripe):
    from datetime import timedelta

    from marketplace.payments.services import payment_abandon_stale

    fake_stripe.succeed(card_payment.stripe_payment_intent_id)

    payment_abandon_stale(older_than=timedelta(0))

    card_payment.refresh_from_db()
    assert card_payment.status == "succeeded" and Order.objects.count() == 1


def test_another_visitor_cannot_reach_someone_elses_payment(card_payment, fake_stripe):
    from django.test import Client

    stranger = Client()

    assert stranger.get(reverse("checkout:card-payment")).url == reverse("basket:summary")
    assert stranger.get(reverse("checkout:payment-return")).url == reverse("basket:summary")
    assert stranger.post(reverse("checkout:payment-cancel")).url == reverse("basket:summary")
    card_payment.refresh_from_db()
    assert card_payment.status == "pending"


def test_stripe_refusing_the_payment_intent_shows_an_error_and_books_nothing(
    client, product, fake_stripe, recording_handler, settings
):
    settings.STRIPE_SECRET_KEY = "rk_revoked_key"  # the fake answers 401 like Stripe does
    checkout_to_payment_page(client, product)

    response = place_order(client)

    assert response.status_code == 200
    assert "Non è stato addebitato nulla" in response.content.decode()
    payment = Payment.objects.get()
    assert payment.status == "failed" and not Order.objects.exists()
    assert recording_handler.names()[-1] == "release"
    assert Basket.objects.get(pk=payment.basket_id).status == Basket.OPEN
