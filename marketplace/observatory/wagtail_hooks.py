"""The staff's dashboard in Wagtail's admin, where DMC staff already work: a menu entry "Observatory"
for those holding the observatory's view permission (DMC staff, by marketplace.core.roles), and its
export URLs. The views check the permission themselves: hiding the menu entry is not a permission."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


class ObservatoryMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.STAFF_PERMISSION)


@hooks.register("register_admin_urls")
def register_observatory_urls():
    return [
        path("observatory/", views.StaffDashboardView.as_view(), name="observatory_admin"),
        path("observatory/<slug:key>.<str:fmt>", views.StaffExportView.as_view(), name="observatory_admin_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_observatory_menu_item():
    return ObservatoryMenuItem(_("Observatory"), reverse("observatory_admin"), icon_name="table", order=250)
