"""Pricing and availability for the shop: packages are priced by the line's date and party.

Oscar prices a product from its stock record and ignores line options (django-oscar #665, #1707).
A package's price depends on the date and the party a line carries, and its capacity lives in the
operators' slots, not in stock records (DESIGN.md "Known facts"). So:

- `fetch_for_product` (listings, the product page header) gives the stock record's price, which
  `packages.services.package_sync_product` keeps at the package's "from" price;
- `fetch_for_line` prices a package line with `packages.pricing.package_price` for its date, party and
  chosen optional extras (the same function as the page and the order) and says whether it can still be bought: its holds
  are live, or the places are still free so checkout can re-take them.

Prices include VAT; a package is taxed on the DMC's margin (art. 74-ter), so no tax is itemised
(tax 0 on top of a VAT-inclusive price, like Oscar's NoTax).
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, prices
from oscar.apps.partner.strategy import NoTax, PurchaseInfo, StockRequired, Structured, UseFirstStockRecord
from oscar.apps.partner.strategy import Selector as CoreSelector


class PackageLineAvailable(availability.Available):
    def __init__(self, message):
        self.message = message


class PackageLineUnavailable(availability.Unavailable):
    def __init__(self, message):
        self.message = message


class RetailStrategy(UseFirstStockRecord, StockRequired, NoTax, Structured):
    """What a tourist pays: VAT-inclusive prices, packages priced per line from date and party."""

    def fetch_for_line(self, line, stockrecord=None):
        from packages.models import Package

        package = Package.objects.filter(product_id=line.product_id).first()
        if package is None:
            return super().fetch_for_line(line, stockrecord)
        return self.fetch_for_package_line(line, package, stockrecord or line.stockrecord)

    def fetch_for_package_line(self, line, package, stockrecord):
        from packages.pricing import ExtraNotOffered, PackageNotPriced, package_price
        from packages.selectors import PackageUnavailable, package_slot_choice
        from packages.services import (
            line_booking,
            line_start_time,
            package_line_components,
            package_lines_hold_expiry,
        )

        booking = line_booking(line)
        if booking is None:
            return PurchaseInfo(prices.Unavailable(), PackageLineUnavailable(_("Choose a date and a party.")), None)
        on, party, extras = booking
        try:
            total = package_price(package=package, on=on, party=party, extras=extras).total
        except ExtraNotOffered:
            message = _("An optional extra you chose is no longer offered.")
            return PurchaseInfo(prices.Unavailable(), PackageLineUnavailable(message), stockrecord)
        except PackageNotPriced:
            return PurchaseInfo(prices.Unavailable(), PackageLineUnavailable(_("No price on this date.")), stockrecord)
        price = prices.FixedPrice(currency=settings.OSCAR_DEFAULT_CURRENCY, excl_tax=total, tax=Decimal("0.00"))
        if not package.is_published:
            return PurchaseInfo(price, PackageLineUnavailable(_("This package is no longer on sale.")), stockrecord)
        expires_at = package_lines_hold_expiry(lines=[line])[line.pk] if line.pk else None
        if expires_at is not None and expires_at > timezone.now():
            return PurchaseInfo(price, PackageLineAvailable(_("Places held")), stockrecord)
        try:
            # A single service's line checks the departure the traveller chose, not the first with room.
            components = package_line_components(package=package, start_time=line_start_time(line))
            package_slot_choice(
                package=package, on=on, party=party, extras=extras, quantity=line.quantity, components=components
            )
        except PackageUnavailable as exc:
            return PurchaseInfo(price, PackageLineUnavailable(exc.message), stockrecord)
        return PurchaseInfo(
            price, PackageLineAvailable(_("Available: places will be held again at checkout")), stockrecord
        )


class Selector(CoreSelector):
    """Everyone gets the retail strategy for now; the trade channel adds its net-rate strategy here."""

    def strategy(self, request=None, user=None, **kwargs):
        return RetailStrategy(request)
