from django.apps import apps

from .roles import role_groups_sync


def sync_roles_after_migrate(sender, app_config=None, **kwargs):
    """post_migrate fires once per app and each app's permissions are created on its own turn,
    so the groups are synced on the last app's turn, when every permission exists."""
    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        role_groups_sync()
