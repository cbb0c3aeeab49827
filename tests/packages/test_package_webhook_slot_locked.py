"""A slot locked a moment too long while Stripe confirms a package payment: 503 and Stripe's retry,
never a refund and a lost sale (issue 11, item 8). Only a real sell-out refunds."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order

from marketplace.payments.models import Payment
from operators.models import Hold, Slot
from tests.payments.conftest import TRAVELLERS, place_order, post_webhook, stripe_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def pay_for_a_package(client, package, on, fake_stripe) -> tuple[Payment, dict]:
    """A guest pays two adults of `package` on `on` at the fake Stripe; returns the payment and the
    `payment_intent.succeeded` event Stripe would send."""
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}),
                {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0})  # fmt: skip
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"), TRAVELLERS)
    client.get(reverse("checkout:payment-details"), follow=True)
    place_order(client)
    payment = Payment.objects.get()
    return payment, stripe_event("payment_intent.succeeded", fake_stripe.succeed(payment.stripe_payment_intent_id))


def test_a_slot_locked_while_stripe_confirms_answers_503_and_the_retry_places_the_order(
    client, two_operator_package, today, fake_stripe, settings
):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 200
    payment, event = pay_for_a_package(client, two_operator_package, today + dt.timedelta(days=30), fake_stripe)
    held = dict(Hold.objects.filter(status=Hold.Status.ACTIVE).values_list("slot_id", "quantity"))
    assert len(held) == 2
    locked, release = threading.Event(), threading.Event()

    def another_booking_holds_the_slot():
        try:
            with transaction.atomic():
                Slot.objects.select_for_update().get(pk=max(held))
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=another_booking_holds_the_slot)
    holder.start()
    try:
        assert locked.wait(10)
        busy = post_webhook(Client(), event)
    finally:
        release.set()
        holder.join()

    assert busy.status_code == 503
    assert fake_stripe.requests_to("POST", "/v1/refunds") == []
    payment.refresh_from_db()
    assert (payment.status, payment.order_id) == ("pending", None)
    assert not Order.objects.exists()
    assert dict(Hold.objects.filter(status=Hold.Status.ACTIVE).values_list("slot_id", "quantity")) == held

    retried = post_webhook(Client(), event)  # Stripe's retry, the slot free again

    assert retried.status_code == 200
    order = Order.objects.get()
    payment.refresh_from_db()
    assert (payment.status, payment.order_id) == ("succeeded", order.pk)
    assert fake_stripe.requests_to("POST", "/v1/refunds") == []
    assert dict(Slot.objects.filter(pk__in=held).values_list("pk", "reserved")) == held
    assert not Hold.objects.filter(status=Hold.Status.ACTIVE).exists()
