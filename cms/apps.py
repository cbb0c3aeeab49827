from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Destination pages")

    def ready(self):
        from . import receivers  # noqa: F401  cache purge on publish
