"""The observatory in Wagtail's admin, where DMC staff already work: an "Observatory" submenu with the
figures (for those holding the observatory's view permission: DMC staff, by marketplace.core.roles) and
the official flows' upload (add permission on official flows). The views check the permissions
themselves: hiding a menu entry is not a permission."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views, views


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_observatory_urls():
    return [
        path("observatory/", views.StaffDashboardView.as_view(), name="observatory_admin"),
        path("observatory/<slug:key>.<str:fmt>", views.StaffExportView.as_view(), name="observatory_admin_export"),
        path("observatory/official-flows/", admin_views.FlowsImportView.as_view(), name="observatory_flows_import"),
    ]


@hooks.register("register_admin_menu_item")
def register_observatory_menu():
    items = [
        PermissionMenuItem(
            _("Figures"), reverse("observatory_admin"), icon_name="table", order=10, permission=views.STAFF_PERMISSION
        ),  # fmt: skip
        PermissionMenuItem(
            _("Official flows"),
            reverse("observatory_flows_import"),
            icon_name="upload",
            order=20,
            permission=admin_views.PERMISSION,
        ),  # fmt: skip
    ]
    return SubmenuMenuItem(_("Observatory"), Menu(items=items), icon_name="table", order=250)
