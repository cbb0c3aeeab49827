from celery import shared_task


@shared_task
def payment_abandon_stale() -> int:
    """Beat job (CELERY_BEAT_SCHEDULE): release the holds of payments nobody finished."""
    from .services import payment_abandon_stale as abandon

    return abandon()
