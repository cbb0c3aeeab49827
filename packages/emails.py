"""The operators' booking emails: each operator gets only its own part of an order."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from .models import PackageBookingPart


def package_operator_notify(*, order, operator, event: str) -> None:
    parts = list(
        PackageBookingPart.objects.filter(booking__order_line__order=order, operator=operator)
        .select_related("service", "booking__package")
        .order_by("date", "start_time")
    )
    if not parts:
        return
    travellers = getattr(order, "travellers", None)
    with translation.override("it"):
        context = {"order": order, "operator": operator, "parts": parts, "event": event, "travellers": travellers}
        subject = render_to_string("packages/emails/operator_part_subject.txt", context).strip()
        body = render_to_string("packages/emails/operator_part_body.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [operator.email]).send()
