"""The operator's side of the trade channel, through the operator area: on-request bookings answered
(only its own), places held by partners' allotments in its calendar, partner bookings beside shop
orders in its bookings page and monthly statement (hand-computed totals)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.dates import format_day
from marketplace.trade.allotments import allotment_create
from marketplace.trade.bookings import TradeRequest, trade_book, trade_cancel
from marketplace.trade.models import TradeBooking, TradeBookingPart
from operators.channels import channel_held_places
from operators.forms import ServiceForm
from operators.models import Hold, Reservation, Slot
from operators.pricing import Party
from packages.models import Package, PackageSupplierTerms
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory
from tests.packages.factories import make_package, priced_service
from tests.payments.conftest import TRAVELLERS, place_order

from .factories import ContractFactory

pytestmark = pytest.mark.django_db
S = TradeBooking.Status


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def ask(product, on, party=None, **kwargs):
    return TradeRequest(product=product, on=on, party=party or Party(adults=2), lead_first_name="Anna",
                        lead_last_name="Schmidt", **kwargs)  # fmt: skip


@pytest.fixture
def pending():
    """An agriturismo's service on request, booked by a partner: PENDING, places held."""
    owner = MembershipFactory(operator__name="Agriturismo Le Pizzorne")
    service = priced_service(operator=owner.operator, name="Cena in fattoria", adult="40.00", on_request=True)
    contract = ContractFactory(partner__legal_name="Toskana Reisen GmbH")
    booking = trade_book(
        partner=contract.partner, user=None,
        request=ask(service, day(10), party=Party(adults=2, children_ages=(8,)), partner_reference="TR-2027-17"),
    )  # fmt: skip
    assert booking.status == S.PENDING
    return {"owner": owner, "service": service, "booking": booking, "part": booking.parts.get()}


def test_the_service_form_and_the_admin_offer_on_request():
    assert "on_request" in ServiceForm.base_fields
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form = admin_site._registry[Package].get_form(request)
    assert "on_request" in form.base_fields


def test_the_operator_sees_what_waits_for_its_answer_and_the_count_on_its_home(client, pending):
    client.force_login(pending["owner"].user)
    with translation.override("en"):
        html = client.get(reverse("operator-area:request-list")).content.decode()
        home = client.get(reverse("operator-area:home")).content.decode()
        when = format_day(day(10))  # the area's one date format: "17 Dec 2026"
    assert "Toskana Reisen GmbH" in html and "TR-2027-17" in html and "Cena in fattoria" in html
    assert "2 adults, 1 child" in html and when in html
    assert "1 booking is waiting for your answer." in home


def test_the_operator_confirms_and_the_booking_is_confirmed_with_its_places_reserved(client, pending):
    client.force_login(pending["owner"].user)
    url = reverse("operator-area:request-decide", kwargs={"channel": "trade", "pk": pending["part"].pk})
    assert client.post(url, {"decision": "confirm"}).status_code == 302
    booking = TradeBooking.objects.get(pk=pending["booking"].pk)
    assert booking.status == S.CONFIRMED
    assert Reservation.objects.filter(reference=booking.capacity_reference, status="active").exists()
    assert TradeBookingPart.objects.get(pk=pending["part"].pk).decided_by == pending["owner"].user


def test_a_decline_needs_a_reason_then_frees_the_places(client, pending):
    client.force_login(pending["owner"].user)
    url = reverse("operator-area:request-decide", kwargs={"channel": "trade", "pk": pending["part"].pk})
    client.post(url, {"decision": "decline", "reason": "  "})
    assert TradeBooking.objects.get(pk=pending["booking"].pk).status == S.PENDING

    client.post(url, {"decision": "decline", "reason": "Closed for a wedding"})
    booking = TradeBooking.objects.get(pk=pending["booking"].pk)
    assert (booking.status, booking.decline_reason) == (S.DECLINED, "Closed for a wedding")
    assert not Hold.objects.filter(reference=booking.capacity_reference, status="active").exists()


@pytest.mark.parametrize("decision", ["confirm", "decline"])
def test_another_operator_gets_404_and_nothing_changes(client, pending, decision):
    other = MembershipFactory(operator__name="Guide del Casentino")
    priced_service(operator=other.operator, on_request=True)
    client.force_login(other.user)
    url = reverse("operator-area:request-decide", kwargs={"channel": "trade", "pk": pending["part"].pk})
    assert client.post(url, {"decision": decision, "reason": "no"}).status_code == 404
    assert "Toskana" not in client.get(reverse("operator-area:request-list")).content.decode()
    assert TradeBooking.objects.get(pk=pending["booking"].pk).status == S.PENDING
    assert TradeBookingPart.objects.get(pk=pending["part"].pk).decision == "waiting"
    unknown = reverse("operator-area:request-decide", kwargs={"channel": "nope", "pk": pending["part"].pk})
    assert client.post(unknown, {"decision": decision, "reason": "no"}).status_code == 404


