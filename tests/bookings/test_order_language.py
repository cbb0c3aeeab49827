"""Every email to a tourist is in the language they booked in, whoever sends it and from wherever: a
Celery worker has no visitor's language, and staff who cancel read Italian."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from marketplace.bookings.models import OrderTravellers
from marketplace.bookings.tasks import order_send_confirmation
from marketplace.payments.services import order_cancel
from tests.packages.conftest import buy, today, two_operator_package  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_in(client, two_operator_package, today, settings, django_capture_on_commit_callbacks):  # noqa: F811
    """book(language): the guest giulia@example.com buys the package reading the site in `language`."""
    settings.STRIPE_SECRET_KEY = ""

    def book(language: str):
        with translation.override(language):
            order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
        mail.outbox.clear()
        return order

    return book


def _to_tourist(outbox):
    return [message for message in outbox if message.to == ["giulia@example.com"]]


def test_a_tourist_who_booked_in_english_gets_english_emails_whoever_sends_them(
    booked_in, django_capture_on_commit_callbacks
):
    order = booked_in("en")
    assert OrderTravellers.objects.get(order=order).language == "en"
    with translation.override("it"):  # as in a worker, or for Italian staff
        order_send_confirmation(order.pk)
        [confirmation] = _to_tourist(mail.outbox)
        assert f"your booking {order.number} is confirmed" in confirmation.body
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(order=order, refund_amount=order.total_incl_tax, note="Maltempo")
    [notice] = _to_tourist(mail.outbox)
    assert notice.subject == f"Order {order.number}: cancellation"


def test_an_italian_booking_stays_italian(booked_in):
    order = booked_in("it")
    with translation.override("en"):
        order_send_confirmation(order.pk)
    [confirmation] = _to_tourist(mail.outbox)
    assert f"la tua prenotazione {order.number} è confermata" in confirmation.body.lower()
