"""Oscar keeps order statuses, payment event types and payment sources as stored strings: the status is
our pipeline's English code ("Confirmed"), the refund event's name and a source's name were written once
in whatever language was active then ("Rimborso", "Carta (Stripe)"). The dashboard shows them in ITS
language through these filters, looked up by what the string stands for, never by translating data."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from marketplace.payments.models import Payment
from marketplace.payments.services import REFUND_EVENT_CODE

register = template.Library()

# OSCAR_ORDER_STATUS_PIPELINE's and OSCAR_LINE_STATUS_PIPELINE's statuses.
STATUS_LABELS = {"Confirmed": _("Confirmed"), "Cancelled": _("Cancelled")}
EVENT_LABELS = {REFUND_EVENT_CODE: _("Refund")}


@register.filter
def order_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status or "-"))


@register.filter
def payment_event_label(event_type) -> str:
    """A payment event type by its code (the name is data, kept in one language)."""
    return str(EVENT_LABELS.get(event_type.code, event_type.name))


def _method_by_name() -> dict[str, str]:
    """Every language's label of each payment method -> the method, as a source may have been named in
    any of them (`SourceType.name` is the label active when the order was paid)."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.update({str(label): method for method, label in Payment.Method.choices})
    return names


@register.filter
def payment_source_label(source_type) -> str:
    method = _method_by_name().get(source_type.name)
    return str(Payment.Method(method).label) if method else source_type.name
