"""Row locks on payments, with a bounded wait.

A webhook and the customer's return page can confirm the same payment at the same moment; the row
lock makes the second one see the first one's result. The wait is bounded (lock_timeout on
PostgreSQL) so a stuck transaction turns into LockTimeout: the webhook answers 503 and Stripe retries.
"""

from django.conf import settings
from django.db import OperationalError, connection
from oscar.apps.basket.models import Basket

from .exceptions import LockTimeout
from .models import Payment

PG_LOCK_NOT_AVAILABLE = "55P03"


def _lock(queryset, label: str):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(settings.PAYMENT_LOCK_TIMEOUT_MS)}ms"])
    try:
        return queryset.select_for_update(of=("self",)).first()
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE:
            raise LockTimeout(f"{label} is locked") from exc
        raise


def payment_lock(*, payment_id: int) -> Payment:
    """Lock and return one payment; call inside transaction.atomic(). Lock order: payment, then basket."""
    payment = _lock(Payment.objects.filter(pk=payment_id), f"payment {payment_id}")
    if payment is None:
        raise Payment.DoesNotExist(payment_id)
    return payment


def basket_lock(*, basket_id: int) -> Basket | None:
    """Lock the basket a payment pays for (after its payment row), None if it was deleted."""
    return _lock(Basket.objects.filter(pk=basket_id), f"basket {basket_id}")
