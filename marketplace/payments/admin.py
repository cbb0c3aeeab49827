from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Payment, StripeEvent


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only payments. Cancelling and refunding are done on the order's page of Oscar's dashboard
    (marketplace/shop/dashboard/orders), the one place that applies the cancellation policy, asks why
    and records who did it; each row links there. Admin actions that did the same without those
    rules were removed so there is one way to do it."""

    list_display = ["reference", "method", "status", "amount", "amount_refunded", "order_link", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["reference", "order_number", "stripe_payment_intent_id", "guest_email"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    list_select_related = ["order"]
    actions = None  # no bulk actions at all, not even "delete selected"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("order"))
    def order_link(self, payment):
        if payment.order is None:
            return "-"
        url = reverse("dashboard:order-detail", kwargs={"number": payment.order.number})
        return format_html(
            '<a href="{}">{}</a>', url, _("%(number)s: cancel or refund") % {"number": payment.order.number}
        )


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "payment", "received_at"]
    list_filter = ["type"]
    readonly_fields = ["id", "type", "payment", "payload", "received_at"]

    def has_add_permission(self, request):
        return False
