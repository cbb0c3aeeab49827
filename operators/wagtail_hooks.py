"""A link from the Wagtail admin (where DMC staff work) to the operators awaiting review, and those
operators on the admin's home page ("Needs you", marketplace.core.staff_todo)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from marketplace.core.roles import Role, user_has_role
from marketplace.core.staff_todo import ITEMS_SHOWN, STAFF_TODO_HOOK, StaffTodo, StaffTodoItem

from .models import Operator


@hooks.register("register_admin_menu_item")
def register_operators_menu_item():
    return MenuItem(_("Operators"), reverse("operator-area:staff-operator-list"), icon_name="group", order=250)


@hooks.register(STAFF_TODO_HOOK)
def staff_todo_pending_operators(request):
    """Operators who signed up and wait for staff to approve them, oldest first: each decided on its page."""
    if not user_has_role(request.user, Role.STAFF):
        return None
    pending = Operator.objects.filter(status=Operator.Status.PENDING)
    return StaffTodo(
        key="operators",
        title=_("Operators waiting for approval"),
        count=pending.count(),
        url=reverse("operator-area:staff-operator-list"),
        items=[
            StaffTodoItem(
                text=operator.name,
                url=reverse("operator-area:staff-operator-decide", kwargs={"pk": operator.pk}),
                detail=operator.get_municipality_display(),
            )
            for operator in pending.order_by("created_at", "pk")[:ITEMS_SHOWN]
        ],
        order=10,
    )
