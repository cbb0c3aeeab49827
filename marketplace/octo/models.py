from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.trade.models import TradeBooking, TradePartner


class ApiKey(models.Model):
    """A partner's key to the OCTO API. Only the SHA-256 of the secret is stored: a secret is shown once,
    at creation, and cannot be recovered (a lost key is revoked and replaced). `prefix` (the secret's
    first characters) lets partner and staff tell keys apart in lists."""

    partner = models.ForeignKey(TradePartner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    test_mode = models.BooleanField(_("test mode"), default=False)
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookSecret(models.Model):
    """The partner's signing secret for webhooks: every delivery carries an HMAC-SHA256 of its body made
    with it (docs/octo.md, "Webhooks"). It is a shared secret, not a password: the partner's system needs
    the same value to verify, so it is stored as is and shown to the partner's administrators, and
    rotated (replaced at once) when it may have leaked."""

    partner = models.OneToOneField(TradePartner, on_delete=models.CASCADE, related_name="webhook_secret")
    secret = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook signing secret")
        verbose_name_plural = _("webhook signing secrets")

    def __str__(self) -> str:
        return f"{self.partner} ({self.secret[:10]}…)"


class Webhook(models.Model):
    """A URL of the partner's system that receives its bookings' changes (all events, or those chosen)."""

    class Event(models.TextChoices):
        # The trade channel's booking_changed events a partner's system may hear about.
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING = "pending", _("Waiting for the operator")
        PENDING_DECIDED = "pending_decided", _("Confirmed by the operator")
        DECLINED = "declined", _("Declined by the operator")
        AMENDED = "amended", _("Amended")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    partner = models.ForeignKey(TradePartner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list, blank=True, help_text=_("Empty: every event."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    def listens_to(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)

    def get_events_display(self) -> str:
        labels = dict(self.Event.choices)
        return ", ".join(str(labels.get(e, e)) for e in self.events) if self.events else str(_("All events"))


class WebhookDelivery(models.Model):
    """One booking change sent to one webhook: the body exactly as sent (every attempt sends the same
    bytes, signed afresh), and what happened the last time it was tried."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    booking = models.ForeignKey(TradeBooking, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("event"), max_length=20)
    payload = models.TextField()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="octo_delivery_webhook_created"),
            models.Index(fields=["status", "next_attempt_at"], name="octo_delivery_status_next"),
        ]

    def __str__(self) -> str:
        return f"{self.booking.code} {self.event} → {self.webhook.url}"

    def get_event_display(self) -> str:
        return str(dict(Webhook.Event.choices).get(self.event, self.event))


class ApiBooking(models.Model):
    """What OCTO says of a trade booking made through the API that our booking model has no words for:
    the unit items as the reseller sent them (their uuids and references, kept across confirm and
    PATCH), the contact's extra fields, the cancellation reason, the key and its test mode. The booking
    itself, its places and its price are the trade channel's (marketplace.trade.bookings)."""

    booking = models.OneToOneField("trade.TradeBooking", on_delete=models.CASCADE, related_name="api")
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings")
    test_mode = models.BooleanField(default=False)
    unit_items = models.JSONField(default=list, blank=True)
    contact = models.JSONField(default=dict, blank=True)
    cancellation_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("API booking")
        verbose_name_plural = _("API bookings")

    def __str__(self) -> str:
        return str(self.booking_id)
