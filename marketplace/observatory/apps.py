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
        from . import receivers  # noqa: F401
