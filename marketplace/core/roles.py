"""The roles of the marketplace, as Django groups with their permissions.

One table here says what each role may do; `role_groups_sync` makes the database agree with it
after every migration, so a new permission added by a later app is granted by editing this file,
never by hand in the admin. Tourists are plain customers: no group, no permissions.
"""

from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q


class Role(StrEnum):
    STAFF = "DMC staff"
    OPERATOR = "Operators"
    PARTNER = "Trade partners"
    TOURIST = "Tourists"  # no group: everyone without another role


# "app_label.*" grants every model permission of that app; "app_label.codename" one permission.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.STAFF: [
        "wagtailadmin.access_admin",
        "core.*",
        "operators.*",
        "packages.*",
        "certifications.*",
        "cms.*",
        "wagtailimages.*",
        "wagtaildocs.*",
        "wagtailredirects.*",
        "wagtail_localize.submit_translation",  # translate pages (wagtail-localize's "Translate" action)
        "catalogue.*",
        "partner.*",
        "order.*",
        "offer.*",
        "voucher.*",
        "payment.*",
        "payments.*",
        "bookings.*",
        "trade.*",
        "octo.*",
        "observatory.*",  # the observatory's dashboard and exports (view_bookingfact), the official flows
        "communication.*",
        "flatpages.*",
    ],
    Role.OPERATOR: [],
    Role.PARTNER: [],
}

# Groups that get page-tree rights in Wagtail (on the root, so on every page of every site).
PAGE_PERMISSIONS: dict[Role, list[str]] = {
    Role.STAFF: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "delete_page"],
}


def _permission_query(specs: list[str]) -> Q:
    query = Q(pk__in=[])
    for spec in specs:
        app_label, codename = spec.split(".", 1)
        if codename == "*":
            query |= Q(content_type__app_label=app_label)
        else:
            query |= Q(content_type__app_label=app_label, codename=codename)
    return query


@transaction.atomic
def role_groups_sync() -> None:
    """Create the role groups and set exactly the permissions ROLE_PERMISSIONS lists. Idempotent."""
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    for role, specs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(Permission.objects.filter(_permission_query(specs)))
        if root is None:
            continue
        for codename in PAGE_PERMISSIONS.get(role, []):
            permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if permission:
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def user_role(user) -> Role:
    """The role whose landing page a user sees first. Staff wins over operator wins over partner."""
    if not user.is_authenticated:
        return Role.TOURIST
    if user.is_superuser:
        return Role.STAFF
    names = set(user.groups.values_list("name", flat=True))
    for role in (Role.STAFF, Role.OPERATOR, Role.PARTNER):
        if role.value in names:
            return role
    return Role.TOURIST


def user_has_role(user, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    if role is Role.STAFF and user.is_superuser:
        return True
    return user.groups.filter(name=role.value).exists()


def user_grant_role(user, role: Role) -> None:
    """Put a user in a role's group; DMC staff also need is_staff for Oscar's dashboard and Wagtail."""
    if role is Role.TOURIST:
        return
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if role is Role.STAFF and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
