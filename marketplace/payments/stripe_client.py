"""The one place that builds Stripe's client.

A StripeClient per call instead of module globals (stripe.api_key / stripe.api_base): settings are
read each time, so tests switch keys and the base URL with override_settings, and threads share no
mutable state. STRIPE_API_BASE, when set, replaces https://api.stripe.com (the same thing
`stripe.api_base` does globally): tests point it at tests/payments/fake_stripe.py.
"""

import stripe
from django.conf import settings


def stripe_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base_addresses, max_network_retries=2)


def amount_to_minor(amount) -> int:
    """Stripe counts EUR in cents."""
    return int((amount * 100).to_integral_value())
