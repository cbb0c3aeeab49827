"""Refunds and cancellation: payment_refund reaches Stripe, order_cancel gives places back, one notice."""

from decimal import Decimal

import pytest
from django.core import mail
from oscar.apps.order.models import Order

from marketplace.payments.exceptions import PaymentError
from marketplace.payments.models import Payment
from marketplace.payments.services import order_cancel, payment_refund
from tests.payments.conftest import checkout_to_payment_page, place_order, post_webhook, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(client, product, fake_stripe, recording_handler, django_capture_on_commit_callbacks):
    checkout_to_payment_page(client, product)
    place_order(client)
    payment = Payment.objects.get()
    intent = fake_stripe.succeed(payment.stripe_payment_intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(client, stripe_event("payment_intent.succeeded", intent))
    mail.outbox.clear()
    payment.refresh_from_db()
    return payment


def test_partial_refund_reaches_stripe_and_is_recorded(paid_order, fake_stripe, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_refund(payment=paid_order, amount=Decimal("30.00"))

    [call] = fake_stripe.requests_to("POST", "/v1/refunds")
    assert call["params"]["payment_intent"] == payment.stripe_payment_intent_id
    assert call["params"]["amount"] == "3000"
    assert call["headers"]["idempotency-key"].startswith(f"re-{payment.reference}-")
    assert (payment.status, payment.amount_refunded) == ("succeeded", Decimal("30.00"))
    assert payment.order.sources.get().amount_refunded == Decimal("30.00")
    [notice] = mail.outbox
    assert "30,00" in notice.body and "resta confermata" in notice.body


def test_stripe_charge_refunded_event_after_our_refund_counts_it_once(
    client, paid_order, fake_stripe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment_refund(payment=paid_order, amount=Decimal("30.00"))
        charge = {
            "id": "ch_1",
            "object": "charge",
            "payment_intent": paid_order.stripe_payment_intent_id,
            "amount": 12000,
            "amount_refunded": 3000,
            "refunded": False,
        }
        post_webhook(client, stripe_event("charge.refunded", charge))

    paid_order.refresh_from_db()
    assert paid_order.amount_refunded == Decimal("30.00")
    assert len(mail.outbox) == 1


def test_refund_made_in_the_stripe_dashboard_is_recorded_and_notified(
    client, paid_order, django_capture_on_commit_callbacks
):
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": paid_order.stripe_payment_intent_id,
        "amount": 12000,
        "amount_refunded": 12000,
        "refunded": True,
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(client, stripe_event("charge.refunded", charge)).status_code == 200

    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.amount_refunded) == ("refunded", Decimal("120.00"))
    assert len(mail.outbox) == 1


def test_cannot_refund_more_than_is_left(paid_order, fake_stripe):
    payment_refund(payment=paid_order, amount=Decimal("100.00"))

    with pytest.raises(PaymentError):
        payment_refund(payment=paid_order, amount=Decimal("20.01"))
    with pytest.raises(PaymentError):
        payment_refund(payment=paid_order, amount=Decimal("0"))

    assert len(fake_stripe.requests_to("POST", "/v1/refunds")) == 1


def test_order_cancel_gives_places_back_refunds_and_notifies_once(
    paid_order, fake_stripe, recording_handler, django_capture_on_commit_callbacks
):
    order = paid_order.order

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, refund_amount=Decimal("60.00"))
        order_cancel(order=order, refund_amount=Decimal("60.00"))  # a second click changes nothing

    order.refresh_from_db()
    paid_order.refresh_from_db()
    assert order.status == "Cancelled"
    assert set(order.lines.values_list("status", flat=True)) == {"Cancelled"}
    assert recording_handler.names().count("cancel") == 1
    assert paid_order.amount_refunded == Decimal("60.00")
    assert len(fake_stripe.requests_to("POST", "/v1/refunds")) == 1
    [notice] = mail.outbox
    assert notice.subject == f"Ordine {order.number}: cancellazione"
    assert "60,00" in notice.body


def test_demo_payment_refund_moves_no_money_but_is_recorded(
    client, product, demo_mode, django_capture_on_commit_callbacks
):
    checkout_to_payment_page(client, product)
    place_order(client)
    payment = Payment.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=Order.objects.get(), refund_amount=Decimal("120.00"))

    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", Decimal("120.00"))
    assert mail.outbox[-1].subject.endswith("cancellazione")


def test_the_payment_admin_only_lists_and_sends_staff_to_the_order_page_to_cancel_or_refund(client, paid_order):
    """One rule: cancelling and refunding happen on the order's dashboard page (policy, reason, note);
    the admin's old bulk actions that skipped them are gone, and an action posted anyway does nothing."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/django-admin/payments/payment/")
    response = client.post(
        "/django-admin/payments/payment/",
        {"action": "cancel_order_and_refund", "_selected_action": [paid_order.pk]},
    )

    assert page.status_code == 200
    assert f"/shop/dashboard/orders/{paid_order.order.number}/" in page.content.decode()
    assert page.context["action_form"] is None  # no bulk actions
    assert response.status_code in (200, 302)
    paid_order.refresh_from_db()
    assert paid_order.amount_refunded == 0 and paid_order.order.status == "Confirmed"


def test_a_customer_cannot_use_the_payment_admin(client, paid_order):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.get("/django-admin/payments/payment/")

    assert response.status_code == 302 and "/login/" in response.url
