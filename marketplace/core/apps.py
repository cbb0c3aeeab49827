from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "marketplace.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import csv_export, receivers

        csv_export.install()  # every CSV export writes would-be formulas as text

        # After every migrate the role groups and their permissions match marketplace/core/roles.py.
        post_migrate.connect(receivers.sync_roles_after_migrate, dispatch_uid="core.sync_roles")
