"""Celery wrappers; the work is in certifications.services."""

from celery import shared_task


@shared_task(name="certifications.awards_expire_and_remind")
def awards_expire_and_remind(today: str | None = None) -> dict:
    """Daily (beat): expire awards whose day has come, then email the 30- and 7-day reminders.

    `today` (ISO date) exists for tests and for re-running a missed day by hand.
    """
    from datetime import date

    from .services import awards_expire_and_remind as run

    return run(today=date.fromisoformat(today) if today else None)
