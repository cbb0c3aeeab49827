"""API resellers, portal partners and shop buyers race for the last places of one slot on PostgreSQL,
with real threads: the API's reserve + confirm goes through HTTP (Django's test client, one per
thread), the portal's booking through the booking service it calls, the shop's through the basket's
hold. Never more sold than the slot has, and refusals leave nothing behind."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from marketplace.octo.keys import api_key_create
from marketplace.trade.bookings import TradeRefused, TradeRequest, trade_book
from marketplace.trade.models import TradeBooking
from operators.capacity import capacity_hold
from operators.exceptions import SoldOut
from operators.models import Hold, Slot
from operators.pricing import Party
from tests.octo.helpers import send
from tests.operators.test_capacity_concurrency import race
from tests.packages.factories import priced_service
from tests.trade.factories import ContractFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 18
CAPACITY = 6


class ApiRefused(Exception):
    """The API answered an OCTO error (sold out): a clean refusal."""


def test_api_portal_and_shop_share_the_last_places_without_overselling():
    cache.clear()
    service = priced_service(capacity=CAPACITY, days=20)
    on = timezone.localdate() + dt.timedelta(days=10)
    slot = Slot.objects.get(service=service, date=on)
    availability = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0))).isoformat()
    contracts = [ContractFactory() for _ in range(CLIENTS // 3 * 2)]
    secrets = [api_key_create(partner=c.partner, name="k")[1] for c in contracts[: CLIENTS // 3]]
    portal = [c.partner for c in contracts[CLIENTS // 3 :]]

    def api(i):
        client, secret = Client(), secrets[i // 3]
        body = {"productId": f"service-{service.pk}", "optionId": "DEFAULT", "availabilityId": availability,
                "unitItems": [{"unitId": "adult"}]}  # fmt: skip
        held = send(client, "POST", "/bookings", secret, body)
        if held.status_code != 200:
            assert held.json()["error"] == "UNPROCESSABLE_ENTITY", held.content
            raise ApiRefused
        confirmed = send(client, "POST", f"/bookings/{held.json()['uuid']}/confirm", secret,
                         {"contact": {"firstName": "A", "lastName": "B"}})  # fmt: skip
        assert confirmed.json()["status"] == "CONFIRMED", confirmed.content

    def client(i):
        if i % 3 == 0:
            api(i)
        elif i % 3 == 1:
            request = TradeRequest(product=service, on=on, party=Party(adults=1), lead_first_name="A",
                                   lead_last_name="B")  # fmt: skip
            trade_book(partner=portal[i // 3], user=None, request=request)
        else:
            capacity_hold(items=[(slot.pk, 1)], reference=f"basket-line:{i}")

    ok, refused, errors = race(client, CLIENTS, refused=(SoldOut, TradeRefused, ApiRefused))
    assert errors == []
    assert (ok, refused) == (CAPACITY, CLIENTS - CAPACITY)
    slot.refresh_from_db()
    booked = TradeBooking.objects.filter(status="confirmed").count()
    held = Hold.objects.filter(slot=slot, status="active").count()
    assert booked + held == CAPACITY and (slot.held, slot.reserved) == (held, booked)
    assert not TradeBooking.objects.exclude(status="confirmed").exists()  # refusals left no rows
    assert (
        TradeBooking.objects.filter(channel="api").count() + TradeBooking.objects.filter(channel="portal").count()
        == booked
    )
