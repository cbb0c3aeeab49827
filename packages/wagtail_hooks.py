"""A way in from the Wagtail admin (where DMC staff work) to the package builder in Django's admin."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("packages.change_package")


@hooks.register("register_admin_menu_item")
def register_packages_menu_item():
    return PermissionMenuItem(
        _("Packages"), reverse("admin:packages_package_changelist"), icon_name="list-ul", order=250
    )
