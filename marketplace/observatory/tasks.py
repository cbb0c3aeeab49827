from celery import shared_task

from . import facts, opendata


@shared_task(name="marketplace.observatory.tasks.facts_refresh_package")
def facts_refresh_package(booking_ids: list[int]) -> None:
    facts.facts_refresh_package_bookings(booking_ids)


@shared_task(name="marketplace.observatory.tasks.facts_refresh_trade")
def facts_refresh_trade(booking_id: int) -> None:
    facts.facts_refresh_trade_booking(booking_id)


@shared_task(name="marketplace.observatory.tasks.facts_rebuild")
def facts_rebuild() -> int:
    """Nightly (settings.CELERY_BEAT_SCHEDULE): every booking's facts rewritten from the sources; the
    open data (computed once a day from them) is dropped so the next request computes it again."""
    counted = facts.facts_rebuild()
    opendata.opendata_cache_clear()
    return counted
