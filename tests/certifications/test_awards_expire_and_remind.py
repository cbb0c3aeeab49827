"""The daily job: awards expire on their day; holders get one email 30 days and one 7 days before."""

from datetime import timedelta

import pytest
from celery.result import EagerResult
from django.core import mail
from django.utils import timezone

from certifications.models import Award, AwardEvent
from certifications.selectors import subject_labels
from certifications.services import award_grant, award_verify, awards_expire_and_remind, awards_send_reminders
from certifications.tasks import awards_expire_and_remind as awards_expire_and_remind_task
from marketplace.core.roles import Role
from tests.certifications.factories import OperatorFactory, SchemeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _remind(capture, day):
    """Run the reminders for a day; the emails leave when the transaction commits."""
    with capture(execute=True):
        return awards_send_reminders(today=day)


def test_reminders_30_and_7_days_before_each_sent_once(grant, scheme, operator, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    award = grant(scheme, operator, expires_on=today + timedelta(days=40))
    capture = django_capture_on_commit_callbacks

    assert _remind(capture, today) == 0  # 40 days left: nothing yet
    assert _remind(capture, today + timedelta(days=10)) == 1  # 30 days left
    assert _remind(capture, today + timedelta(days=11)) == 0  # already sent
    assert _remind(capture, today + timedelta(days=32)) == 0  # 8 days left
    assert _remind(capture, today + timedelta(days=33)) == 1  # 7 days left
    assert _remind(capture, today + timedelta(days=35)) == 0

    assert [message.to for message in mail.outbox] == [[operator.email]] * 2
    assert len(mail.outbox) == 2
    assert "30" in mail.outbox[0].subject and "7" in mail.outbox[1].subject
    award.refresh_from_db()
    assert award.reminder_30_sent_on == today + timedelta(days=10)
    assert award.reminder_7_sent_on == today + timedelta(days=33)
    reminded = award.events.filter(action=AwardEvent.Action.REMINDED)
    assert [event.data["days"] for event in reminded] == [30, 7]


def test_late_award_gets_only_the_7_day_reminder(grant, scheme, operator, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    grant(scheme, operator, expires_on=today + timedelta(days=5))
    assert _remind(django_capture_on_commit_callbacks, today) == 1
    assert _remind(django_capture_on_commit_callbacks, today + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_reminder_goes_to_the_operator_and_its_requesting_member(
    requested_award, staff, operator_user, operator, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    award_verify(award=requested_award, user=staff, awarded_on=today, expires_on=today + timedelta(days=20))
    assert _remind(django_capture_on_commit_callbacks, today) == 1
    assert sorted(mail.outbox[0].to) == sorted([operator.email, operator_user.email])


def test_daily_job_expires_what_is_due_and_leaves_the_rest(grant, scheme, operator, other_operator):
    today = timezone.localdate()
    due = grant(scheme, operator, expires_on=today)
    later = grant(scheme, other_operator, expires_on=today + timedelta(days=60))
    forever = grant(SchemeFactory(expires=False, validity_months=None), operator)

    assert awards_expire_and_remind(today=today) == {"expired": 1, "reminded": 0}
    assert Award.objects.get(pk=due.pk).status == Award.Status.EXPIRED
    assert Award.objects.get(pk=later.pk).status == Award.Status.VERIFIED
    assert Award.objects.get(pk=forever.pk).status == Award.Status.VERIFIED
    assert forever.expires_on is None
    assert awards_expire_and_remind(today=today) == {"expired": 0, "reminded": 0}


def test_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["certifications-expire-and-remind"]
    assert entry["task"] == awards_expire_and_remind_task.name


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_task_expires_awards_through_a_real_worker(celery_redis_worker, settings):
    staff = UserFactory(role=Role.STAFF)
    operator = OperatorFactory(name="Agriturismo Le Cerque", email="info@lecerque.example")
    scheme = SchemeFactory(name="EU Ecolabel", slug="eu-ecolabel")

    today = timezone.localdate()
    due = award_grant(
        scheme=scheme, subject=operator, user=staff, awarded_on=today - timedelta(days=365), expires_on=today
    )
    reminded = award_grant(
        scheme=SchemeFactory(), subject=operator, user=staff, awarded_on=today, expires_on=today + timedelta(days=7)
    )
    assert [label.award for label in subject_labels(subject=operator, today=today - timedelta(days=1))]

    async_result = awards_expire_and_remind_task.delay(today.isoformat())
    assert not isinstance(async_result, EagerResult)  # it went through Redis to the worker
    result = async_result.get(timeout=30)

    assert result == {"expired": 1, "reminded": 1}
    due.refresh_from_db()
    assert due.status == Award.Status.EXPIRED
    assert due.events.last().action == AwardEvent.Action.EXPIRED
    reminded.refresh_from_db()
    assert reminded.reminder_7_sent_on == today
    assert [message.to for message in mail.outbox] == [["info@lecerque.example"]]
    assert [label.award for label in subject_labels(subject=operator)] == [reminded]
