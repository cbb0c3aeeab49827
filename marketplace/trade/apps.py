from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    """The B2B channel: trade partners, their contracts, allotments and bookings, and the partner portal.

    It books through the same capacity service (operators.capacity) and prices through the same retail
    functions (packages.pricing, operators.pricing) as the shop, so no channel can oversell another and
    a net price is always derived from the one retail price (docs/trade.md)."""

    name = "marketplace.trade"
    label = "trade"
    verbose_name = _("Trade")

    def ready(self):
        # The booking mails connect in receivers; operators see partner bookings, on-request answers and
        # allotments through their own registry (operators/channels.py): the operator area never imports
        # the trade channel.
        from operators.channels import register_channel_provider

        from . import receivers  # noqa: F401
        from .operator_side import TradeOperatorSide

        register_channel_provider(TradeOperatorSide())
