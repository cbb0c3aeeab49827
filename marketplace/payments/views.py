import logging

import stripe
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .exceptions import LockTimeout
from .services import stripe_event_construct, stripe_event_process

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's webhook endpoint: verify, dedupe, hand off to the payment services.

    400 for a payload or signature we cannot trust (nothing is touched), 503 when a payment row or a
    slot of the order is locked (Stripe retries later), 200 otherwise, including events we do not handle.
    """
    try:
        event = stripe_event_construct(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except (ValueError, stripe.SignatureVerificationError) as exc:
        logger.warning("Refused a Stripe webhook: %s", exc)
        return JsonResponse({"error": "invalid payload or signature"}, status=400)
    try:
        result = stripe_event_process(event=event)
    except LockTimeout:
        return JsonResponse({"error": "busy, retry later"}, status=503)
    return JsonResponse({"received": event["id"], "result": result})
