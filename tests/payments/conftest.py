"""Scenario fixtures for checkout and payments: a shippable-nothing product, fake Stripe, signed webhooks."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.apps.catalogue.models import ProductClass
from oscar.test.factories import create_product

from tests.bookings.recording_handler import RecordingHandler
from tests.payments.fake_stripe import FakeStripe

WEBHOOK_SECRET = "whsec_test_secret"
HANDLER = "tests.bookings.recording_handler.RecordingHandler"


@pytest.fixture
def recording_handler(settings):
    settings.BOOKING_LINE_HANDLERS = [HANDLER]
    RecordingHandler.reset()
    yield RecordingHandler
    RecordingHandler.reset()


@pytest.fixture
def product(db):
    """A plain Oscar product that needs no shipping (what packages will be), 120 EUR, VAT included."""
    ProductClass.objects.get_or_create(
        name="Experience", defaults={"slug": "experience", "requires_shipping": False, "track_stock": True}
    )
    return create_product(
        title="Wine tasting in Montecarlo", product_class="Experience", price=Decimal("120.00"), num_in_stock=10
    )


@pytest.fixture
def demo_mode(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.base_url
    yield fake
    fake.stop()


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Stripe's scheme: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<payload>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def stripe_event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{obj['id']}_{event_type}",
        "object": "event",
        "type": event_type,
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


def post_webhook(client, event: dict, secret: str = WEBHOOK_SECRET, signature: str | None = None):
    payload = json.dumps(event)
    return client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(payload, secret),
    )


TRAVELLERS = {
    "lead_first_name": "Giulia",
    "lead_last_name": "Bianchi",
    "lead_phone": "+39 0583 123456",
    "country": "IT",
    "other_travellers": "Marco Bianchi\n  Sofia   Bianchi \n",
    "accept_policy": "on",
}


def checkout_to_payment_page(client, product, email="giulia@example.com"):
    """Add the product, check out as a guest, give the travellers: the browser is on the payment page."""
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert response.status_code == 302
    response = client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
    assert response.status_code == 302 and response.url == reverse("checkout:travellers")
    response = client.post(reverse("checkout:travellers"), TRAVELLERS, follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:payment-details")
    assert response.status_code == 200
    return response


def place_order(client):
    return client.post(reverse("checkout:preview"), {"action": "place_order"})
