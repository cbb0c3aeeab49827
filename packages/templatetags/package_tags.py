from django import template

from marketplace.core.json_ld import json_ld_script
from packages.models import Package
from packages.pages import package_page as build_package_page
from packages.pages import package_schema_org
from packages.selectors import package_extras_named
from packages.services import line_booking, package_lines_hold_expiry

register = template.Library()


@register.simple_tag
def package_page(product, request):
    """The package part of Oscar's product page (see packages.pages); None for other products."""
    package = Package.objects.filter(product=product).first()
    if package is None:
        return None
    return build_package_page(package=package, data=request.GET)


@register.simple_tag
def package_json_ld(product, request):
    """The package's schema.org JSON-LD as a <script> element (empty for other products)."""
    package = Package.objects.filter(product=product).first()
    if package is None:
        return ""
    return json_ld_script(package_schema_org(package=package, request=request))


@register.simple_tag
def package_line_info(line):
    """Date, party, chosen extras and hold expiry of a basket line, for the basket page (None for other lines)."""
    booking = line_booking(line) if line.pk else None
    if booking is None:
        return None
    return {
        "date": booking.on,
        "party": booking.party,
        "extras": package_extras_named(ids=booking.extras),
        "expires_at": package_lines_hold_expiry(lines=[line])[line.pk],
    }


@register.filter
def party_label(party):
    from packages.voucher import party_label as label

    return label(party)
