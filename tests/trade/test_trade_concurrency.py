"""Channels race for the same places on PostgreSQL with real threads: the shop's buyers and partners'
portal bookings for the last places of a slot, and one partner's bookings inside its allotment.
Never more sold than the slot has, never more taken from an allotment than it holds; and a control
that takes the locks and the database's backstop away shows these checks do catch an oversell."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.trade.allotments import allotment_create
from marketplace.trade.bookings import TradeRefused, TradeRequest, trade_book
from marketplace.trade.models import TradeBooking, TradeBookingPart
from operators.capacity import capacity_allot, capacity_hold, capacity_take
from operators.exceptions import LockTimeout, SoldOut
from operators.lock_objects import without_row_locks
from operators.models import Hold, Reservation, Slot
from operators.pricing import Party
from tests.operators.test_capacity_concurrency import race
from tests.packages.factories import priced_service

from .factories import ContractFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 16


def day(n):
    return timezone.localdate() + dt.timedelta(days=n)


def one_adult(service, on):
    return TradeRequest(product=service, on=on, party=Party(adults=1), lead_first_name="A", lead_last_name="B")


def test_shop_buyers_and_partners_share_the_last_places_without_overselling():
    service = priced_service(capacity=6, days=20)
    slot = Slot.objects.get(service=service, date=day(10))
    partners = [ContractFactory().partner for _ in range(CLIENTS // 2)]

    def client(i):
        if i % 2:
            trade_book(partner=partners[i // 2], user=None, request=one_adult(service, day(10)))
        else:
            capacity_hold(items=[(slot.pk, 1)], reference=f"basket-line:{i}")

    ok, refused, errors = race(client, CLIENTS, refused=(SoldOut, TradeRefused))
    assert errors == []
    assert (ok, refused) == (6, CLIENTS - 6)
    slot.refresh_from_db()
    booked = TradeBooking.objects.filter(status="confirmed").count()
    held = Hold.objects.filter(slot=slot, status="active").count()
    assert booked + held == 6 and (slot.held, slot.reserved) == (held, booked)
    assert Reservation.objects.filter(slot=slot, status="active").count() == booked
    assert not TradeBooking.objects.exclude(status="confirmed").exists()  # refusals left no rows


def test_one_partners_bookings_never_take_more_than_its_allotment():
    service = priced_service(capacity=30, days=40)
    contract = ContractFactory(general_sale=False)
    allotment = allotment_create(contract=contract, service=service, starts_on=day(30), ends_on=day(30), quantity=5,
                                 release_days=3)  # fmt: skip
    ok, refused, errors = race(
        lambda i: trade_book(partner=contract.partner, user=None, request=one_adult(service, day(30))),
        CLIENTS,
        refused=(TradeRefused,),
    )
    assert errors == []
    assert (ok, refused) == (5, CLIENTS - 5)
    taken = sum(TradeBookingPart.objects.values_list("from_allotment", flat=True))
    assert taken == 5
    assert not Hold.objects.filter(reference=allotment.capacity_reference, status="active").exists()
    slot = Slot.objects.get(service=service, date=day(30))
    assert (slot.held, slot.reserved) == (0, 5)


def allotment_oversold(reference: str, allotted: int, slot: Slot) -> bool:
    """The checks above, as one predicate: more booked out of the allotment than it held, or counters
    that no longer add up."""
    slot.refresh_from_db()
    from_allotment = Reservation.objects.filter(slot=slot, reference__startswith="trade:").count()
    return from_allotment > allotted or slot.held < 0 or slot.held + slot.reserved > (slot.capacity or 0)


@pytest.fixture
def no_backstop():
    """The control only: the slot's check constraints dropped for the test, restored after it."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE operators_slot DROP CONSTRAINT operators_slot_not_negative")
        cursor.execute("ALTER TABLE operators_slot DROP CONSTRAINT operators_slot_not_oversold")
        cursor.execute("ALTER TABLE operators_slot DROP CONSTRAINT operators_slot_held_check")  # positive field
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE operators_slot SET held = 0, reserved = 0")
            cursor.execute(
                "ALTER TABLE operators_slot ADD CONSTRAINT operators_slot_not_negative CHECK (held >= 0 AND reserved >= 0)"
            )
            cursor.execute('ALTER TABLE operators_slot ADD CONSTRAINT operators_slot_held_check CHECK ("held" >= 0)')
            cursor.execute(
                "ALTER TABLE operators_slot ADD CONSTRAINT operators_slot_not_oversold "
                "CHECK (capacity IS NULL OR capacity >= held + reserved)"
            )


def test_control_without_the_lock_the_same_race_oversells_the_allotment_and_the_check_sees_it(no_backstop):
    """Take away the slot lock (and the constraint that backs it up): clients read the allotment's hold
    at the same time and each takes a place from it, so more than it held are booked. The predicate the
    real tests rely on says so, which shows they would catch an oversell."""
    service = priced_service(capacity=30, days=40)
    slot = Slot.objects.get(service=service, date=day(30))
    capacity_allot(items=[(slot, 5, timezone.now() + dt.timedelta(days=20))], reference="allotment:control")
    with without_row_locks():
        ok, refused, errors = race(
            lambda i: capacity_take(items=[(slot.pk, 1)], reference=f"trade:c{i}", source="allotment:control",
                                    general=False),
            CLIENTS,
            refused=(SoldOut, LockTimeout),
        )  # fmt: skip
    assert errors == []
    assert allotment_oversold("allotment:control", 5, slot), (ok, refused)
