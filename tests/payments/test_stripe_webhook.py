"""The webhook endpoint: signature, unknown events, lock timeouts, concurrent duplicate deliveries."""

import json
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order

from marketplace.payments.models import Payment, StripeEvent
from tests.payments.conftest import checkout_to_payment_page, place_order, post_webhook, sign, stripe_event


@pytest.fixture
def paid_intent(client, product, fake_stripe):
    checkout_to_payment_page(client, product)
    place_order(client)
    payment = Payment.objects.get()
    return payment, fake_stripe.succeed(payment.stripe_payment_intent_id)


@pytest.mark.django_db
def test_bad_signature_is_refused_and_changes_nothing(client, paid_intent):
    payment, intent = paid_intent
    event = stripe_event("payment_intent.succeeded", intent)

    wrong_secret = post_webhook(client, event, secret="whsec_someone_else")
    no_header = post_webhook(client, event, signature="")
    too_old = post_webhook(client, event, signature=sign(json.dumps(event), timestamp=int(time.time()) - 3600))

    assert [r.status_code for r in (wrong_secret, no_header, too_old)] == [400, 400, 400]
    assert "error" in wrong_secret.json()
    assert not StripeEvent.objects.exists() and not Order.objects.exists()
    payment.refresh_from_db()
    assert payment.status == "pending"


@pytest.mark.django_db
def test_malformed_payload_is_a_400(client, fake_stripe):
    payload = "not json"
    response = client.post(
        "/stripe/webhook/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(payload)
    )
    assert response.status_code == 400


UNEXPECTED_SHAPES = [
    [],
    "evt_1",
    {"type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}},  # no id
    {"id": "", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}},
    {"id": 42, "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}},
    {"id": "evt_" + "x" * 300, "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}},
    {"id": "evt_1", "data": {"object": {"id": "pi_1"}}},  # no type
    {"id": "evt_1", "type": "payment_intent.succeeded"},  # no data
    {"id": "evt_1", "type": "payment_intent.succeeded", "data": {}},  # no data.object
    {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": None}},
    {"id": "evt_1", "type": "payment_intent.payment_failed", "data": {"object": {"object": "payment_intent"}}},
    {"id": "evt_1", "type": "charge.refunded", "data": {"object": {"id": "ch_1", "amount_refunded": "all"}}},
]


@pytest.mark.django_db
@pytest.mark.parametrize("event", UNEXPECTED_SHAPES)
def test_signed_events_of_an_unexpected_shape_are_logged_and_refused(client, paid_intent, event, caplog):
    payment, _intent = paid_intent

    response = post_webhook(client, event)

    assert response.status_code == 400 and "error" in response.json()
    assert "Refused a Stripe webhook" in caplog.text
    assert not StripeEvent.objects.exists() and not Order.objects.exists()
    payment.refresh_from_db()
    assert payment.status == "pending"


@pytest.mark.django_db
def test_events_we_do_not_handle_are_acknowledged(client, fake_stripe):
    event = stripe_event("customer.created", {"id": "cus_123", "object": "customer"})

    response = post_webhook(client, event)

    assert (response.status_code, response.json()["result"]) == (200, "ignored")
    assert StripeEvent.objects.get().type == "customer.created"


@pytest.mark.django_db
def test_events_for_unknown_payment_intents_are_acknowledged(client, fake_stripe):
    event = stripe_event("payment_intent.succeeded", {"id": "pi_not_ours", "object": "payment_intent"})

    assert post_webhook(client, event).status_code == 200
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_webhook_is_not_under_a_language_prefix_and_takes_only_post(client, fake_stripe):
    assert reverse("payments:stripe-webhook") == "/stripe/webhook/"
    assert client.get("/stripe/webhook/").status_code == 405


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_locked_payment_answers_503_so_stripe_retries(paid_intent, settings):
    settings.PAYMENT_LOCK_TIMEOUT_MS = 200
    payment, intent = paid_intent
    event = stripe_event("payment_intent.succeeded", intent)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        with transaction.atomic():
            Payment.objects.select_for_update().get(pk=payment.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    locked.wait(10)
    try:
        response = post_webhook(Client(), event)
    finally:
        release.set()
        holder.join()

    assert response.status_code == 503
    assert not StripeEvent.objects.exists() and not Order.objects.exists()
    assert post_webhook(Client(), event).status_code == 200  # Stripe's retry succeeds
    assert Order.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_event_place_one_order(paid_intent):
    payment, intent = paid_intent
    event = stripe_event("payment_intent.succeeded", intent)
    start = threading.Barrier(4)
    statuses = []

    def deliver():
        start.wait()
        statuses.append(post_webhook(Client(), event).status_code)
        connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200, 200, 200]
    assert Order.objects.count() == 1
    assert StripeEvent.objects.count() == 1


@pytest.mark.django_db
def test_without_a_webhook_secret_every_event_is_refused(client, paid_intent, settings):
    payment, intent = paid_intent
    settings.STRIPE_WEBHOOK_SECRET = ""
    event = stripe_event("payment_intent.succeeded", intent)

    response = post_webhook(client, event, secret="")

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_card_payments_without_a_webhook_secret_fail_the_system_check(settings):
    from marketplace.payments.checks import stripe_settings_check

    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_live_x", ""
    assert [e.id for e in stripe_settings_check(None)] == ["payments.E001"]
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert stripe_settings_check(None) == []
