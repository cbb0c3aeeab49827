from django.conf import settings
from django.core.checks import Error, register


@register("payments")
def stripe_settings_check(app_configs, **kwargs):
    """Card payments without a webhook secret would never place orders (every event is refused)."""
    if settings.STRIPE_SECRET_KEY and not settings.STRIPE_WEBHOOK_SECRET:
        return [
            Error(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not.",
                hint="Set STRIPE_WEBHOOK_SECRET to the endpoint's whsec_… secret (docs/stripe.md).",
                id="payments.E001",
            )
        ]
    return []
