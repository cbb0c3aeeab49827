from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OctoConfig(AppConfig):
    """The OCTO API for partners' reservation systems (docs/octo.md): one app that translates OCTO's
    vocabulary to the trade channel's services and back, so Oscar, the shop and the portal never see it."""

    name = "marketplace.octo"
    label = "octo"
    verbose_name = _("OCTO API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
