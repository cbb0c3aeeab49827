"""Races on PostgreSQL with real threads: a team always keeps one owner."""

import threading
import time

import pytest
from django.db import connection, transaction

from operators.models import OperatorMembership
from operators.services import operator_member_remove
from tests.operators.factories import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_owners_removing_each_other_at_once_leave_one_owner():
    """Both removals count two owners if nothing orders them. To make the race certain, another
    transaction holds the two membership rows while both removals start, so each gets as far as it can
    before any delete lands; then it lets go."""
    anna = MembershipFactory()
    bruno = MembershipFactory(operator=anna.operator)
    started, release = threading.Event(), threading.Event()
    outcomes = {}

    def hold_rows():
        try:
            with transaction.atomic():
                list(OperatorMembership.objects.select_for_update().filter(pk__in=[anna.pk, bruno.pk]))
                started.set()
                release.wait(10)
        finally:
            connection.close()

    def remove(name, membership, by):
        try:
            operator_member_remove(membership=membership, by=by)
            outcomes[name] = "removed"
        except Exception as exc:  # the outcome is what the test asserts on
            outcomes[name] = exc
        finally:
            connection.close()

    holder = threading.Thread(target=hold_rows)
    holder.start()
    assert started.wait(10)
    removals = [
        threading.Thread(target=remove, args=("anna removes bruno", bruno, anna.user)),
        threading.Thread(target=remove, args=("bruno removes anna", anna, bruno.user)),
    ]
    for thread in removals:
        thread.start()
    time.sleep(1)  # both removals are now waiting on the held rows (or on each other)
    release.set()
    for thread in [holder, *removals]:
        thread.join(20)

    assert sorted(v for v in outcomes.values() if v == "removed") == ["removed"], outcomes
    assert OperatorMembership.objects.filter(operator=anna.operator, role="owner").count() == 1
