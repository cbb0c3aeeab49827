"""What waits for DMC staff, on the Wagtail admin's home page (the "Needs you" panel).

Staff land in Wagtail's admin after login (marketplace.core.views.RoleLandingView); the first thing they
should see is what waits for them: operators and partners to approve, label evidence to check, orders to
look at today, collections showing fewer offers than their editors chose. Each of those belongs to an
app the core must not import (DESIGN.md: dependencies point one way), so each app adds its own group
through a Wagtail hook, as it adds its menu items:

    @hooks.register(STAFF_TODO_HOOK)
    def pending_operators(request):
        if not user_has_role(request.user, Role.STAFF):
            return None
        return StaffTodo(key="operators", title=..., count=..., url=..., items=[...])

A hook answers with a fixed number of queries (a count and the first few rows), so the home page costs
the same whatever waits; it answers None when the user may not act on its group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

STAFF_TODO_HOOK = "register_staff_todo"
ITEMS_SHOWN = 5  # rows listed per group; the group's link leads to all of them


@dataclass(frozen=True)
class StaffTodoItem:
    """One thing to do, linked to the page where it is done."""

    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class StaffTodo:
    """A group of the panel: how many wait, the first few, and the page listing them all."""

    key: str  # stable, for tests and the HTML id
    title: str
    count: int
    url: str
    items: list[StaffTodoItem] = field(default_factory=list)
    order: int = 100


def staff_todos(request) -> list[StaffTodo]:
    """Every app's group the user may act on, in their `order`, the empty ones included (the panel says
    "nothing waits" for them rather than leaving staff to wonder whether the group exists)."""
    todos = [todo for hook in hooks.get_hooks(STAFF_TODO_HOOK) if (todo := hook(request)) is not None]
    return sorted(todos, key=lambda todo: (todo.order, todo.key))


class StaffTodoPanel(Component):
    """The "Needs you" panel, first on the admin's home page."""

    name = "staff_todo"
    order = 50  # before Wagtail's own panels (site summary 100, pages to moderate 200…)
    template_name = "core/admin/staff_todo_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        todos = staff_todos(self.request)
        return {"todos": todos, "waiting": sum(todo.count for todo in todos), "heading": _("Needs you")}
