"""Django admin for DMC staff's bulk look-ups. Status changes go through the staff screens of the
operator area (they need a reason and send an email), so status is read-only here; held and
reserved counts are read-only everywhere but in operators.capacity."""

from django import forms
from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin

from marketplace.core.dates import BoundedDateField
from marketplace.core.languages import SiteLanguagesAdminMixin

from .exceptions import LockTimeout
from .models import (
    AvailabilityRule,
    ExternalCalendar,
    Hold,
    Operator,
    OperatorMembership,
    OperatorPhoto,
    Rate,
    Reservation,
    Season,
    Service,
    Slot,
)
from .services import slot_lock_for_edit


class MembershipInline(admin.TabularInline):
    model = OperatorMembership
    extra = 0
    raw_id_fields = ["user"]


class PhotoInline(admin.TabularInline):
    model = OperatorPhoto
    extra = 0


@admin.register(Operator)
class OperatorAdmin(SiteLanguagesAdminMixin, TranslationAdmin):
    list_display = ["name", "kind", "municipality", "status", "vat_number"]
    list_filter = ["status", "kind", "municipality"]
    search_fields = ["name", "vat_number", "email"]
    readonly_fields = ["status", "status_reason", "status_changed_at", "status_changed_by"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, PhotoInline]


@admin.register(Service)
class ServiceAdmin(SiteLanguagesAdminMixin, TranslationAdmin):
    list_display = ["name", "operator", "kind", "capacity_model", "is_active"]
    list_filter = ["kind", "capacity_model", "on_request", "is_active"]
    search_fields = ["name", "operator__name"]


class RateInline(admin.TabularInline):
    model = Rate
    extra = 0


# Staff type dates too (a rule in year 9999 overflows), in a wider window than operators: a season or rule
# saved long ago must stay editable.
BOUNDED_DATES = {models.DateField: {"form_class": BoundedDateField, "past_years": 50, "future_years": 10}}


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    formfield_overrides = BOUNDED_DATES
    list_display = ["name", "service", "starts_on", "ends_on"]
    inlines = [RateInline]
    raw_id_fields = ["service"]


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(admin.ModelAdmin):
    formfield_overrides = BOUNDED_DATES
    list_display = ["service", "starts_on", "ends_on", "weekdays", "start_times", "capacity"]
    raw_id_fields = ["service"]


class SlotAdminForm(forms.ModelForm):
    """Locks the slot being edited (until the admin's transaction commits) and refuses a capacity
    below what is held and booked, as the operator area does: a clear form error, never a 500."""

    class Meta:
        model = Slot
        fields = [
            "service",
            "rule",
            "date",
            "start_time",
            "all_day",
            "capacity",
            "closed",
            "blocked",
            "capacity_locked",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "capacity" in cleaned:
            try:
                slot_lock_for_edit(slot_id=self.instance.pk, capacity=cleaned["capacity"])
            except LockTimeout as exc:
                raise forms.ValidationError(exc.message) from exc
        return cleaned


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """`held` and `reserved` are shown, never written: only operators.capacity changes them."""

    form = SlotAdminForm
    list_display = ["service", "date", "start_time", "capacity", "held", "reserved", "closed", "blocked"]
    list_filter = ["closed", "blocked"]
    date_hierarchy = "date"
    raw_id_fields = ["service", "rule"]
    readonly_fields = ["held", "reserved"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a slot to another day or service would move its holds and bookings with it, outside
        # the capacity service: an existing slot keeps where and when it is.
        if obj is not None and obj.pk:
            return [*self.readonly_fields, "service", "date", "start_time"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # A plain save() would write back the counters read when the form was posted, losing a hold
        # taken since (lost update, then oversell): write only what the form changed. A capacity set
        # by hand is kept by the next rule run, as in the operator area (`slot_update`).
        fields = list(form.changed_data)
        if "capacity" in fields:
            obj.capacity_locked = True
            fields.append("capacity_locked")
        obj.save(update_fields=sorted(set(fields)) if change else None)


class CapacityRowAdmin(admin.ModelAdmin):
    """Holds and reservations are read here, never added or deleted: a deleted row would leave its places
    counted on the slot for good. They change only through operators.capacity (release, cancel)."""

    search_fields = ["reference"]
    list_filter = ["status"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hold)
class HoldAdmin(CapacityRowAdmin):
    list_display = ["reference", "slot", "quantity", "status", "expires_at"]


@admin.register(Reservation)
class ReservationAdmin(CapacityRowAdmin):
    list_display = ["reference", "slot", "quantity", "status", "created_at"]


admin.site.register(ExternalCalendar)
