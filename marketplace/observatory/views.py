"""The observatory's screens and exports for the three audiences: DMC staff (in Wagtail's admin, every
figure), an operator (in its area, `Scope(operator_id=…)`) and a trade partner (in its portal,
`Scope(partner_id=…)`).

The scope comes from the logged-in user only (the operator area's and the portal's own mixins find
the operator or partner), never from the URL: the GET parameters are filters, and figures.py applies
the scope under every filter, so no parameter can show another operator's or partner's figures. The
exports answer the page's table with the page's filters (the links carry the page's query string).

The operator and partner pages live under the operator area's and the portal's paths but are mounted
by marketplace/urls.py (urls_pages.py): this app reads operators and trade, which never import it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from marketplace.trade.views_portal import PortalMixin
from operators.views import OperatorAreaMixin

from .exports import EXPORTERS
from .figures import FiltersForm, Scope, dashboard, table
from .presentation import table_view

STAFF_PERMISSION = "observatory.view_bookingfact"


def _query(request) -> dict:
    """The page's filters as they came (the export re-reads them through the same form)."""
    return {name: request.GET.getlist(name) for name in FiltersForm.base_fields if name in request.GET}


def observatory_context(request, scope: Scope, export_url_name: str) -> dict:
    """The filter form, the filters it gave and every table the scope may see, laid out."""
    form = FiltersForm(request.GET or None, scope=scope)
    filters = form.filters()

    def export_url(key: str, fmt: str) -> str:
        return reverse(export_url_name, kwargs={"key": key, "fmt": fmt})

    return {
        "form": form,
        "filters": filters,
        "tables": [table_view(t, export_url, _query(request)) for t in dashboard(scope, filters)],
        "geojson_url": static("observatory/municipalities.geojson"),
        "scope": scope,
    }


def export_response(request, scope: Scope, key: str, fmt: str):
    """One table as CSV or XLSX, for this scope and the request's filters; an unknown table or format,
    or a table this scope may not see, is a 404."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404
    filters = FiltersForm(request.GET or None, scope=scope).filters()
    try:
        found = table(scope, filters, key)
    except KeyError:
        raise Http404 from None
    return exporter(found, filters)


# DMC staff, in Wagtail's admin


class StaffMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(STAFF_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffDashboardView(StaffMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Observatory")
    page_subtitle = gettext_lazy("The destination's figures")
    header_icon = "table"
    template_name = "observatory/admin_dashboard.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title, "sublabel": self.page_subtitle}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(observatory_context(self.request, Scope(), "observatory_admin_export"))
        return context


class StaffExportView(StaffMixin, View):
    def get(self, request, key: str, fmt: str):
        return export_response(request, Scope(), key, fmt)


# An operator, in its area


class OperatorDashboardView(OperatorAreaMixin, TemplateView):
    template_name = "observatory/operator_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(observatory_context(self.request, Scope(operator_id=self.operator.pk),
                                           "observatory:operator-export"))  # fmt: skip
        return context


class OperatorExportView(OperatorAreaMixin, View):
    def get(self, request, key: str, fmt: str):
        return export_response(request, Scope(operator_id=self.operator.pk), key, fmt)


# A trade partner, in its portal (approved partners only, as every portal page)


class PartnerDashboardView(PortalMixin, View):
    def on_get(self, request):
        context = observatory_context(request, Scope(partner_id=self.partner.pk), "observatory:partner-export")
        return self.render("observatory/partner_dashboard.html", **context)


class PartnerExportView(PortalMixin, View):
    def on_get(self, request, key: str, fmt: str):
        return export_response(request, Scope(partner_id=self.partner.pk), key, fmt)
