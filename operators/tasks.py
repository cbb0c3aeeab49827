"""Celery tasks: thin wrappers taking primary keys (STYLE.md §5)."""

from celery import shared_task

from .exceptions import LockTimeout

EXPIRY_MAX_BATCHES = 20


@shared_task(bind=True, max_retries=5, default_retry_delay=2)
def capacity_release_expired(self, batch_size: int = 500) -> int:
    """Beat job: release expired holds in bounded batches (each its own short transaction)."""
    from .capacity import capacity_release_expired as release

    total = 0
    try:
        for _ in range(EXPIRY_MAX_BATCHES):
            released = release(batch_size=batch_size)
            total += released
            if released == 0:
                break
    except LockTimeout as exc:
        raise self.retry(exc=exc) from exc
    return total


@shared_task
def operator_notify_status(operator_id: int) -> int:
    from .models import Operator
    from .services import operator_notify_status as notify

    operator = Operator.objects.filter(pk=operator_id).first()
    if operator is None:  # deleted meanwhile: nothing to tell
        return 0
    return notify(operator=operator)


capacity_release_expired_task = capacity_release_expired
operator_notify_status_task = operator_notify_status
