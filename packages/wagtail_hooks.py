"""A way in from the Wagtail admin (where DMC staff work) to the package builder in Django's admin, and
the orders leaving today or tomorrow on the admin's home ("Needs you", marketplace.core.staff_todo)."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from marketplace.core.dates import local_today
from marketplace.core.staff_todo import ITEMS_SHOWN, STAFF_TODO_HOOK, StaffTodo, StaffTodoItem

from .models import PackageBooking


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("packages.change_package")


@hooks.register("register_admin_menu_item")
def register_packages_menu_item():
    return PermissionMenuItem(
        _("Packages"), reverse("admin:packages_package_changelist"), icon_name="list-ul", order=250
    )


@hooks.register(STAFF_TODO_HOOK)
def staff_todo_departures(request):
    """Orders whose package starts today or tomorrow: the ones a call or a last change is about. Linked to
    Oscar's order page; the group's link is the order list filtered by those departure dates."""
    if not request.user.has_perm("order.change_order"):
        return None
    today = local_today()
    tomorrow = today + dt.timedelta(days=1)
    leaving = PackageBooking.objects.filter(
        starts_on__range=(today, tomorrow), status=PackageBooking.Status.CONFIRMED
    ).select_related("order_line__order", "package")
    query = urlencode({"departure_from": today.isoformat(), "departure_to": tomorrow.isoformat()})
    return StaffTodo(
        key="departures",
        title=_("Orders leaving today or tomorrow"),
        count=leaving.count(),
        url=f"{reverse('dashboard:order-list')}?{query}",
        items=[
            StaffTodoItem(
                text=f"{booking.order_line.order.number} · {booking.package.title}",
                url=reverse("dashboard:order-detail", kwargs={"number": booking.order_line.order.number}),
                detail=date_format(booking.starts_on, "DATE_FORMAT"),
            )
            for booking in leaving.order_by("starts_on", "pk")[:ITEMS_SHOWN]
        ],
        order=40,
    )
