"""The partner portal: home ("trade:home"), availability grid, bookings, statements (views_portal)."""

from django.urls import path

from . import views_portal

urlpatterns: list = [
    path("", views_portal.PortalHomeView.as_view(), name="home"),
    path("availability/", views_portal.GridView.as_view(), name="grid"),
    path("book/<str:key>/", views_portal.BookView.as_view(), name="book"),
    path("bookings/", views_portal.BookingListView.as_view(), name="bookings"),
    path("bookings/<uuid:uuid>/", views_portal.BookingDetailView.as_view(), name="booking-detail"),
    path("bookings/<uuid:uuid>/change/", views_portal.BookingAmendView.as_view(), name="booking-amend"),
    path("bookings/<uuid:uuid>/cancel/", views_portal.BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<uuid:uuid>/voucher.pdf", views_portal.BookingVoucherView.as_view(), name="booking-voucher"),
    path("statement/", views_portal.StatementView.as_view(), name="statement"),
]
