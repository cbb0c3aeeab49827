"""What every Celery task that sends mail shares: retries on mail-server and network errors.

A mail task is declared `@shared_task(bind=True, base=MailTask)`. Celery's own autoretry
(`autoretry_for`) catches SMTP and connection errors and calls `retry`; the countdown of each retry
grows exponentially from settings.MAIL_RETRY_BACKOFF_SECONDS (5 s, 10 s, 20 s… up to
MAIL_RETRY_BACKOFF_MAX_SECONDS, with jitter so a mail server coming back is not hit by every task at
once). The setting is read at each retry, not when the task is declared (Celery's `retry_backoff`
is frozen at import), so tests make it fast with `override_settings` and production can tune it.
"""

import random
from smtplib import SMTPException

from celery import Task, shared_task
from django.conf import settings

MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)


def mail_retry_countdown(retries: int) -> float:
    """Seconds before retry number `retries + 1`: base × 2^retries, capped, between half and all of it."""
    base = float(settings.MAIL_RETRY_BACKOFF_SECONDS)
    ceiling = min(base * 2**retries, float(settings.MAIL_RETRY_BACKOFF_MAX_SECONDS))
    return random.uniform(ceiling / 2, ceiling)


class MailTask(Task):
    abstract = True
    autoretry_for = MAIL_ERRORS
    max_retries = 8

    def retry(self, args=None, kwargs=None, exc=None, throw=True, eta=None, countdown=None, **options):
        if countdown is None and eta is None:
            countdown = mail_retry_countdown(self.request.retries)
        return super().retry(args=args, kwargs=kwargs, exc=exc, throw=throw, eta=eta, countdown=countdown, **options)


@shared_task(bind=True, base=MailTask)
def account_send_mail(self, subject: str, body: str, to: str) -> int:
    """An account e-mail rendered by the request (in the visitor's language): sign-up and its notes."""
    from django.core.mail import send_mail

    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
