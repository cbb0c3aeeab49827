from django.contrib import admin

from .models import OrderTravellers


@admin.register(OrderTravellers)
class OrderTravellersAdmin(admin.ModelAdmin):
    """Staff look up who travels on an order (Oscar's order dashboard shows no travellers yet)."""

    list_display = ["order", "lead_first_name", "lead_last_name", "lead_phone", "policy_accepted_at"]
    search_fields = ["order__number", "lead_last_name", "lead_phone"]
    raw_id_fields = ["order"]
