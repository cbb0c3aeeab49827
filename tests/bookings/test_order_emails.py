"""Order emails through Celery: the tasks call the email services, tolerate gone rows, retry SMTP errors."""

from decimal import Decimal

import pytest
from django.core import mail
from oscar.apps.order.models import Order

from marketplace.bookings.tasks import order_send_confirmation, order_send_refund_notice
from tests.bookings.flaky_mail import FlakyBackend
from tests.payments.conftest import checkout_to_payment_page, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, product, demo_mode):
    checkout_to_payment_page(client, product)
    place_order(client)
    mail.outbox.clear()
    return Order.objects.get()


def test_confirmation_task_mails_the_guest(order):
    order_send_confirmation.delay(order.pk)

    [message] = mail.outbox
    assert message.to == [order.guest_email]
    assert "Giulia Bianchi" in message.body


def test_refund_notice_task_mails_the_amount(order):
    order_send_refund_notice.delay(order.pk, "45.50")

    assert "45,50" in mail.outbox[0].body


def test_tasks_tolerate_an_order_that_no_longer_exists(order):
    order_send_confirmation.delay(order.pk + 1000)
    order_send_refund_notice.delay(order.pk + 1000, str(Decimal("1.00")))

    assert mail.outbox == []


def test_confirmation_is_retried_when_the_mail_server_fails(order, settings, monkeypatch):
    from marketplace.celery import app

    # Eagerly, Celery runs retries in place unless it propagates the Retry: let it run them.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    settings.EMAIL_BACKEND = "tests.bookings.flaky_mail.FlakyBackend"
    FlakyBackend.failures_left = 2

    result = order_send_confirmation.apply(args=(order.pk,))

    assert result.successful()
    assert FlakyBackend.failures_left == 0
    assert len(mail.outbox) == 1
