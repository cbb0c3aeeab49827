"""Mail through a real Celery worker on Redis: a refused send is retried, delivered once.

The mail server is played by FlakyBackend (a locmem backend that raises SMTPServerDisconnected, an
SMTPException, on its first send), chosen with override_settings like any EMAIL_BACKEND; nothing of
ours is mocked. MAIL_RETRY_BACKOFF_SECONDS makes the retry come after a fraction of a second.
"""

import datetime as dt
import re
import time
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import override_settings

from marketplace.bookings.tasks import order_send_confirmation, order_send_refund_notice
from marketplace.core.tasks import MailTask, mail_retry_countdown
from marketplace.payments.tasks import payment_send_unbookable_notice
from operators.tasks import operator_notify_status
from packages.models import PackageBooking
from packages.tasks import package_operator_notify
from packages.views import CANCEL_SALT
from tests.bookings.flaky_mail import FlakyBackend
from tests.packages.conftest import buy, today, two_operator_package  # noqa: F401  (fixtures)

MAIL_TASKS = [
    order_send_confirmation,
    order_send_refund_notice,
    package_operator_notify,
    payment_send_unbookable_notice,
    operator_notify_status,
]


@pytest.fixture
def package_order(client, two_operator_package, today, settings, django_capture_on_commit_callbacks):  # noqa: F811
    """A paid package order, committed (the worker's thread reads it), its first emails already sent."""
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return order


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_confirmation_refused_once_is_retried_by_the_worker_and_delivered_once_with_the_cancel_link(
    client, package_order, celery_redis_worker
):
    FlakyBackend.failures_left, FlakyBackend.attempts = 1, 0

    with override_settings(EMAIL_BACKEND="tests.bookings.flaky_mail.FlakyBackend", MAIL_RETRY_BACKOFF_SECONDS=0.2):
        result = order_send_confirmation.delay(package_order.pk)
        assert result.get(timeout=30) is None  # SUCCESS only once the retry went through
        time.sleep(1)  # a stray second retry would land here

    assert (FlakyBackend.failures_left, FlakyBackend.attempts) == (0, 2)
    [message] = mail.outbox
    assert message.to == ["giulia@example.com"]
    # The signed cancel link (packages.voucher.order_cancel_url), in both parts, until the departure.
    link = re.search(r"(https?://\S+?)(/it/packages/cancel/([^/\s]+)/)", message.body)
    assert link is not None, message.body
    assert link.group(1) == settings.SITE_URL.rstrip("/")
    assert signing.loads(link.group(3), salt=CANCEL_SALT) == {
        "order": package_order.number,
        "until": PackageBooking.objects.get(order_line__order=package_order).starts_on.isoformat(),
    }
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and link.group(0) in html
    assert all("fino al giorno della partenza" in part for part in (message.body, html))  # and what it asks
    page = client.get(link.group(2))  # opens the cancel page, no account needed
    assert page.status_code == 200 and package_order.number in page.content.decode()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_operator_status_email_refused_twice_is_retried_and_delivered_once(celery_redis_worker):
    from tests.operators.factories import OperatorFactory

    operator = OperatorFactory(status="approved", email="info@colline.example")
    FlakyBackend.failures_left, FlakyBackend.attempts = 2, 0
    with override_settings(EMAIL_BACKEND="tests.bookings.flaky_mail.FlakyBackend", MAIL_RETRY_BACKOFF_SECONDS=0.2):
        assert operator_notify_status.delay(operator.pk).get(timeout=30) == 1
        time.sleep(1)  # a stray further retry would land here
    assert (FlakyBackend.failures_left, FlakyBackend.attempts) == (0, 3)
    assert [message.to for message in mail.outbox] == [["info@colline.example"]]


def test_every_mail_task_declares_retries_on_mail_errors():
    for task in MAIL_TASKS:
        assert isinstance(task, MailTask), task.name
        assert SMTPException in task.autoretry_for and ConnectionError in task.autoretry_for
        assert task.max_retries >= 5
        assert hasattr(task, "_orig_run")  # Celery wrapped run() with its autoretry


def test_the_retry_countdown_grows_from_the_setting_and_stops_at_the_maximum(settings):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 5
    settings.MAIL_RETRY_BACKOFF_MAX_SECONDS = 60

    assert 2.5 <= mail_retry_countdown(0) <= 5
    assert 20 <= mail_retry_countdown(3) <= 40
    assert 30 <= mail_retry_countdown(7) <= 60
