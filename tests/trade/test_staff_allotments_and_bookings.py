"""Staff's allotments and bookings in the admin go through the trade-book services: an allotment larger
than what is free is refused with its dates as a form error (nothing held), a release gives the places
back, a booking is cancelled on the partner's behalf."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.roles import Role
from marketplace.trade.models import Allotment, TradeBooking
from operators.capacity import capacity_book
from operators.models import Hold
from tests.factories import UserFactory
from tests.operators.factories import ServiceFactory, SlotFactory

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff(client):
    user = UserFactory(role=Role.STAFF)
    client.force_login(user)
    return user


@pytest.fixture
def week():
    """A service with 10 places on each of seven days, 60 days ahead; 8 already booked on the fourth day."""
    service = ServiceFactory()
    first = timezone.localdate() + dt.timedelta(days=60)
    slots = [SlotFactory(service=service, date=first + dt.timedelta(days=n), capacity=10) for n in range(7)]
    capacity_book(items=[(slots[3], 8)], reference="order-line:busy")
    contract = ContractFactory(valid_from=first - dt.timedelta(days=60), valid_to=first + dt.timedelta(days=90))
    return {"service": service, "slots": slots, "contract": contract, "first": first}


def allotment_data(week, quantity):
    return {
        "contract": week["contract"].pk, "service": week["service"].pk, "starts_on": week["first"].isoformat(),
        "ends_on": (week["first"] + dt.timedelta(days=6)).isoformat(), "start_time": "", "quantity": quantity,
        "release_days": 21,
    }  # fmt: skip


def test_an_allotment_larger_than_what_is_free_shows_the_refused_dates_and_holds_nothing(client, staff, week):
    busy = week["slots"][3].date

    response = client.post(reverse("trade_allotments:add"), allotment_data(week, 4))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert busy.strftime("%d/%m/%Y") in errors or busy.isoformat() in errors, errors
    assert not Allotment.objects.exists()
    assert not Hold.objects.filter(reference__startswith="allotment:").exists()


def test_an_allotment_is_created_then_released_through_the_capacity_service(client, staff, week):

    response = client.post(reverse("trade_allotments:add"), allotment_data(week, 2))

    assert response.status_code == 302
    allotment = Allotment.objects.get()
    holds = Hold.objects.filter(reference=allotment.capacity_reference, status=Hold.Status.ACTIVE)
    assert holds.count() == 7 and {h.quantity for h in holds} == {2}
    detail = client.get(reverse("trade_allotments:detail", args=[allotment.pk]))
    assert detail.status_code == 200 and detail.context["figures"]["allotted"] == 14

    client.post(reverse("trade_allotments:detail", args=[allotment.pk]))

    allotment.refresh_from_db()
    assert allotment.status == Allotment.Status.RELEASED
    assert not Hold.objects.filter(reference=allotment.capacity_reference, status=Hold.Status.ACTIVE).exists()


def test_staff_cancel_a_booking_on_the_partners_behalf(client, staff, week):
    booking = TradeBooking.objects.create(
        code="TB-TEST1", partner=week["contract"].partner, contract=week["contract"], service=week["service"],
        starts_on=week["first"], party={"adults": 2}, lead_first_name="Jana", lead_last_name="Weber",
        status=TradeBooking.Status.CONFIRMED, retail_amount=Decimal("100.00"), net_amount=Decimal("80.00"),
    )  # fmt: skip
    url = reverse("trade_bookings:detail", args=[booking.pk])
    assert client.get(url).status_code == 200

    response = client.post(url)

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (TradeBooking.Status.CANCELLED, staff)
