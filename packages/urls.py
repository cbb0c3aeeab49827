from django.urls import path

from . import views

app_name = "packages"

urlpatterns = [
    path("<int:pk>/booking/", views.PackageBookingBoxView.as_view(), name="booking-box"),
    path("<int:pk>/add-to-basket/", views.PackageBasketAddView.as_view(), name="basket-add"),
    path("basket/refresh/", views.PackageBasketRefreshView.as_view(), name="basket-refresh"),
    path("orders/<str:number>/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
    path("cancel/<str:token>/", views.OrderCancelSignedView.as_view(), name="order-cancel-signed"),
    path("orders/<str:number>/voucher.pdf", views.OrderVoucherView.as_view(), name="order-voucher"),
    path(
        "voucher/<str:number>/<str:hash>/voucher.pdf", views.OrderVoucherGuestView.as_view(), name="order-voucher-guest"
    ),
    path("statements/<int:year>/<int:month>/", views.OperatorStatementView.as_view(), name="operator-statement"),
    path("my-bookings/", views.OperatorPartsView.as_view(), name="operator-parts"),
    path("my-bookings/<int:year>/<int:month>/", views.OperatorPartsView.as_view(), name="operator-parts-month"),
    path(
        "staff/statements/<int:operator_id>/<int:year>/<int:month>/",
        views.StaffStatementView.as_view(),
        name="staff-statement",
    ),
]
