import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.history import history_tags


class Payment(models.Model):
    """Our record of one attempt to pay for a basket, and what came of it.

    The order does not exist while the customer pays: it is placed when Stripe confirms. So this row
    carries what placing needs (basket, user or guest email, the order number shown to Stripe, the
    travellers) and later points at the order. The Stripe PaymentIntent id is the reference a webhook
    event is matched by (pretix's ReferencedStripeObject); the idempotency key makes a retried create
    return the same PaymentIntent instead of a second charge.
    """

    class Method(models.TextChoices):
        STRIPE = "stripe", _("Card (Stripe)")
        DEMO = "demo", _("Demo payment — no money moves")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Failed")
        ABANDONED = "abandoned", _("Abandoned")
        REFUNDED = "refunded", _("Refunded")

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    method = models.CharField(max_length=10, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    basket = models.ForeignKey("basket.Basket", on_delete=models.SET_NULL, null=True, related_name="+")
    order = models.ForeignKey("order.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="payments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guest_email = models.EmailField(blank=True)
    order_number = models.CharField(max_length=128)
    travellers = models.JSONField(default=dict)
    # The tourist's language at checkout: the order (OrderTravellers.language) and their emails keep it.
    language = models.CharField(max_length=10, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_client_secret = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__lte=models.F("amount")), name="payment_refund_within_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} {self.currency} ({self.status})"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(order=self.order_id)


class StripeEvent(models.Model):
    """Each Stripe webhook event we processed, keyed by its id: Stripe delivers some twice."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=100)
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.type} {self.id}"
