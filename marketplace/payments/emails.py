"""Emails about a payment that has no order (paid, but the places were gone: refunded)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.core.languages import served_language

from .models import Payment


def payment_send_unbookable_notice(*, payment: Payment) -> None:
    recipient = payment.guest_email or (payment.user.email if payment.user else "")
    if not recipient:
        return
    ctx = {"payment": payment}
    with translation.override(served_language(payment.language)):  # the tourist's, from the checkout
        subject = " ".join(render_to_string("payments/emails/unbookable_subject.txt", ctx).split())
        body = render_to_string("payments/emails/unbookable_body.txt", ctx)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
