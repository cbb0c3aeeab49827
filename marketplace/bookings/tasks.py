"""Customer emails about an order, sent by Celery (thin wrappers taking primary keys, STYLE.md §5).

Enqueue with `transaction.on_commit(lambda: order_send_confirmation_task.delay(order.pk))` so a mail is
never sent for an order that was rolled back. SMTP and network errors are retried with backoff
(MailTask, settings.MAIL_RETRY_BACKOFF_SECONDS).
"""

from celery import shared_task

from marketplace.core.tasks import MailTask


@shared_task(bind=True, base=MailTask)
def order_send_confirmation(self, order_id: int) -> None:
    from oscar.apps.order.models import Order

    from .emails import order_send_confirmation as send

    order = Order.objects.filter(pk=order_id).first()
    if order is None:  # row vanished (test cleanup, manual delete): nothing to send
        return
    send(order=order)


@shared_task(bind=True, base=MailTask)
def order_send_refund_notice(self, order_id: int, amount: str) -> None:
    from decimal import Decimal

    from oscar.apps.order.models import Order

    from .emails import order_send_refund_notice as send

    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return
    send(order=order, amount=Decimal(amount))
