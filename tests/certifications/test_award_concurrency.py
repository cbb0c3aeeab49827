"""Races on PostgreSQL with real threads: two identical requests, two staff deciding at once."""

import threading

import pytest
from django.db import connection

from certifications.models import Award, AwardEvent
from certifications.services import CertificationError, award_reject, award_request, award_verify
from marketplace.core.roles import Role
from tests.certifications.factories import OperatorFactory, SchemeFactory, pdf_upload
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls):
    """Run the calls at the same moment, each in its own thread and connection; return the outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # the outcome is what the test asserts on
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_identical_requests_make_one_award():
    user = UserFactory(role=Role.OPERATOR)
    operator = OperatorFactory(members=[user])
    scheme = SchemeFactory()

    def request():
        return award_request(scheme=scheme, subject=operator, user=user, files=[pdf_upload()])

    outcomes = _race(request, request, request)
    assert sum(isinstance(o, Award) for o in outcomes) == 1
    assert sum(isinstance(o, CertificationError) for o in outcomes) == 2
    assert Award.objects.count() == 1
    assert AwardEvent.objects.count() == 1


def test_verify_and_reject_at_once_leave_one_decision():
    user = UserFactory(role=Role.OPERATOR)
    operator = OperatorFactory(members=[user])
    award = award_request(scheme=SchemeFactory(), subject=operator, user=user, files=[pdf_upload()])
    first, second = UserFactory(role=Role.STAFF), UserFactory(role=Role.STAFF)

    outcomes = _race(
        lambda: award_verify(award=award, user=first),
        lambda: award_reject(award=award, user=second, reason="Documento illeggibile"),
    )
    assert sum(isinstance(o, Award) for o in outcomes) == 1
    assert sum(isinstance(o, CertificationError) for o in outcomes) == 1
    award.refresh_from_db()
    decisions = award.events.exclude(action=AwardEvent.Action.REQUESTED)
    assert decisions.count() == 1
    assert decisions.get().to_status == award.status
