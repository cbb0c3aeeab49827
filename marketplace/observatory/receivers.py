"""Every booking change of every channel refreshes its facts (after the commit, in the worker)."""

from django.dispatch import receiver

from marketplace.trade.signals import booking_changed
from packages.signals import package_booking_changed

from . import tasks


@receiver(package_booking_changed, dispatch_uid="observatory-package-facts")
def package_booking_facts(sender, booking_ids, **kwargs):
    tasks.facts_refresh_package.delay(list(booking_ids))


@receiver(booking_changed, dispatch_uid="observatory-trade-facts")
def trade_booking_facts(sender, booking, **kwargs):
    tasks.facts_refresh_trade.delay(booking.pk)
