"""The beat task through a real Celery worker on Redis (TEST_REDIS_URL), not eagerly."""

import datetime as dt

import pytest
from django.utils import timezone

from operators.capacity import capacity_hold
from operators.models import Hold
from operators.tasks import capacity_release_expired_task

from .factories import SlotFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_expired_holds_are_released_by_the_beat_task_on_a_real_worker(celery_redis_worker):
    now = timezone.now()
    slot = SlotFactory(capacity=4)
    capacity_hold(items=[(slot, 3)], reference="basket-line:1", now=now - dt.timedelta(hours=1),
                  expires_at=now - dt.timedelta(minutes=1))  # fmt: skip
    capacity_hold(items=[(slot, 1)], reference="basket-line:2", now=now - dt.timedelta(hours=1),
                  expires_at=now + dt.timedelta(hours=1))  # fmt: skip

    assert not celery_redis_worker.conf.task_always_eager
    assert type(celery_redis_worker.backend).__name__ == "RedisBackend"
    result = capacity_release_expired_task.apply_async()
    assert result.get(timeout=30) == 1

    slot.refresh_from_db()
    assert slot.held == 1
    assert Hold.objects.get(reference="basket-line:1").status == Hold.Status.EXPIRED
