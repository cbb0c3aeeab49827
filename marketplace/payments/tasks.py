from celery import shared_task

from marketplace.core.tasks import MailTask


@shared_task
def payment_abandon_stale() -> int:
    """Beat job (CELERY_BEAT_SCHEDULE): release the holds of payments nobody finished."""
    from .services import payment_abandon_stale as abandon

    return abandon()


@shared_task(bind=True, base=MailTask)
def payment_send_unbookable_notice(self, payment_id: int) -> None:
    """Tell a customer whose payment arrived after the places were gone that it was refunded."""
    from .emails import payment_send_unbookable_notice as send
    from .models import Payment

    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return
    send(payment=payment)
