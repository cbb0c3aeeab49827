from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    """What an order books: its travellers, and the plug-in point for the apps that hold capacity.

    A plain app of ours rather than a fork of Oscar's `order`: the order stays Oscar's, and the
    bookings side (travellers now, reservations through the handlers later) hangs off it, so no Oscar
    migration chain has to be carried for two small tables.
    """

    name = "marketplace.bookings"
    label = "bookings"
    verbose_name = _("Bookings")
