"""Webhooks: a partner's system hears about its bookings' changes without polling (docs/octo.md).

On every `booking_changed` of the trade channel (receivers.py) each active webhook of the booking's
partner that listens to the event gets a WebhookDelivery: the OCTO booking object wrapped in an envelope,
serialised once, so every attempt sends the same bytes. A Celery task POSTs it, signed with the partner's
secret and a timestamp (`Octo-Signature: t=<unix>,v1=<hex>`, HMAC-SHA256 of "<t>.<body>"), with a
10-second timeout and no redirects followed; a failure (no answer, an answer that is not 2xx) is retried
after the delays of settings.WEBHOOK_RETRY_SCHEDULE, then the delivery is marked failed. Partners and
staff read the log and send a delivery again.

URLs must be public (marketplace.core.net): refused when saved and checked again before each attempt,
since DNS may change in between. WEBHOOK_ALLOW_PRIVATE_HOSTS lifts that for tests and private networks.

Public API:
    webhook_secret_for(*, partner) -> WebhookSecret          (made on first use)
    webhook_secret_rotate(*, partner) -> WebhookSecret
    webhook_save(*, partner, url, events, active=True, by=None, webhook=None) -> Webhook
    webhook_delete(*, webhook)
    webhook_sign(*, secret, body, timestamp) -> str          (the Octo-Signature header)
    webhook_signature_valid(*, header, body, secret, tolerance=300, now=None) -> bool
    webhooks_enqueue(*, booking, event) -> list[WebhookDelivery]
    webhook_attempt(*, delivery_id, retry_in) -> WebhookDelivery | None
    webhook_retry_delay(retries) -> float | None
    webhook_can_send_again(*, delivery, now=None) -> bool
    webhook_send_again(*, delivery, now=None) -> WebhookDelivery
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.net import UnsafeURL, check_public_url
from marketplace.trade.models import TradeBooking, TradePartner

from .models import Webhook, WebhookDelivery, WebhookSecret

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
MAX_WEBHOOKS = 5  # per partner: enough for a production and a test system, and a bound on fan-out
SIGNATURE_HEADER = "Octo-Signature"
# A pending delivery whose next attempt should have happened this long ago lost its task (a worker or
# broker restart): it may be sent again by hand.
STUCK_AFTER = dt.timedelta(minutes=15)
ENVELOPE_EVENT = "booking_update"  # OCTO's name for a booking webhook's event
CAPABILITIES = frozenset({"octo/pricing", "octo/content"})


# The signing secret


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_hex(24)


def webhook_secret_for(*, partner: TradePartner) -> WebhookSecret:
    """The partner's signing secret, made the first time it is needed (shown, or used to sign)."""
    secret, _created = WebhookSecret.objects.get_or_create(partner=partner, defaults={"secret": _new_secret()})
    return secret


def webhook_secret_rotate(*, partner: TradePartner) -> WebhookSecret:
    """Replace the secret at once: attempts from now on (retries included) are signed with the new one,
    so the partner updates its system right after rotating."""
    secret = webhook_secret_for(partner=partner)
    secret.secret, secret.rotated_at = _new_secret(), timezone.now()
    secret.save(update_fields=["secret", "rotated_at"])
    return secret


# Webhooks


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_HOSTS", False))


def _check_url(url: str) -> None:
    try:
        check_public_url(url, allow_private=_allow_private())
    except UnsafeURL as exc:
        if exc.code == "unresolved":
            message = _("This address cannot be found: %(error)s") % {"error": exc.message}
            raise ValidationError({"url": message}) from exc
        raise ValidationError({"url": exc.message}) from exc


def webhook_save(
    *,
    partner: TradePartner,
    url: str,
    events: list[str] | tuple[str, ...] = (),
    active: bool = True,
    by=None,
    webhook: Webhook | None = None,
) -> Webhook:
    """Add a webhook to `partner`, or change `webhook` (which must be the partner's). Refuses, as a
    ValidationError on "url", addresses off the public internet and more than MAX_WEBHOOKS webhooks.
    `events` empty: every event."""
    url = (url or "").strip()
    _check_url(url)
    unknown = set(events) - set(Webhook.Event.values)
    if unknown:
        raise ValidationError({"events": _("Unknown events: %(events)s") % {"events": ", ".join(sorted(unknown))}})
    chosen = [e for e in Webhook.Event.values if e in set(events)]  # a stable order
    with transaction.atomic():
        TradePartner.objects.select_for_update().filter(pk=partner.pk).first()  # serialise the count
        if webhook is None:
            if Webhook.objects.filter(partner=partner).count() >= MAX_WEBHOOKS:
                raise ValidationError({"url": _("At most %(n)s webhook addresses per partner.") % {"n": MAX_WEBHOOKS}})
            webhook = Webhook(partner=partner, created_by=by if getattr(by, "is_authenticated", False) else None)
        elif webhook.partner_id != partner.pk:
            raise ValidationError(_("This webhook belongs to another partner."))
        webhook.url, webhook.events, webhook.active = url, chosen, active
        webhook.save()
    webhook_secret_for(partner=partner)
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    """Remove the webhook and its delivery log (pending retries find it gone and stop)."""
    webhook.delete()


# Signatures


def webhook_sign(*, secret: str, body: bytes, timestamp: int) -> str:
    """The Octo-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The timestamp
    is inside the signed text, so a receiver that refuses old timestamps refuses replays."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def webhook_signature_valid(
    *, header: str, body: bytes, secret: str, tolerance: int = 300, now: float | None = None
) -> bool:
    """What a receiver does (docs/octo.md has the same in a dozen lines): parse, recompute, compare in
    constant time, refuse timestamps more than `tolerance` seconds away."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = webhook_sign(secret=secret, body=body, timestamp=timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


