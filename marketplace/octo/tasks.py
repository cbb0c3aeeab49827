"""Celery tasks of the OCTO app: thin wrappers taking primary keys (STYLE.md §5)."""

from celery import shared_task


@shared_task(bind=True, max_retries=None)
def webhook_deliver_task(self, delivery_id: int) -> str:
    """One attempt of a webhook delivery; a failure is retried by the worker after the next delay of
    settings.WEBHOOK_RETRY_SCHEDULE (read at each attempt, so tests set it to zeros), and the delivery is
    marked failed after the last.

    Eager Celery (the demo without Redis, most tests) has no broker to wait on and would propagate
    Celery's Retry to whoever queued the task (the booking's commit): there the attempts run one after
    the other in this call instead."""
    from .webhooks import webhook_attempt, webhook_retry_delay

    retries = self.request.retries
    while True:
        delay = webhook_retry_delay(retries)
        delivery = webhook_attempt(delivery_id=delivery_id, retry_in=delay)
        if delivery is None:
            return "gone"
        if delivery.status != delivery.Status.PENDING or delay is None:
            return delivery.status
        if not self.request.is_eager:
            raise self.retry(countdown=delay)
        retries += 1
