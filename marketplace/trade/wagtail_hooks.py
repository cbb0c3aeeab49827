"""The trade channel's back office, in Wagtail's admin: where DMC staff already edit the destination's pages
and label schemes and review operators. One "Trade" menu holds the partners (filters by status and
country, search, review and decide), contracts (net prices and cancellation tiers inline), allotments
(created and released through the capacity service), the partners' bookings (filters by partner, status
and date; cancel on a partner's behalf) and the partners' figures (a report, exportable).

Permissions come from the role table (marketplace.core.roles grants "trade.*" to DMC staff). Generic
forms never write what a service owns: allotments are not edited or deleted in place, bookings are not
added, edited or deleted (registered permission policies deny those actions), and a partner's status is
not a field of its form.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from marketplace.core.staff_todo import ITEMS_SHOWN, STAFF_TODO_HOOK, StaffTodo, StaffTodoItem
from marketplace.core.wagtail_history import changes_history_view

from . import admin_views
from .forms_admin import AllotmentAdminForm, ContractAdminForm, TradePartnerAdminForm
from .models import Allotment, Contract, TradeBooking, TradePartner


class ServiceOwnedPolicy(ModelPermissionPolicy):
    """Model permissions, less the generic actions a service owns for this model."""

    def __init__(self, model, denied=(), **kwargs):
        super().__init__(model, **kwargs)
        self.denied = frozenset(denied)

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.denied])


register_permission_policy(Allotment, ServiceOwnedPolicy(Allotment, denied=("change", "delete")))
register_permission_policy(TradeBooking, ServiceOwnedPolicy(TradeBooking, denied=("add", "change", "delete")))


class FormsetPanel(Panel):
    """An inline table of a plain Django inline formset built by the form (`form.child_formsets[name]`):
    rows of the contract's net prices or cancellation tiers, no JavaScript needed (three empty rows)."""

    def __init__(self, formset_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset_name = formset_name

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "formset_name": self.formset_name}

    class BoundPanel(Panel.BoundPanel):
        template_name = "trade/admin/formset_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["formset"] = self.form.child_formsets[self.panel.formset_name]
            return context


