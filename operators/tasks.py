"""Celery tasks: thin wrappers taking primary keys (STYLE.md §5)."""

from celery import shared_task

from marketplace.core.tasks import MailTask

from .exceptions import LockTimeout

EXPIRY_MAX_BATCHES = 20


@shared_task(bind=True, max_retries=5, default_retry_delay=2)
def capacity_release_expired(self, batch_size: int = 500) -> int:
    """Beat job: release expired holds in bounded batches (each its own short transaction)."""
    from .capacity import capacity_release_expired as release

    total = 0
    try:
        for _ in range(EXPIRY_MAX_BATCHES):
            released = release(batch_size=batch_size)
            total += released
            if released == 0:
                break
    except LockTimeout as exc:
        raise self.retry(exc=exc) from exc
    return total


@shared_task(bind=True, base=MailTask)
def operator_notify_status(self, operator_id: int) -> int:
    """One message to all recipients: retried as a whole (with MailTask's backoff) when the mail server fails."""
    from .models import Operator
    from .services import operator_notify_status as notify

    operator = Operator.objects.filter(pk=operator_id).first()
    if operator is None:  # deleted meanwhile: nothing to tell
        return 0
    return notify(operator=operator)


@shared_task(bind=True, base=MailTask)
def operator_send_invitation(self, invitation_id: int, token: str, language: str = "") -> int:
    """Mail a team invitation in the inviter's language; an invitation gone meanwhile sends nothing."""
    from django.conf import settings
    from django.utils import translation

    from .models import OperatorInvitation
    from .services import operator_invitation_send

    invitation = OperatorInvitation.objects.filter(pk=invitation_id).select_related("operator").first()
    if invitation is None:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        return operator_invitation_send(invitation=invitation, token=token)


@shared_task
def calendars_refresh() -> int:
    """Beat job: re-import every external calendar that has a URL, one task each."""
    from .models import ExternalCalendar

    ids = list(ExternalCalendar.objects.exclude(url="").values_list("pk", flat=True))
    for calendar_id in ids:
        calendar_refresh.delay(calendar_id)
    return len(ids)


@shared_task
def calendar_refresh(calendar_id: int) -> int:
    """Re-import one external calendar; a failure is stored on it (the previous block stays)."""
    from .models import ExternalCalendar
    from .services import ICalError, calendar_fetch_and_import

    calendar = ExternalCalendar.objects.filter(pk=calendar_id).exclude(url="").first()
    if calendar is None:
        return 0
    try:
        count = calendar_fetch_and_import(calendar=calendar)
    except ICalError as error:
        ExternalCalendar.objects.filter(pk=calendar_id).update(last_error=str(error)[:2000])
        return 0
    ExternalCalendar.objects.filter(pk=calendar_id).update(last_error="")
    return count


capacity_release_expired_task = capacity_release_expired
operator_notify_status_task = operator_notify_status
calendars_refresh_task = calendars_refresh
calendar_refresh_task = calendar_refresh
