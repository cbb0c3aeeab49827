from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.trade.models import TradePartner
from operators.models import Operator


class CalendarFeedToken(models.Model):
    """The secret in a calendar feed's URL, one per owner and kind (marketplace/calendars/tokens.py).

    The token itself is stored, not only a hash: the Calendars page shows its owner the URL again (a
    calendar app is re-subscribed from it). Requests find the row by `lookup`, the SHA-256 of the token
    (an index on attacker-chosen text would leak a real token's prefix through timing; on its hash it
    cannot), then compare the token in constant time. Rotating replaces both on the same row: the old
    URL answers 404 at once."""

    class Kind(models.TextChoices):
        AVAILABILITY = "availability", _("Availability")
        PARTNER_BOOKINGS = "partner_bookings", _("Partner's bookings")
        OPERATOR_BOOKINGS = "operator_bookings", _("Operator's bookings")

    partner = models.ForeignKey(
        TradePartner, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    token = models.CharField(max_length=64)
    lookup = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(partner__isnull=False, operator__isnull=True, kind__in=["availability", "partner_bookings"])
                    | Q(partner__isnull=True, operator__isnull=False, kind="operator_bookings")
                ),
                name="calendars_token_one_owner",
            ),
            models.UniqueConstraint(
                fields=["partner", "kind"], condition=Q(partner__isnull=False), name="calendars_token_partner_kind"
            ),
            models.UniqueConstraint(
                fields=["operator", "kind"], condition=Q(operator__isnull=False), name="calendars_token_operator_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner or self.operator}: {self.get_kind_display()}"
