"""The Calendars pages, under i18n_patterns (namespace "calendars"): one in the partner portal's paths,
one in the operator area's. Mounted by marketplace/urls.py rather than by trade's or operators' urls:
this app reads both, so neither may include it (no import cycles, DESIGN.md)."""

from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("trade/calendars/", views.PartnerCalendarsView.as_view(), name="partner"),
    path("trade/calendars/rotate/", views.PartnerCalendarRotateView.as_view(), name="partner-rotate"),
    path("operators/calendars/", views.OperatorCalendarsView.as_view(), name="operator"),
    path("operators/calendars/rotate/", views.OperatorCalendarRotateView.as_view(), name="operator-rotate"),
]
