"""Celery tasks of the OCTO app: thin wrappers taking primary keys (STYLE.md §5)."""

from celery import shared_task


@shared_task(bind=True, max_retries=None)
def webhook_deliver_task(self, delivery_id: int) -> str:
    """One attempt of a webhook delivery; a failure is retried after the next delay of
    settings.WEBHOOK_RETRY_SCHEDULE (read at each attempt, so tests set it to zeros), and the delivery
    is marked failed after the last. Eager Celery (demo, tests) runs the retries at once, in-process."""
    from .webhooks import webhook_attempt, webhook_retry_delay

    delay = webhook_retry_delay(self.request.retries)
    delivery = webhook_attempt(delivery_id=delivery_id, retry_in=delay)
    if delivery is None:
        return "gone"
    if delivery.status == delivery.Status.PENDING and delay is not None:
        raise self.retry(countdown=delay)
    return delivery.status
