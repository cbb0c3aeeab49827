"""The DMC staff's package builder: Django admin with ordered inlines and a live price preview.

Why the Django admin rather than a Wagtail ModelViewSet: a package is edited together with its
ordered components, cancellation tiers and photos, and Django's admin gives inline formsets for plain
models out of the box (Wagtail's InlinePanel needs ClusterableModel/ParentalKey models, which would
tie our domain models to modelcluster). The preview under the form shows, for the saved package, the
price for a sample date and party (each component's share and the markup) and the days it can be
sold; changing the sample re-renders it (a GET form, no JavaScript needed). Saving, publishing and
withdrawing go through packages.services so the Oscar product stays in step.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from marketplace.core.languages import SiteLanguagesAdminMixin

from .models import (
    CancellationTier,
    Package,
    PackageBooking,
    PackageBookingPart,
    PackageComponent,
    PackagePhoto,
    PackageSupplierTerms,
)
from .pages import package_builder_preview
from .selectors import PackageUnavailable
from .services import package_publish, package_sync_product, package_withdraw


class PackageComponentInline(SiteLanguagesAdminMixin, TranslationTabularInline):
    model = PackageComponent
    extra = 1
    raw_id_fields = ("service",)
    fields = ("day", "position", "service", "start_time", "quantity_rule", "room_size", "note")


class CancellationTierInline(admin.TabularInline):
    model = CancellationTier
    extra = 1


class PackagePhotoInline(SiteLanguagesAdminMixin, TranslationTabularInline):
    model = PackagePhoto
    extra = 0


@admin.register(Package)
class PackageAdmin(SiteLanguagesAdminMixin, TranslationAdmin):
    list_display = ("title", "status", "area", "duration_days", "price_from")
    # Automatic single-service packages (services.service_package_sync) apart from staff's: filter "by
    # single service" (empty: assembled by staff). Their texts follow the service at each sync.
    list_filter = ("status", ("single_service", admin.EmptyFieldListFilter), "on_request", "area")
    readonly_fields = ("single_service",)
    search_fields = ("title_it", "title_en", "slug")
    prepopulated_fields = {"slug": ("title_it",)}
    inlines = [PackageComponentInline, CancellationTierInline, PackagePhotoInline]
    actions = ["publish_selected", "withdraw_selected"]
    change_form_template = "admin/packages/package/change_form.html"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.product_id or form.instance.is_published:
            package_sync_product(package=form.instance)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["package_preview"] = package_builder_preview(package=obj, data=request.GET)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @admin.action(description=_("Publish the selected packages"))
    def publish_selected(self, request, queryset):
        for package in queryset:
            try:
                package_publish(package=package)
            except PackageUnavailable as exc:
                self.message_user(request, f"{package}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Withdraw the selected packages"))
    def withdraw_selected(self, request, queryset):
        for package in queryset:
            package_withdraw(package=package)


@admin.register(PackageSupplierTerms)
class PackageSupplierTermsAdmin(admin.ModelAdmin):
    list_display = ("operator", "commission_percent")
    raw_id_fields = ("operator",)


class PackageBookingPartInline(admin.TabularInline):
    model = PackageBookingPart
    extra = 0
    can_delete = False
    readonly_fields = (
        "operator",
        "service",
        "is_extra",
        "date",
        "start_time",
        "places",
        "amount",
        "commission_percent",
    )
    fields = readonly_fields


@admin.register(PackageBooking)
class PackageBookingAdmin(admin.ModelAdmin):
    list_display = ("order_line", "package", "starts_on", "price", "status")
    list_filter = ("status",)
    readonly_fields = ("order_line", "package", "starts_on", "party", "price", "status", "refund_amount")
    inlines = [PackageBookingPartInline]
