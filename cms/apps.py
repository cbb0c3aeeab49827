from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Destination pages")

    def ready(self):
        from . import admin_translations, receivers  # noqa: F401  admin hook; cache purge on publish
        from .languages import locales_sync_after_migrate
        from .sites import sites_sync_after_migrate

        # After every migrate each language the site serves has its Wagtail Locale (SITE_LANGUAGES).
        post_migrate.connect(locales_sync_after_migrate, sender=self, dispatch_uid="cms.sync_locales")
        # ... and the default Sites (Wagtail's, Django's) say SITE_URL's host and port, not placeholders.
        post_migrate.connect(sites_sync_after_migrate, dispatch_uid="cms.sync_sites")
