from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.trade.models import TradePartner


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

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


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
