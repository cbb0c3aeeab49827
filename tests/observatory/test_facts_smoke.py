import datetime as dt
from decimal import Decimal

import pytest

from marketplace.observatory.models import BookingDayFact, BookingFact
from tests.packages.conftest import buy, today, two_operator_package  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_paid_order_becomes_facts(client, two_operator_package, today, settings, django_capture_on_commit_callbacks):
    settings.STRIPE_SECRET_KEY = ""
    on = today + dt.timedelta(days=30)
    buy(client, two_operator_package, on, django_capture_on_commit_callbacks)
    fact = BookingFact.objects.get()
    assert (fact.channel, fact.adults, fact.gross, fact.travel_start) == ("web", 2, Decimal("264.00"), on)
    days = list(BookingDayFact.objects.order_by("date"))
    assert [d.date for d in days] == [on, on + dt.timedelta(days=1)]
