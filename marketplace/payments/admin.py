from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .exceptions import LockTimeout, PaymentError
from .models import Payment, StripeEvent
from .services import order_cancel, payment_refund


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only payments, with the two things staff do by hand: refund, or cancel and refund."""

    list_display = ["reference", "method", "status", "amount", "amount_refunded", "order", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["reference", "order_number", "stripe_payment_intent_id", "guest_email"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    actions = ["refund_in_full", "cancel_order_and_refund"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Refund what is left (the booking stays)"), permissions=["change"])
    def refund_in_full(self, request, queryset):
        self._run(request, queryset, lambda p: payment_refund(payment=p, amount=p.amount - p.amount_refunded))

    @admin.action(description=_("Cancel the order and refund what is left"), permissions=["change"])
    def cancel_order_and_refund(self, request, queryset):
        def cancel(payment):
            if payment.order is None:
                raise PaymentError(_("Payment %(ref)s has no order.") % {"ref": payment.reference})
            order_cancel(order=payment.order, refund_amount=payment.amount - payment.amount_refunded)

        self._run(request, queryset, cancel)

    def _run(self, request, queryset, action) -> None:
        done = 0
        for payment in queryset:
            try:
                action(payment)
            except (PaymentError, LockTimeout) as exc:
                self.message_user(request, f"{payment.reference}: {exc}", level=messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, ngettext("%d payment done.", "%d payments done.", done) % done)


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "payment", "received_at"]
    list_filter = ["type"]
    readonly_fields = ["id", "type", "payment", "payload", "received_at"]

    def has_add_permission(self, request):
        return False
