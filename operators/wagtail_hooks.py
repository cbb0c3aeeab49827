"""A link from the Wagtail admin (where DMC staff work) to the operators awaiting review."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_menu_item")
def register_operators_menu_item():
    return MenuItem(_("Operators"), reverse("operator-area:staff-operator-list"), icon_name="group", order=250)
