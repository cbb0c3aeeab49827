"""The OCTO app's pages in the Wagtail admin's Trade menu (trade's group hears `register_trade_menu_item`):
API keys (list with a partner filter, make one and see its secret once, revoke, set the rate limit) and
the webhook deliveries (filter by partner, status and event; details and send again)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from marketplace.trade.wagtail_hooks import ServiceOwnedPolicy

from . import admin_views
from .models import ApiKey, WebhookDelivery

TRADE_MENU_HOOK = "register_trade_menu_item"


# Keys are revoked, never deleted (bookings made with them point at them); deliveries are a log.
register_permission_policy(ApiKey, ServiceOwnedPolicy(ApiKey, denied=("delete",)))
register_permission_policy(WebhookDelivery, ServiceOwnedPolicy(WebhookDelivery, denied=("add", "change", "delete")))


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("API keys")
    menu_hook = TRADE_MENU_HOOK
    menu_order = 50
    index_view_class = admin_views.ApiKeyIndexView
    add_view_class = admin_views.ApiKeyCreateView
    edit_view_class = admin_views.ApiKeyEditView
    list_display = [
        "name",
        Column("partner", label=_("Partner")),
        Column("prefix", label=_("Prefix")),
        DateColumn("created_at", label=_("Created")),
        DateColumn("last_used_at", label=_("Last used")),
        BooleanColumn("test_mode", label=_("Test mode")),
        DateColumn("revoked_at", label=_("Revoked")),
        Column("rate_limit_per_minute", label=_("Requests per minute")),
    ]
    filterset_class = admin_views.ApiKeyFilterSet
    search_fields = ["name", "prefix", "partner__legal_name"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return admin_views.ApiKeyEditForm if for_update else admin_views.ApiKeyCreateForm

    def get_urlpatterns(self):
        revoke = admin_views.ApiKeyRevokeView.as_view()
        return [*super().get_urlpatterns(), path("revoke/<int:pk>/", revoke, name="revoke")]


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "resubmit"
    menu_label = _("Webhook deliveries")
    menu_hook = TRADE_MENU_HOOK
    menu_order = 51
    index_view_class = admin_views.DeliveryIndexView
    list_display = [
        DateColumn("created_at", label=_("Created")),
        Column("partner", label=_("Partner"), accessor="webhook.partner"),
        Column("booking", label=_("Booking"), accessor="booking.code"),
        Column("event", label=_("Event"), accessor="get_event_display"),
        Column("url", label=_("URL"), accessor="webhook.url"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("attempts", label=_("Attempts")),
        Column("last_status_code", label=_("Last HTTP status")),
        Column("last_error", label=_("Last error")),
    ]
    filterset_class = admin_views.DeliveryFilterSet
    search_fields = ["booking__code", "webhook__url", "webhook__partner__legal_name"]
    copy_view_enabled = False
    form_fields = ["event"]  # never used: adding and editing are denied by the policy above

    def get_urlpatterns(self):
        detail = admin_views.DeliveryDetailView.as_view()
        return [*super().get_urlpatterns(), path("detail/<int:pk>/", detail, name="detail")]


@hooks.register("register_admin_viewset")
def register_octo_viewsets():
    return [ApiKeyViewSet("octo_api_keys"), WebhookDeliveryViewSet("octo_deliveries")]