class TradePartnerViewSet(ModelViewSet):
    model = TradePartner
    icon = "group"
    menu_label = _("Trade partners")
    index_view_class = admin_views.TradePartnerIndexView
    list_display = [
        "legal_name",
        Column("country", label=_("Country")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        "billing_email",
        DateColumn("created_at", label=_("Signed up")),
    ]
    filterset_class = admin_views.TradePartnerFilterSet
    search_fields = ["legal_name", "tax_id", "billing_email", "contact_name", "licence_number"]
    copy_view_enabled = False
    list_export = ["legal_name", "country", "tax_id", "status", "billing_email", "contact_name", "phone"]

    def get_form_class(self, for_update=False):
        return TradePartnerAdminForm

    def get_urlpatterns(self):
        decide = admin_views.TradePartnerDecideView.as_view()
        return [*super().get_urlpatterns(), path("decide/<int:pk>/", decide, name="decide")]


class ContractViewSet(ModelViewSet):
    model = Contract
    icon = "doc-full"
    history_view_class = changes_history_view("contract")  # with its net prices, tiers and allotments
    menu_label = _("Contracts")
    list_display = [
        "name",
        "partner",
        DateColumn("valid_from", label=_("Valid from")),
        DateColumn("valid_to", label=_("Valid to")),
        Column("rate_kind", label=_("Rate"), accessor="get_rate_kind_display"),
        Column("payment_terms", label=_("Payment terms"), accessor="get_payment_terms_display"),
    ]
    list_filter = ["partner", "rate_kind", "payment_terms"]
    search_fields = ["name", "partner__legal_name"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("partner"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
            MultiFieldPanel(
                [FieldPanel("scope"), FieldPanel("packages"), FieldPanel("operators"), FieldPanel("services")],
                heading=_("Products"),
            ),
            MultiFieldPanel([FieldPanel("rate_kind"), FieldPanel("commission_percent")], heading=_("Rate")),
            FormsetPanel(
                "net_prices",
                heading=_("Net prices"),
                help_text=_("Net-rate contracts: one row per product, season and price category."),
            ),  # fmt: skip
            MultiFieldPanel(
                [
                    FieldPanel("payment_terms"),
                    FieldPanel("credit_limit"),
                    FieldPanel("general_sale"),
                    FieldPanel("amendments_allowed"),
                ],
                heading=_("Terms"),
            ),  # fmt: skip
            FormsetPanel(
                "cancellation_tiers",
                heading=_("Cancellation policy"),
                help_text=_("Until N days before the date, this percentage of the net is not charged."),
            ),  # fmt: skip
        ],
        base_form_class=ContractAdminForm,
    )


class AllotmentViewSet(ModelViewSet):
    model = Allotment
    icon = "calendar"
    history_view_class = changes_history_view()
    menu_label = _("Allotments")
    index_view_class = admin_views.AllotmentIndexView
    add_view_class = admin_views.AllotmentCreateView
    list_display = [
        Column("service", label=_("Service")),
        Column("partner", label=_("Partner"), accessor="contract.partner"),
        DateColumn("starts_on", label=_("From")),
        DateColumn("ends_on", label=_("To")),
        Column("quantity", label=_("Places per slot")),
        Column("release_days", label=_("Release (days before)")),
        Column("status", label=_("Status"), accessor="get_status_display"),
    ]
    filterset_class = admin_views.AllotmentFilterSet
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return AllotmentAdminForm

    def get_urlpatterns(self):
        detail = admin_views.AllotmentDetailView.as_view()
        return [*super().get_urlpatterns(), path("detail/<int:pk>/", detail, name="detail")]


class TradeBookingViewSet(ModelViewSet):
    model = TradeBooking
    icon = "clipboard-list"
    menu_label = _("Trade bookings")
    index_view_class = admin_views.TradeBookingIndexView
    list_display = [
        Column("code", label=_("Booking code")),
        "partner",
        Column("product", label=_("Product")),
        DateColumn("starts_on", label=_("Date")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("net_amount", label=_("Net price (EUR)")),
        Column("partner_reference", label=_("Partner's reference")),
    ]
    filterset_class = admin_views.TradeBookingFilterSet
    search_fields = ["code", "partner_reference", "lead_last_name", "partner__legal_name"]
    copy_view_enabled = False
    form_fields = ["partner_reference"]  # never used: adding and editing are denied by the policy above

    def get_urlpatterns(self):
        detail = admin_views.TradeBookingDetailView.as_view()
        return [*super().get_urlpatterns(), path("detail/<int:pk>/", detail, name="detail")]


class PartnerFiguresViewSet(ViewSet):
    """The report as a menu entry of the Trade group."""

    icon = "table"
    menu_label = _("Partners' figures")

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    @property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        class FiguresMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm("trade.view_tradebooking")

        return FiguresMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.PartnerFiguresView.as_view(), name="index"),
            path("results/", admin_views.PartnerFiguresView.as_view(results_only=True), name="results"),
        ]


class TradeViewSetGroup(ModelViewSetGroup):
    menu_label = _("Trade")
    menu_icon = "globe"
    menu_order = 260
    # Other apps' pages join this menu by registering with this hook (the OCTO app's API keys and webhook
    # deliveries: their viewsets set `menu_hook = TRADE_MENU_HOOK`), so trade never imports them.
    submenu_hook = "register_trade_menu_item"
    items = (
        TradePartnerViewSet("trade_partners"),
        ContractViewSet("trade_contracts"),
        AllotmentViewSet("trade_allotments"),
        TradeBookingViewSet("trade_bookings"),
        PartnerFiguresViewSet("trade_figures"),
    )


@hooks.register("register_admin_viewset")
def register_trade_viewsets():
    return TradeViewSetGroup()


@hooks.register(STAFF_TODO_HOOK)
def staff_todo_pending_partners(request):
    """On the admin's home ("Needs you"): the partners waiting for a decision, each linked to its review."""
    if not request.user.has_perm("trade.change_tradepartner"):
        return None
    pending = TradePartner.objects.filter(status=TradePartner.Status.PENDING)
    return StaffTodo(
        key="partners",
        title=_("Trade partners waiting for approval"),
        count=pending.count(),
        url=reverse("trade_partners:index") + "?status=pending",
        items=[
            StaffTodoItem(
                text=partner.legal_name,
                url=reverse("trade_partners:decide", kwargs={"pk": partner.pk}),
                detail=partner.country,
            )
            for partner in pending.order_by("created_at", "pk")[:ITEMS_SHOWN]
        ],
        order=20,
    )
