"""The operator area, mounted under /<lang>/operators/ with the namespace "operator-area"."""

from django.urls import path

from . import views, views_bookings

app_name = "operator-area"

urlpatterns = [
    path("", views_bookings.OperatorHomeView.as_view(), name="home"),
    path("signup/", views.OperatorSignupView.as_view(), name="signup"),
    path("profile/", views.OperatorProfileUpdateView.as_view(), name="profile"),
    path("profile/photos/add/", views.OperatorPhotoCreateView.as_view(), name="photo-create"),
    path("profile/photos/<int:pk>/delete/", views.OperatorPhotoDeleteView.as_view(), name="photo-delete"),
    path("team/", views.OperatorTeamView.as_view(), name="team"),
    path("team/<int:pk>/delete/", views.OperatorMemberDeleteView.as_view(), name="member-delete"),
    path("invitations/<str:token>/", views.OperatorInvitationAcceptView.as_view(), name="invitation-accept"),
    path("services/", views.ServiceListView.as_view(), name="service-list"),
    path("services/add/", views.ServiceCreateView.as_view(), name="service-create"),
    path("services/<int:service_pk>/", views.ServiceUpdateView.as_view(), name="service-update"),
    path("services/<int:service_pk>/rates/", views.ServiceRatesView.as_view(), name="service-rates"),
    path("seasons/<int:pk>/delete/", views.SeasonDeleteView.as_view(), name="season-delete"),
    path("seasons/<int:pk>/prices/", views.SeasonPricesView.as_view(), name="season-prices"),
    path("seasons/<int:pk>/copy/", views.SeasonCopyView.as_view(), name="season-copy"),
    path("services/<int:service_pk>/rules/", views.ServiceRulesView.as_view(), name="service-rules"),
    path("rules/<int:pk>/generate/", views.RuleGenerateView.as_view(), name="rule-generate"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule-delete"),
    path("services/<int:service_pk>/calendar/", views.ServiceCalendarView.as_view(), name="service-calendar"),
    path(
        "services/<int:service_pk>/calendar/<int:year>/<int:month>/",
        views.ServiceCalendarView.as_view(),
        name="service-calendar-month",
    ),
    path(
        "services/<int:service_pk>/calendar/day/<str:date>/",
        views.ServiceDayUpdateView.as_view(),
        name="service-day-update",
    ),
    path("services/<int:service_pk>/ical/", views.ServiceICalImportView.as_view(), name="service-ical"),
    path("bookings/", views_bookings.BookingListView.as_view(), name="booking-list"),
    path("manifest/", views_bookings.ManifestView.as_view(), name="manifest"),
    path("manifest.csv", views_bookings.ManifestCsvView.as_view(), name="manifest-csv"),
    path("check-in/", views_bookings.CheckInView.as_view(), name="checkin"),
    path("requests/", views.RequestListView.as_view(), name="request-list"),
    path("requests/<slug:channel>/<int:pk>/", views.RequestDecideView.as_view(), name="request-decide"),
    path("staff/", views.StaffOperatorListView.as_view(), name="staff-operator-list"),
    path("staff/<int:pk>/", views.StaffOperatorDecideView.as_view(), name="staff-operator-decide"),
]
