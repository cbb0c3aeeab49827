"""Races on PostgreSQL with real threads: two guides scanning the same voucher at once check it in once;
the other is told it was already used, by whom and when."""

import threading

import pytest
from django.db import connection, transaction

from marketplace.trade.models import TradeBookingPart
from operators.checkin import voucher_check_in
from tests.operators.factories import MembershipFactory

from .day_world import day_world
from .locks import wait_for_a_lock_waiter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_scans_of_one_voucher_at_once_check_it_in_once(settings, django_capture_on_commit_callbacks):
    world = day_world(settings, django_capture_on_commit_callbacks)
    second_guide = MembershipFactory(operator=world.guide.operator, user__first_name="Sara", user__last_name="Bo")
    part_ids = list(TradeBookingPart.objects.filter(booking=world.portal).values_list("pk", flat=True))
    started, release = threading.Event(), threading.Event()
    outcomes = {}

    def hold_parts():
        try:
            with transaction.atomic():
                list(TradeBookingPart.objects.select_for_update().filter(pk__in=part_ids))
                started.set()
                release.wait(10)
        finally:
            connection.close()

    def scan(name, user):
        try:
            outcomes[name] = voucher_check_in(operator=world.guide.operator, raw_code=world.portal.code, by=user)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_parts)
    holder.start()
    assert started.wait(10)
    scans = [threading.Thread(target=scan, args=(name, member.user))
             for name, member in (("paolo", world.guide), ("sara", second_guide))]  # fmt: skip
    for thread in scans:
        thread.start()
    assert wait_for_a_lock_waiter()
    release.set()
    for thread in [holder, *scans]:
        thread.join(20)

    assert sorted(o.result for o in outcomes.values()) == ["already", "checked_in"], outcomes
    winner = next(o for o in outcomes.values() if o.result == "checked_in")
    loser = next(o for o in outcomes.values() if o.result == "already")
    assert loser.redeemed_by == winner.redeemed_by and loser.redeemed_at == winner.redeemed_at
    assert TradeBookingPart.objects.get(booking=world.portal).redeemed_at == winner.redeemed_at
