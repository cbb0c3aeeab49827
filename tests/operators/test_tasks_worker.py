"""The beat task through a real Celery worker on Redis (TEST_REDIS_URL), not eagerly."""

import datetime as dt
import os
import threading

import pytest
from django.utils import timezone

from marketplace.celery import app
from operators.capacity import capacity_hold
from operators.models import Hold
from operators.tasks import capacity_release_expired_task

from .factories import SlotFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _forget_connections():
    """The app caches its result backend and broker pools built from the eager test settings:
    drop them so they are rebuilt from the URLs just set."""
    app._backend_cache = None
    app._local = threading.local()
    app._pool = None
    app.amqp.__dict__.pop("_producer_pool", None)
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker():
    import celery.contrib.testing.tasks  # noqa: F401  registers celery.ping for the ready check
    from celery.contrib.testing.worker import start_worker

    url = os.environ["TEST_REDIS_URL"]
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _forget_connections()
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=True, shutdown_timeout=20):
            yield
    finally:
        app.conf.update(saved)
        _forget_connections()


def test_expired_holds_are_released_by_the_beat_task_on_a_real_worker(celery_worker):
    now = timezone.now()
    slot = SlotFactory(capacity=4)
    capacity_hold(items=[(slot, 3)], reference="basket-line:1", now=now - dt.timedelta(hours=1),
                  expires_at=now - dt.timedelta(minutes=1))  # fmt: skip
    capacity_hold(items=[(slot, 1)], reference="basket-line:2", now=now - dt.timedelta(hours=1),
                  expires_at=now + dt.timedelta(hours=1))  # fmt: skip

    assert not app.conf.task_always_eager and type(app.backend).__name__ == "RedisBackend"
    result = capacity_release_expired_task.apply_async()
    assert result.get(timeout=30) == 1

    slot.refresh_from_db()
    assert slot.held == 1
    assert Hold.objects.get(reference="basket-line:1").status == Hold.Status.EXPIRED