# Deliveries


def webhook_payload(*, booking: TradeBooking, event: str, now: dt.datetime | None = None) -> str:
    """The body sent for one booking change, serialised once: an envelope around the OCTO booking object
    (the same as GET /bookings/{uuid} with octo/pricing and octo/content)."""
    from .bookings import booking_json

    now = now or timezone.now()
    envelope = {
        "eventId": str(uuid.uuid4()),  # the same on every attempt and on "send again": receivers dedupe on it
        "event": ENVELOPE_EVENT,
        "change": event,
        "occurredAt": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "booking": booking_json(booking, capabilities=set(CAPABILITIES)),
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), default=str)


def webhooks_enqueue(*, booking: TradeBooking, event: str) -> list[WebhookDelivery]:
    """A delivery per active webhook of the booking's partner listening to `event`, each queued to the
    worker once the rows are committed. Nothing (not even the payload) is built when none listens."""
    webhooks = [w for w in Webhook.objects.filter(partner_id=booking.partner_id, active=True) if w.listens_to(event)]
    if not webhooks:
        return []
    payload = webhook_payload(booking=booking, event=event)
    now = timezone.now()
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create([
            WebhookDelivery(webhook=w, booking=booking, event=event, payload=payload, next_attempt_at=now)
            for w in webhooks
        ])  # fmt: skip
        for delivery in deliveries:
            transaction.on_commit(lambda pk=delivery.pk: _queue(pk))
    return deliveries


def _queue(delivery_id: int) -> None:
    """Queue one delivery's task. Runs after the booking's commit: a broker that is down must not turn
    the booking into an error (the delivery stays pending; staff or the partner send it again)."""
    from .tasks import webhook_deliver_task

    try:
        webhook_deliver_task.delay(delivery_id)
    except Exception:
        logger.exception("Webhook delivery %s could not be queued", delivery_id)


def webhook_retry_delay(retries: int) -> float | None:
    """Seconds to wait after failed attempt number `retries + 1`; None when it was the last one."""
    schedule = list(getattr(settings, "WEBHOOK_RETRY_SCHEDULE", ()))
    return float(schedule[retries]) if retries < len(schedule) else None


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    """One POST; (status code or None, error text or "")."""
    import requests

    try:
        check_public_url(url, allow_private=_allow_private())
    except UnsafeURL as exc:
        return None, exc.message
    try:
        response = requests.post(
            url, data=body, headers=headers, timeout=float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10)),
            allow_redirects=False, stream=True,  # the answer's body is never read
        )  # fmt: skip
        response.close()
    except requests.RequestException as exc:
        return None, str(exc)[:1000] or exc.__class__.__name__
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    if 300 <= response.status_code < 400:
        return response.status_code, _("HTTP %(code)s: redirects are not followed.") % {"code": response.status_code}
    return response.status_code, f"HTTP {response.status_code}"


def webhook_attempt(*, delivery_id: int, retry_in: float | None) -> WebhookDelivery | None:
    """Send the delivery once and record the outcome: delivered; pending with its next attempt in
    `retry_in` seconds; or failed when `retry_in` is None (no attempt left). None when the delivery (or
    its webhook) is gone. Runs outside any transaction: no lock is held while the partner's server answers."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:
        return None
    webhook = delivery.webhook
    if not webhook.active:
        code, error, retry_in = None, _("The webhook is switched off."), None
    else:
        body = delivery.payload.encode()
        secret = webhook_secret_for(partner=webhook.partner).secret
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"{settings.DMC_NAME} webhooks",
            SIGNATURE_HEADER: webhook_sign(secret=secret, body=body, timestamp=int(time.time())),
            "Octo-Event": delivery.event,
            "Octo-Delivery": str(delivery.pk),
        }
        code, error = _post(webhook.url, body, headers)
    now = timezone.now()
    fields = {"attempts": F("attempts") + 1, "last_status_code": code, "last_error": error, "last_attempt_at": now}
    if not error:
        fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now, next_attempt_at=None)
    elif retry_in is not None:
        fields.update(status=WebhookDelivery.Status.PENDING, next_attempt_at=now + dt.timedelta(seconds=retry_in))
    else:
        fields.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    delivery.refresh_from_db()
    if error:
        logger.info("Webhook delivery %s to %s failed (attempt %s): %s", delivery.pk, webhook.url, delivery.attempts,
                    error)  # fmt: skip
    return delivery


def webhook_can_send_again(*, delivery: WebhookDelivery, now: dt.datetime | None = None) -> bool:
    """Delivered and failed deliveries can be sent again; a pending one only when its task is lost
    (its next attempt is STUCK_AFTER overdue): otherwise two tasks would send it side by side."""
    if delivery.status != WebhookDelivery.Status.PENDING:
        return True
    now = now or timezone.now()
    return delivery.next_attempt_at is None or delivery.next_attempt_at < now - STUCK_AFTER


def webhook_send_again(*, delivery: WebhookDelivery, now: dt.datetime | None = None) -> WebhookDelivery:
    """Queue the same body again, with a fresh round of retries (attempts keep counting)."""
    now = now or timezone.now()
    if not webhook_can_send_again(delivery=delivery, now=now):
        raise ValidationError(_("This delivery is still being tried: wait for its next attempt."))
    if not delivery.webhook.active:
        raise ValidationError(_("Switch the webhook on before sending again."))
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.PENDING, next_attempt_at=now
        )
        transaction.on_commit(lambda: _queue(delivery.pk))
    delivery.refresh_from_db()
    return delivery
