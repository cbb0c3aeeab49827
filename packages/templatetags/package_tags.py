from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel.numbers import format_currency
from django import template
from django.conf import settings
from django.utils.translation import get_language, to_locale

from marketplace.core.json_ld import json_ld_script
from packages.models import Package
from packages.pages import package_breadcrumbs, package_schema_org
from packages.pages import package_page as build_package_page
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
    return json_ld_script(package_schema_org(package=package))


@register.simple_tag
def package_crumbs(product):
    """The package page's breadcrumb trail (packages.pages.package_breadcrumbs; [] for other products),
    for `{% breadcrumbs %}`, which shows it and writes its BreadcrumbList."""
    package = Package.objects.filter(product=product).first()
    return package_breadcrumbs(package=package) if package is not None else []


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


@register.filter
def currency_short(value):
    """`value` in whole euros, written as `|currency` writes money in the page's language ("€396",
    "396 €"): the calendar's cells on a phone have room for no more. The cell's full text (read by
    screen readers, shown on wider screens) keeps the cents."""
    try:
        amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (TypeError, InvalidOperation):
        return ""
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(
        amount, settings.OSCAR_DEFAULT_CURRENCY, format=pattern, locale=locale, currency_digits=False
    )
