from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """iCal feeds on secret, rotatable URLs: a trade partner's availability per product and its bookings,
    an operator's bookings of its services (docs/calendars.md).

    An app of its own, above `trade` and `operators` (it reads both, neither reads it): the operator's
    feed mixes the shop's and the trade channel's bookings, and its token table is shared by partners and
    operators, so it belongs to neither."""

    name = "marketplace.calendars"
    label = "calendars"
    verbose_name = _("Calendar feeds")
