from django.contrib import admin

from .models import Payment, StripeEvent


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["reference", "method", "status", "amount", "amount_refunded", "order", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["reference", "order_number", "stripe_payment_intent_id", "guest_email"]
    readonly_fields = [f.name for f in Payment._meta.fields]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "payment", "received_at"]
    list_filter = ["type"]
    readonly_fields = ["id", "type", "payment", "payload", "received_at"]
