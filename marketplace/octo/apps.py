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
        # Webhooks hear the trade channel's booking_changed; the portal lists our pages among its tabs
        # through its registry (trade never imports octo).
        from marketplace.trade.portal_sections import PortalSection, register_portal_section

        from . import receivers  # noqa: F401

        register_portal_section(PortalSection(
            label=_("API keys"), url_name="octo-portal:api-keys", admin_only=True,
            description=_("Keys for your reservation system to book through our OCTO API."),
        ))  # fmt: skip
        register_portal_section(PortalSection(
            label=_("Webhooks"), url_name="octo-portal:webhooks", admin_only=True,
            description=_("Addresses of your system that hear of every change to your bookings."),
        ))  # fmt: skip