def test_anonymous_and_users_without_operator_do_not_reach_the_requests(client, pending):
    url = reverse("operator-area:request-decide", kwargs={"channel": "trade", "pk": pending["part"].pk})
    assert client.post(url, {"decision": "confirm"}).status_code == 302
    client.force_login(UserFactory())
    assert client.post(url, {"decision": "confirm"}).status_code == 302  # to the operator sign-up
    assert TradeBooking.objects.get(pk=pending["booking"].pk).status == S.PENDING


def test_the_calendar_says_how_many_places_allotments_hold_and_for_whom(client, django_assert_max_num_queries):
    owner = MembershipFactory(operator__name="Villa Oliva")
    rooms = priced_service(operator=owner.operator, name="Camera doppia", adult="90.00", capacity=10, days=70)
    start = day(40)
    contract = ContractFactory(partner__legal_name="Reisen GmbH", valid_to=day(200))
    allotment_create(contract=contract, service=rooms, starts_on=start, ends_on=start + dt.timedelta(days=5),
                     quantity=4, release_days=21)  # fmt: skip
    other = ContractFactory(partner__legal_name="Blue Ridge Travel LLC", valid_to=day(200))
    allotment_create(contract=other, service=rooms, starts_on=start, ends_on=start, quantity=2, release_days=14)
    client.force_login(owner.user)
    with translation.override("en"):
        url = reverse("operator-area:service-calendar-month",
                      kwargs={"service_pk": rooms.pk, "year": start.year, "month": start.month})  # fmt: skip
        html = client.get(url).content.decode()
    assert "4 held for Reisen GmbH (allotment, released 21 days before)" in html
    assert "2 held for Blue Ridge Travel LLC (allotment, released 14 days before)" in html

    # One query for the holds of a whole month, one for the allotments' partners, whatever the slots.
    slot_ids = list(Slot.objects.filter(service=rooms).values_list("pk", flat=True))
    with django_assert_max_num_queries(2):
        held = channel_held_places(slot_ids=slot_ids)
    assert sum(h.places for rows in held.values() for h in rows) == 4 * 6 + 2


@pytest.fixture
def month_of_both(client, settings, django_capture_on_commit_callbacks):
    """One shop order and one partner booking of the same guide's tour in the same month, plus a
    cancelled partner booking and another operator's partner booking."""
    settings.STRIPE_SECRET_KEY = ""
    guide = MembershipFactory(operator__name="Guide di Lucca")
    villa = MembershipFactory(operator__name="Villa Oliva")
    PackageSupplierTerms.objects.create(operator=guide.operator, commission_percent=Decimal("10"))
    tour = priced_service(operator=guide.operator, name="Visita alle Mura", adult="25.00", capacity=20)
    package = make_package(services=[tour], days=[1])
    on = day(20)
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}),
                {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0})  # fmt: skip
    client.post(reverse("checkout:index"), {"username": "g@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"), TRAVELLERS)
    client.get(reverse("checkout:payment-details"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        place_order(client)
    client.logout()
    contract = ContractFactory(partner__legal_name="Toskana Reisen GmbH", valid_to=day(200))
    trade = trade_book(partner=contract.partner, user=None,
                       request=ask(tour, on, party=Party(adults=3), partner_reference="TR-88"))  # fmt: skip
    gone = trade_book(partner=contract.partner, user=None, request=ask(tour, on, partner_reference="TR-89"))
    trade_cancel(booking=gone, by=None)
    trade_book(partner=contract.partner, user=None,
               request=ask(priced_service(operator=villa.operator, name="Camera in villa"), on))  # fmt: skip
    return {"guide": guide, "on": on, "trade": trade}


def test_partner_bookings_are_in_the_statement_beside_shop_orders(client, month_of_both):
    """Shop: 2 × 25.00 = 50.00, 10 % = 5.00. Trade: 3 × 25.00 = 75.00, 10 % = 7.50 (the same supplier
    terms whichever channel sold the place). Total 125.00, commission 12.50, owed 112.50; the cancelled
    partner booking and the villa's booking count for nothing here."""
    on = month_of_both["on"]
    client.force_login(month_of_both["guide"].user)
    month = {"year": on.year, "month": on.month}
    with translation.override("en"):
        data = list(csv.reader(io.StringIO(
            client.get(reverse("packages:operator-statement", kwargs=month)).content.decode())))  # fmt: skip
    body = sorted(data[1:-1], key=lambda r: r[10])
    assert [(r[5], r[6], r[8], r[9], r[10], r[11]) for r in body] == [
        ("2", "50.00", "5.00", "45.00", "Shop", ""),
        ("3", "75.00", "7.50", "67.50", "Trade: Toskana Reisen GmbH", "TR-88"),
    ]
    assert body[1][2] == month_of_both["trade"].code
    assert data[-1][6:10] == ["125.00", "", "12.50", "112.50"]

    with translation.override("en"):
        html = client.get(reverse("packages:operator-parts-month", kwargs=month)).content.decode()
    assert "Trade: Toskana Reisen GmbH" in html and "TR-88" in html and "TR-89" in html
    assert "cancelled" in html and "112.50" in html and "Camera in villa" not in html
