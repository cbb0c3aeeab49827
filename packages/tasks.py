"""Celery tasks of packages: thin wrappers taking primary keys (STYLE.md §5), retried on mail errors."""

from celery import shared_task

from marketplace.core.tasks import MailTask


@shared_task(bind=True, base=MailTask)
def package_operator_notify(self, order_id: int, operator_id: int, event: str) -> None:
    """Mail one operator its own part of an order (confirmed or cancelled)."""
    from oscar.apps.order.models import Order

    from operators.models import Operator

    from .emails import package_operator_notify as send

    order = Order.objects.filter(pk=order_id).first()
    operator = Operator.objects.filter(pk=operator_id).first()
    if order is None or operator is None:  # row vanished: nothing to tell
        return
    send(order=order, operator=operator, event=event)
