from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """The destination's figures: every channel's bookings as facts, the official flows beside them,
    open data out. It reads every other app and is read by none (DESIGN.md), so it listens to the
    booking signals of the shop's packages and of the trade channel instead of being called by them."""

    name = "marketplace.observatory"
    label = "observatory"
    verbose_name = _("Observatory")

    def ready(self):
        # The partner portal lists the figures page among its tabs through its registry (trade never
        # imports the observatory); the operator area links it by URL name from its template.
        from marketplace.trade.portal_sections import PortalSection, register_portal_section

        from . import receivers  # noqa: F401

        register_portal_section(PortalSection(
            label=_("Figures"), url_name="observatory:partner",
            description=_("Your bookings and guests through the portal and the API, month by month."),
        ))  # fmt: skip
