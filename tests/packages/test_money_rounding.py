"""One rounding rule for money: half a cent rounds up in commissions as in prices and refunds."""

from decimal import Decimal

from packages.models import Package, PackageBookingPart
from packages.pricing import package_markup


def test_half_a_cent_rounds_up_in_the_commission_as_in_the_markup():
    # 5 % of 30.50 is 1.525: half-even rounding made it 1.52 for the commission, 1.53 for the markup.
    part = PackageBookingPart(amount=Decimal("30.50"), commission_percent=Decimal("5"))
    package = Package(markup_kind=Package.MarkupKind.PERCENT, markup_value=Decimal("5"))

    assert part.commission == Decimal("1.53") and part.net == Decimal("28.97")
    assert package_markup(package=package, components_total=Decimal("30.50")) == part.commission
