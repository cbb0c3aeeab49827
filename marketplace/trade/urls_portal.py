"""The partner portal: home ("trade:home", where partners land), availability grid, bookings, statements."""

from django.urls import path

from . import views_portal as views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("availability/", views.GridView.as_view(), name="grid"),
    path("book/<str:product>/", views.BookView.as_view(), name="book"),
    path("bookings/", views.BookingListView.as_view(), name="bookings"),
    path("bookings/<uuid:uuid>/", views.BookingDetailView.as_view(), name="booking-detail"),
    path("bookings/<uuid:uuid>/amend/", views.BookingAmendView.as_view(), name="booking-amend"),
    path("bookings/<uuid:uuid>/cancel/", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<uuid:uuid>/voucher.pdf", views.BookingVoucherView.as_view(), name="booking-voucher"),
    path("statement/", views.StatementView.as_view(), name="statement"),
]
