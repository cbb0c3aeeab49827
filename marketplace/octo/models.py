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
