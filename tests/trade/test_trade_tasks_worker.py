"""The trade beat task through a real Celery worker on Redis: due holds, requests and allotments."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.trade.allotments import allotment_create
from marketplace.trade.bookings import TradeRequest, trade_book
from marketplace.trade.models import Allotment, TradeBooking
from marketplace.trade.tasks import trade_release_due
from operators.models import Hold, Slot
from operators.pricing import Party
from tests.packages.factories import priced_service

from .factories import ContractFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_beat_task_expires_due_bookings_and_releases_allotments_on_a_real_worker(celery_redis_worker):
    now = timezone.now()
    today = timezone.localdate()
    service = priced_service(capacity=10, days=40)
    contract = ContractFactory()
    lapsed = trade_book(
        partner=contract.partner, user=None, hold_minutes=5, now=now - dt.timedelta(minutes=10),
        request=TradeRequest(product=service, on=today + dt.timedelta(days=3), party=Party(adults=2),
                             lead_first_name="Anna", lead_last_name="Schmidt"),
    )  # fmt: skip
    # An allotment created 30 days ago whose release time (20 days before each date) has now passed.
    allotment = allotment_create(
        contract=contract, service=service, starts_on=today + dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=6), quantity=3, release_days=20, now=now - dt.timedelta(days=30),
    )  # fmt: skip
    assert Slot.objects.get(service=service, date=today + dt.timedelta(days=5)).held == 3

    assert not celery_redis_worker.conf.task_always_eager
    result = trade_release_due.apply_async().get(timeout=30)  # holds: one per allotment slot

    assert result == {"bookings_expired": 1, "holds_released": 2, "allotments_closed": 1}
    lapsed.refresh_from_db()
    allotment.refresh_from_db()
    assert lapsed.status == TradeBooking.Status.EXPIRED
    assert allotment.status == Allotment.Status.RELEASED
    assert not Hold.objects.filter(status="active").exists()
    assert set(Slot.objects.filter(service=service).values_list("held", flat=True)) == {0}
