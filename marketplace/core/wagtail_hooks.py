"""The "Needs you" panel on the Wagtail admin's home page, where staff land (staff_todo.py)."""

from wagtail import hooks

from .roles import Role, user_has_role
from .staff_todo import StaffTodoPanel


@hooks.register("construct_homepage_panels")
def add_staff_todo_panel(request, panels):
    if user_has_role(request.user, Role.STAFF):
        panels.append(StaffTodoPanel(request))
