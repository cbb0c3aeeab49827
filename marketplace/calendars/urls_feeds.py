"""The feeds, outside i18n_patterns (no language prefix, no redirect), namespace "calendar-feeds".
The token in the path is the credential: keep these URLs out of logs you share."""

from django.urls import path

from . import views

app_name = "calendar-feeds"

urlpatterns = [
    path(
        "trade/feeds/<str:token>/availability/<str:product>.ics",
        views.AvailabilityFeedView.as_view(),
        name="availability",
    ),
    path("trade/feeds/<str:token>/bookings.ics", views.PartnerBookingsFeedView.as_view(), name="partner-bookings"),
    path(
        "operators/feeds/<str:token>/bookings.ics", views.OperatorBookingsFeedView.as_view(), name="operator-bookings"
    ),
]
