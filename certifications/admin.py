"""Django admin: schemes editable (with their translations), awards read-only.

Award decisions go through the staff pages so that each one is a service call with its history.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from marketplace.core.languages import SiteLanguagesAdminMixin

from .forms import SchemeForm
from .models import Award, AwardEvent, AwardEvidence, Scheme


@admin.register(Scheme)
class SchemeAdmin(SiteLanguagesAdminMixin, TranslationAdmin):
    form = SchemeForm
    list_display = ["name", "issuer", "verified_by", "expires", "validity_months", "is_active"]
    list_filter = ["is_active", "verified_by"]
    search_fields = ["name", "issuer"]
    prepopulated_fields = {"slug": ["name"]}


class AwardEventInline(admin.TabularInline):
    model = AwardEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "action", "from_status", "to_status", "actor", "reason", "data"]

    def has_add_permission(self, request, obj=None):
        return False


class AwardEvidenceInline(admin.TabularInline):
    model = AwardEvidence
    extra = 0
    can_delete = False
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["scheme", "subject_name", "status", "awarded_on", "expires_on"]
    list_filter = ["status", "scheme"]
    search_fields = ["subject_name", "reference"]
    inlines = [AwardEvidenceInline, AwardEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
