"""The observatory's pages for operators and partners, under i18n_patterns (namespace "observatory"): one
in the operator area's paths, one in the partner portal's. Mounted by marketplace/urls.py rather than by
operators' or trade's urls: this app reads both, so neither may include it (no import cycles, DESIGN.md).
The operator area links here by URL name from its template; the portal lists it through its registry
(apps.py)."""

from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("operators/figures/", views.OperatorDashboardView.as_view(), name="operator"),
    path("operators/figures/<slug:key>.<str:fmt>", views.OperatorExportView.as_view(), name="operator-export"),
    path("trade/figures/", views.PartnerDashboardView.as_view(), name="partner"),
    path("trade/figures/<slug:key>.<str:fmt>", views.PartnerExportView.as_view(), name="partner-export"),
]
