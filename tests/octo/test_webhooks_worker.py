"""Webhook retries through a real Celery worker on Redis: the countdown, the retry count and the task's
registration are the worker's, not eager Celery's."""

import time

import pytest

from marketplace.octo.models import WebhookDelivery
from marketplace.octo.webhooks import webhook_save, webhook_secret_for

from .test_webhooks import Receiver, book, verify

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    import datetime as dt  # noqa: F401

    from tests.packages.factories import priced_service
    from tests.trade.factories import ContractFactory, PartnerMembershipFactory

    service = priced_service(adult="50.00", capacity=8, days=40)
    contract = ContractFactory()
    member = PartnerMembershipFactory(partner=contract.partner)
    return {"service": service, "partner": contract.partner, "user": member.user}


def test_a_real_worker_retries_with_backoff_until_delivered(world, settings, celery_redis_worker):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    settings.WEBHOOK_RETRY_SCHEDULE = [0.2, 0.2, 0.2]
    receiver = Receiver(statuses=(500, 500, 200))
    try:
        webhook_save(partner=world["partner"], url=receiver.url)
        assert not celery_redis_worker.conf.task_always_eager
        book(world)  # committed: the receiver queues the task to Redis at once
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            delivery = WebhookDelivery.objects.filter(status="delivered").first()
            if delivery:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"not delivered: {list(WebhookDelivery.objects.values('status', 'attempts', 'last_error'))}")
        assert delivery.attempts == 3 and len(receiver.requests) == 3
        secret = webhook_secret_for(partner=world["partner"]).secret
        assert all(verify(headers, body, secret) for headers, body in receiver.requests)
    finally:
        receiver.close()
