"""Races on PostgreSQL with real threads: a partner always keeps one administrator, and two staff
deciding at once are ordered."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from marketplace.trade.models import PartnerMembership, TradePartner
from marketplace.trade.partners import partner_member_remove, partner_set_status
from tests.operators.locks import wait_for_a_lock_waiter

from .factories import PartnerMembershipFactory, TradePartnerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(rows_to_hold, calls):
    """Hold `rows_to_hold` in another transaction while every call starts, so each gets as far as it can
    before any write lands; then let go. Returns each call's outcome ("done" or the exception)."""
    started, release = threading.Event(), threading.Event()
    outcomes = {}

    def hold():
        try:
            with transaction.atomic():
                list(rows_to_hold.select_for_update())
                started.set()
                release.wait(10)
        finally:
            connection.close()

    def run(name, call):
        try:
            call()
            outcomes[name] = "done"
        except Exception as exc:  # the outcome is what the test asserts on
            outcomes[name] = exc
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert started.wait(10)
    threads = [threading.Thread(target=run, args=(name, call)) for name, call in calls.items()]
    for thread in threads:
        thread.start()
    assert wait_for_a_lock_waiter()
    release.set()
    for thread in [holder, *threads]:
        thread.join(20)
    return outcomes


def test_two_admins_removing_each_other_at_once_leave_one_admin():
    anna = PartnerMembershipFactory()
    bruno = PartnerMembershipFactory(partner=anna.partner)

    outcomes = race(
        PartnerMembership.objects.filter(pk__in=[anna.pk, bruno.pk]),
        {
            "anna removes bruno": lambda: partner_member_remove(membership=bruno, by=anna.user),
            "bruno removes anna": lambda: partner_member_remove(membership=anna, by=bruno.user),
        },
    )

    assert list(outcomes.values()).count("done") == 1, outcomes
    assert PartnerMembership.objects.filter(partner=anna.partner, role="admin").count() == 1


def test_two_staff_deciding_at_once_are_ordered():
    partner = TradePartnerFactory(status="pending")

    outcomes = race(
        TradePartner.objects.filter(pk=partner.pk),
        {
            "approve": lambda: partner_set_status(partner=TradePartner.objects.get(pk=partner.pk), status="approved"),
            "reject": lambda: partner_set_status(
                partner=TradePartner.objects.get(pk=partner.pk), status="rejected", reason="No licence."
            ),
        },
    )

    assert list(outcomes.values()).count("done") == 1, outcomes
    assert [type(v) for v in outcomes.values() if v != "done"] == [ValidationError]
    partner.refresh_from_db()
    assert partner.status in ("approved", "rejected")
