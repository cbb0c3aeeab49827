"""Partner bookings through the service functions: what is taken, what is refused (leaving nothing),
on-request answers and timeouts, credit limits, cancellation fees, amendments, holds and expiry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.trade.allotments import AllotmentRefused, allotment_create, allotment_release, allotment_usage
from marketplace.trade.bookings import (
    TradeRefused,
    TradeRequest,
    trade_amend,
    trade_book,
    trade_cancel,
    trade_cancellation_fee,
    trade_confirm,
    trade_expire_due,
    trade_part_decide,
)
from marketplace.trade.models import Contract, ContractCancellationTier, TradeBooking, TradeBookingPart
from operators.capacity import capacity_book
from operators.models import Hold, Reservation, Slot
from operators.pricing import Party
from tests.packages.factories import make_package, priced_service

from .factories import ContractFactory

pytestmark = pytest.mark.django_db
S = TradeBooking.Status


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def ask(product, on, party=None, **kwargs):
    return TradeRequest(product=product, on=on, party=party or Party(adults=2), lead_first_name="Anna",
                        lead_last_name="Schmidt", **kwargs)  # fmt: skip


def slot_of(service, on):
    return Slot.objects.get(service=service, date=on)


def nothing_left_for(partner):
    return (
        not TradeBooking.objects.filter(partner=partner).exists()
        and not Hold.objects.filter(reference__startswith="trade:", status="active").exists()
        and not Reservation.objects.filter(reference__startswith="trade:", status="active").exists()
    )


def test_a_booking_on_account_is_confirmed_with_its_parts_and_places():
    service = priced_service(adult="50.00", capacity=10)
    contract = ContractFactory(commission_percent=Decimal("20.00"))
    booking = trade_book(partner=contract.partner, user=None, request=ask(service, day(5), partner_reference="TR-1"))
    assert booking.status == S.CONFIRMED and booking.code.startswith("T")
    assert (booking.retail_amount, booking.net_amount) == (Decimal("100.00"), Decimal("80.00"))
    part = booking.parts.get()
    assert (part.places, part.amount, part.from_allotment, part.operator_id) == (
        2,
        Decimal("100.00"),
        0,
        service.operator_id,
    )
    slot = slot_of(service, day(5))
    assert (slot.held, slot.reserved) == (0, 2)


def test_a_package_books_every_component():
    a, b = priced_service(), priced_service()
    package = make_package(services=[a, b], days=[1, 2])
    contract = ContractFactory()
    booking = trade_book(partner=contract.partner, user=None, request=ask(package, day(5)))
    assert sorted((p.service_id, p.date) for p in booking.parts.all()) == sorted([(a.pk, day(5)), (b.pk, day(6))])
    assert slot_of(b, day(6)).reserved == 2


@pytest.mark.parametrize(
    "case, code",
    [("not covered", "not_covered"), ("sold out", "unavailable"), ("no lead", "lead_traveller"),
     ("past", "past"), ("suspended", "partner_inactive")],
)  # fmt: skip
def test_every_refusal_leaves_nothing(case, code):
    service = priced_service(capacity=3)
    contract = ContractFactory()
    request = ask(service, day(5))
    if case == "not covered":
        contract.scope = Contract.Scope.PACKAGES
        contract.save()
    elif case == "sold out":
        request = ask(service, day(5), party=Party(adults=4))
    elif case == "no lead":
        request = TradeRequest(product=service, on=day(5), party=Party(adults=2))
    elif case == "past":
        request = ask(service, day(-1))
    elif case == "suspended":
        contract.partner.status = "suspended"
        contract.partner.save()
    with pytest.raises(TradeRefused) as refused:
        trade_book(partner=contract.partner, user=None, request=request)
    assert refused.value.code == code and refused.value.message
    assert nothing_left_for(contract.partner)
    assert slot_of(service, day(5)).reserved == 0


def test_the_credit_limit_refuses_what_would_pass_it():
    service = priced_service(adult="50.00")
    contract = ContractFactory(commission_percent=Decimal("0.00"), credit_limit=Decimal("250.00"))
    trade_book(partner=contract.partner, user=None, request=ask(service, day(5)))  # 100
    trade_book(partner=contract.partner, user=None, request=ask(service, day(6)))  # 200
    with pytest.raises(TradeRefused) as refused:
        trade_book(partner=contract.partner, user=None, request=ask(service, day(7)))  # 300 > 250
    assert refused.value.code == "credit_limit" and "250" in refused.value.message
    assert TradeBooking.objects.filter(partner=contract.partner).count() == 2
    assert slot_of(service, day(7)).reserved == 0


def test_an_allotment_is_used_first_even_when_general_sale_is_full():
    service = priced_service(capacity=6)
    contract = ContractFactory()
    allotment = allotment_create(contract=contract, service=service, starts_on=day(30), ends_on=day(32), quantity=4,
                                 release_days=7)  # fmt: skip
    capacity_book(items=[(slot_of(service, day(30)), 2)], reference="order-line:1")  # the shop takes the rest
    booking = trade_book(partner=contract.partner, user=None, request=ask(service, day(30), party=Party(adults=3)))
    assert booking.parts.get().from_allotment == 3
    assert allotment_usage(allotment=allotment)["booked"] == 3
    with pytest.raises(TradeRefused):  # one place left in the allotment, none for sale
        trade_book(partner=contract.partner, user=None, request=ask(service, day(30), party=Party(adults=2)))
    slot = slot_of(service, day(30))
    assert (slot.held, slot.reserved) == (1, 5)


def test_an_allotment_refuses_the_dates_that_cannot_take_it_and_creates_nothing():
    service = priced_service(capacity=5)
    contract = ContractFactory()
    capacity_book(items=[(slot_of(service, day(31)), 3)], reference="order-line:2")
    with pytest.raises(AllotmentRefused) as refused:
        allotment_create(
            contract=contract, service=service, starts_on=day(2), ends_on=day(32), quantity=3, release_days=7
        )
    assert day(31) in refused.value.dates and day(2) in refused.value.dates  # booked up; inside the release period
    assert day(20) not in refused.value.dates
    assert not contract.allotments.exists() and not Hold.objects.filter(reference__startswith="allotment:").exists()


def test_released_allotment_places_return_to_general_sale():
    service = priced_service(capacity=5)
    contract = ContractFactory()
    allotment = allotment_create(contract=contract, service=service, starts_on=day(30), ends_on=day(30), quantity=5,
                                 release_days=7)  # fmt: skip
    assert slot_of(service, day(30)).free == 0
    assert allotment_release(allotment=allotment) == 5
    assert slot_of(service, day(30)).free == 5


def test_on_request_waits_for_the_operator_then_confirms():
    service = priced_service(on_request=True, capacity=4)
    contract = ContractFactory()
    booking = trade_book(partner=contract.partner, user=None, request=ask(service, day(10)))
    assert booking.status == S.PENDING and booking.decision_deadline > timezone.now()
    assert slot_of(service, day(10)).held == 2
    with pytest.raises(TradeRefused):  # another operator has nothing to answer
        trade_part_decide(booking=booking, operator=priced_service().operator, confirm=True)
    booking = trade_part_decide(booking=booking, operator=service.operator, confirm=True)
    assert booking.status == S.CONFIRMED
    slot = slot_of(service, day(10))
    assert (slot.held, slot.reserved) == (0, 2)
    assert booking.parts.get().decision == TradeBookingPart.Decision.CONFIRMED


def test_a_decline_gives_the_places_back():
    service = priced_service(on_request=True, capacity=4)
    booking = trade_book(partner=ContractFactory().partner, user=None, request=ask(service, day(10)))
    booking = trade_part_decide(booking=booking, operator=service.operator, confirm=False, reason="Fully booked")
    assert (booking.status, booking.decline_reason) == (S.DECLINED, "Fully booked")
    assert slot_of(service, day(10)).held == 0


def test_an_unanswered_request_expires_at_its_deadline():
    service = priced_service(on_request=True, capacity=4)
    booking = trade_book(partner=ContractFactory().partner, user=None, request=ask(service, day(10)))
    assert trade_expire_due(now=booking.decision_deadline - dt.timedelta(minutes=1)) == 0
    assert trade_expire_due(now=booking.decision_deadline + dt.timedelta(minutes=1)) == 1
    booking.refresh_from_db()
    assert booking.status == S.EXPIRED and slot_of(service, day(10)).held == 0


def test_a_hold_is_confirmed_or_expires():
    service = priced_service(capacity=4)
    partner = ContractFactory().partner
    held = trade_book(partner=partner, user=None, request=ask(service, day(10)), hold_minutes=30)
    assert held.status == S.ON_HOLD and slot_of(service, day(10)).held == 2
    confirmed = trade_confirm(booking=held)
    assert confirmed.status == S.CONFIRMED and slot_of(service, day(10)).reserved == 2
    assert trade_confirm(booking=held).status == S.CONFIRMED  # a retry answers the same
    lapsed = trade_book(partner=partner, user=None, request=ask(service, day(11)), hold_minutes=30)
    later = timezone.now() + dt.timedelta(minutes=31)
    with pytest.raises(TradeRefused):
        trade_confirm(booking=lapsed, now=later)
    assert trade_expire_due(now=later) == 1
    assert slot_of(service, day(11)).held == 0


def test_the_same_uuid_books_once():
    service = priced_service(capacity=10)
    partner = ContractFactory().partner
    first = trade_book(
        partner=partner, user=None, request=ask(service, day(5)), uuid="5b1f6d7e-1111-4a4a-9b9b-0123456789ab"
    )
    again = trade_book(
        partner=partner, user=None, request=ask(service, day(5)), uuid="5b1f6d7e-1111-4a4a-9b9b-0123456789ab"
    )
    assert first.pk == again.pk and slot_of(service, day(5)).reserved == 2


def test_the_fee_follows_the_contracts_tiers_and_cancel_is_idempotent():
    service = priced_service(adult="50.00", capacity=10)
    contract = ContractFactory(commission_percent=Decimal("20.00"))
    ContractCancellationTier.objects.create(contract=contract, days_before=30, refund_percent=100)
    ContractCancellationTier.objects.create(contract=contract, days_before=7, refund_percent=50)
    early = trade_book(partner=contract.partner, user=None, request=ask(service, day(40)))
    mid = trade_book(partner=contract.partner, user=None, request=ask(service, day(10)))
    late = trade_book(partner=contract.partner, user=None, request=ask(service, day(3)))
    assert [trade_cancellation_fee(booking=b) for b in (early, mid, late)] == [
        Decimal("0.00"), Decimal("40.00"), Decimal("80.00")]  # fmt: skip
    cancelled = trade_cancel(booking=mid)
    assert (cancelled.status, cancelled.cancellation_fee) == (S.CANCELLED, Decimal("40.00"))
    assert slot_of(service, day(10)).reserved == 0
    assert trade_cancel(booking=mid).cancellation_fee == Decimal("40.00")


def test_amending_the_party_retakes_places_all_or_nothing():
    service = priced_service(adult="50.00", capacity=4)
    contract = ContractFactory(commission_percent=Decimal("0.00"))
    booking = trade_book(partner=contract.partner, user=None, request=ask(service, day(5)))
    booking = trade_amend(booking=booking, party=Party(adults=4), travellers=["Max Schmidt"])
    assert (booking.net_amount, booking.parts.get().places) == (Decimal("200.00"), 4)
    assert slot_of(service, day(5)).reserved == 4
    with pytest.raises(TradeRefused):
        trade_amend(booking=booking, party=Party(adults=5))
    booking.refresh_from_db()
    assert booking.party["adults"] == 4 and slot_of(service, day(5)).reserved == 4
    contract.amendments_allowed = False
    contract.save()
    booking.refresh_from_db()
    with pytest.raises(TradeRefused) as refused:
        trade_amend(booking=booking, travellers=["Someone Else"])
    assert refused.value.code == "not_amendable"
