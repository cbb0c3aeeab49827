"""Staff work where they land: schemes are edited in Wagtail's admin; awards are decided on the
staff pages (/<lang>/labels/staff/), linked from Wagtail's menu, because every decision must go
through a service that writes the history (a generic edit form would bypass it)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from marketplace.core.languages import SiteLanguagesFormMixin, per_language
from marketplace.core.staff_todo import ITEMS_SHOWN, STAFF_TODO_HOOK, StaffTodo, StaffTodoItem

from .forms import SchemeForm
from .models import Scheme
from .selectors import award_qs_to_verify


class SchemeAdminForm(SiteLanguagesFormMixin, WagtailAdminModelForm):
    awardable_to = SchemeForm.base_fields["awardable_to"]
    issuer_url = SchemeForm.base_fields["issuer_url"]
    criteria_url = SchemeForm.base_fields["criteria_url"]

    class Meta:
        model = Scheme
        fields = [
            *per_language("name", "summary", "criteria"),
            "slug",
            "issuer",
            "issuer_url",
            "logo",
            "criteria_url",
            "awardable_to",
            "expires",
            "validity_months",
            "verified_by",
            "is_active",
        ]


class SchemeViewSet(ModelViewSet):
    model = Scheme
    icon = "tick-inverse"
    menu_label = _("Label schemes")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "issuer", "verified_by", "is_active"]
    search_fields = ["name", "issuer"]

    def get_form_class(self, for_update=False):
        return SchemeAdminForm


class AwardQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certifications.verify_award")


@hooks.register("register_admin_viewset")
def register_scheme_viewset():
    return SchemeViewSet("certification_schemes")


@hooks.register("register_admin_menu_item")
def register_award_queue_menu_item():
    return AwardQueueMenuItem(
        _("Labels to check"), reverse("certifications:award-list-staff"), icon_name="tick", order=311
    )


@hooks.register(STAFF_TODO_HOOK)
def staff_todo_awards_to_verify(request):
    """On the admin's home ("Needs you"): label requests whose evidence waits for a check, oldest first."""
    if not request.user.has_perm("certifications.verify_award"):
        return None
    awards = award_qs_to_verify()
    return StaffTodo(
        key="labels",
        title=_("Label evidence to check"),
        count=awards.count(),
        url=reverse("certifications:award-list-staff"),
        items=[
            StaffTodoItem(
                text=award.subject_name,
                url=reverse("certifications:award-detail-staff", kwargs={"public_id": award.public_id}),
                detail=str(award.scheme.name),
            )
            for award in awards[:ITEMS_SHOWN]
        ],
        order=30,
    )
