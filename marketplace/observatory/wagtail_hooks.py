"""The observatory's pages in Wagtail's admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# ---------------------------------------------------------------------------------------------------
# Official flows (helper "flows"): the staff's upload page of the official arrivals and nights.
# ---------------------------------------------------------------------------------------------------


class OfficialFlowsMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import PERMISSION

        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_urls")
def register_official_flows_urls():
    from .admin_views import FlowsImportView

    return [path("observatory/official-flows/", FlowsImportView.as_view(), name="observatory_flows_import")]


@hooks.register("register_admin_menu_item")
def register_official_flows_menu_item():
    return OfficialFlowsMenuItem(
        _("Official flows"), reverse("observatory_flows_import"), icon_name="upload", order=421
    )


# --------------------------------------------------------------------------------------------------- end flows
