"""Tags for the pages from the basket to the order: package lines in the visitor's language, statuses
translated, the voucher's link. Oscar keeps statuses as English strings ("Confirmed") and line
descriptions as an option dump in the catalogue's language; these read our own records instead."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy

from packages.order_lines import order_is_packages_only, package_line

register = template.Library()

# Oscar's order and line statuses are plain strings kept in the database (settings.OSCAR_*_PIPELINE):
# a page shows them through this mapping, so an Italian visitor reads "Confermato", not "Confirmed".
STATUS_LABELS = {
    "Pending": gettext_lazy("Pending"),
    "Confirmed": gettext_lazy("Confirmed"),
    "Cancelled": gettext_lazy("Cancelled"),
    "Complete": gettext_lazy("Complete"),
}


@register.filter
def order_status(status: str) -> str:
    """An Oscar status in the active language (an unknown one as it is stored)."""
    return str(STATUS_LABELS.get(status, status or ""))


@register.simple_tag
def package_line_for(line):
    """The package behind a basket or order line (packages.order_lines.PackageLine), None otherwise."""
    return package_line(line)


@register.simple_tag
def packages_only(order) -> bool:
    """Every line is a package: no "re-order" or "write a review", no shipping."""
    return order_is_packages_only(order)


@register.simple_tag
def order_voucher_url(order) -> str:
    """The web voucher of an order with packages: the account's link for an account's order, the
    guest's hashed link otherwise (packages.views.OrderVoucherView); "" when there is nothing to show."""
    if not order.lines.filter(package_booking__isnull=False).exists():
        return ""
    if order.user_id:
        return reverse("packages:order-voucher", kwargs={"number": order.number})
    return reverse("packages:order-voucher-guest", kwargs={"number": order.number, "hash": order.verification_hash()})


@register.simple_tag
def payment_method_label(order) -> str:
    """How the order was paid, in the active language: Oscar's source type keeps the name in the language
    of whoever paid first ("Pagamento dimostrativo…" on an English page), our Payment keeps the method."""
    from marketplace.payments.models import Payment

    paid = (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED)
    methods = order.payments.filter(status__in=paid).values_list("method", flat=True)
    return ", ".join(str(Payment.Method(method).label) for method in dict.fromkeys(methods))
