"""The partner portal through HTTP: every page's happy path with real outcomes, bad input (form errors,
never a 500), object permissions (another partner's URLs answer 404 and change nothing; anonymous
visitors go to the login; users of no partner get 404; a partner not approved sees only its status),
and the grid's constant number of queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.trade.allotments import allotment_create
from marketplace.trade.bookings import TradeRequest, trade_book
from marketplace.trade.models import ContractCancellationTier, TradeBooking, TradePartner
from operators.models import Reservation, Slot
from operators.pricing import Party
from tests.factories import UserFactory
from tests.packages.factories import make_package, priced_service

from .factories import ContractFactory, PartnerMembershipFactory

pytestmark = pytest.mark.django_db
S = TradeBooking.Status


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup(client):
    """An approved partner with a commission contract (20 %), its logged-in user, and a service."""
    contract = ContractFactory(commission_percent=Decimal("20.00"), valid_to=day(120))
    ContractCancellationTier.objects.create(contract=contract, days_before=30, refund_percent=100)
    ContractCancellationTier.objects.create(contract=contract, days_before=7, refund_percent=50)
    member = PartnerMembershipFactory(partner=contract.partner)
    service = priced_service(adult="50.00", capacity=10, name="Degustazione in cantina")
    client.force_login(member.user)
    return contract.partner, member.user, service, contract


def book(partner, service, on, party=None, **kwargs):
    request = TradeRequest(product=service, on=on, party=party or Party(adults=2), lead_first_name="Anna",
                           lead_last_name="Schmidt", **kwargs)  # fmt: skip
    return trade_book(partner=partner, user=None, request=request)


def other_booking(service):
    other = ContractFactory(commission_percent=Decimal("10.00"), valid_to=day(120))
    return book(other.partner, service, day(20), partner_reference="OTHER-1")


# --- home -----------------------------------------------------------------------------------------


def test_home_shows_contract_pending_and_releasing_allotments(client, setup):
    partner, user, service, contract = setup
    allotment_create(contract=contract, service=service, starts_on=day(10), ends_on=day(14), quantity=2,
                     release_days=3, by=None)  # fmt: skip
    on_request = priced_service(adult="80.00", on_request=True, name="Cena in villa")
    pending = book(partner, on_request, day(15))
    response = client.get(reverse("trade:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert contract.name in html and pending.code in html and service.name in html
    assert "go back to general sale on" in html


def test_login_lands_partners_on_the_portal(client, setup):
    response = client.get(reverse("role-landing"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("trade:home")


# --- grid -----------------------------------------------------------------------------------------


def test_grid_shows_free_places_allotment_and_net_for_the_party(client, setup):
    partner, user, service, contract = setup
    allotment_create(contract=contract, service=service, starts_on=day(2), ends_on=day(2), quantity=3,
                     release_days=1, by=None)  # fmt: skip
    Slot.objects.filter(service=service, date=day(3)).update(closed=True)
    response = client.get(reverse("trade:grid"), {"start": day(0).isoformat(), "weeks": 2, "adults": 3})
    html = response.content.decode()
    assert response.status_code == 200
    rows = {r.item.key: r for r in response.context["rows"]}
    cells = {c.day: c for c in rows[f"service-{service.pk}"].cells}
    assert cells[day(2)].net == Decimal("120.00")  # 3 × 50 − 20 %
    assert (cells[day(2)].free, cells[day(2)].allotment) == (7, 3)
    assert cells[day(3)].status == "closed" and not cells[day(3)].bookable
    book_url = reverse("trade:book", args=[f"service-{service.pk}"]) + f"?on={day(2).isoformat()}"
    assert book_url in html and "Closed" in html


def test_grid_filters_and_moves_by_week(client, setup):
    partner, user, service, contract = setup
    package = make_package(services=[service], days=[1], title="Vigne e ville")
    response = client.get(reverse("trade:grid"), {"kind": "package"})
    assert [r.item.key for r in response.context["rows"]] == [f"package-{package.pk}"]
    response = client.get(reverse("trade:grid"), {"kind": service.kind, "area": service.operator.municipality})
    assert [r.item.key for r in response.context["rows"]] == [f"service-{service.pk}"]
    start = response.context["start"]
    assert f"start={(start + dt.timedelta(days=7)).isoformat()}" in response.context["next_url"]
    response = client.get(reverse("trade:grid"), {"weeks": 8})
    assert len(response.context["dates"]) == 56


@pytest.mark.parametrize(
    "query",
    [{"start": "2026-02-31"}, {"start": "not-a-date"}, {"weeks": "3"}, {"adults": "-1"}, {"adults": "x"},
     {"children_ages": "five"}, {"start": "9999-01-01"}, {"kind": "<script>"}, {"label": "nope"}],
)  # fmt: skip
def test_grid_bad_input_is_a_field_error_not_a_500(client, setup, query):
    response = client.get(reverse("trade:grid"), query)
    assert response.status_code == 200
    assert response.context["form"].errors


def _products(n):
    for i in range(n):
        priced_service(adult="40.00", capacity=8, days=20, name=f"Servizio {i}")


def test_grid_queries_equal_for_5_and_20_products(client, setup, django_assert_num_queries):
    """The same number of queries for 5 and for 20 products (and few of them)."""
    _products(5)
    client.get(reverse("trade:grid"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        client.get(reverse("trade:grid"), {"weeks": 8})
    assert len(five) < 25
    _products(15)
    with django_assert_num_queries(len(five)):
        response = client.get(reverse("trade:grid"), {"weeks": 8})
    assert len(response.context["rows"]) == 21


# --- booking --------------------------------------------------------------------------------------


def _book_data(**over):
    data = {"on": day(10).isoformat(), "adults": 2, "children_ages": "8", "infants": 0, "lead_first_name": "Jonas",
            "lead_last_name": "Becker", "travellers": "Mia Becker\nLeon Becker", "partner_reference": "DE-4711",
            "notes": "Vegetarian"}  # fmt: skip
    data.update(over)
    return data


def test_booking_shows_the_net_then_confirms(client, setup):
    partner, user, service, contract = setup
    url = reverse("trade:book", args=[f"service-{service.pk}"])
    assert client.get(url, {"on": day(10).isoformat()}).status_code == 200
    quote = client.post(url, _book_data(action="quote"))
    assert quote.status_code == 200 and quote.context["quote"].net == Decimal("100.00")  # (2 × 50 + 25) × 0.8
    assert b"100.00" in quote.content
    assert not TradeBooking.objects.exists()
    response = client.post(url, _book_data(action="book"))
    booking = TradeBooking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("trade:booking-detail", args=[booking.uuid])
    assert (booking.status, booking.partner_reference, booking.travellers) == (
        S.CONFIRMED, "DE-4711", ["Mia Becker", "Leon Becker"])  # fmt: skip
    assert booking.created_by == user and Slot.objects.get(service=service, date=day(10)).reserved == 3


def test_on_request_products_are_pending(client, setup):
    partner, user, service, contract = setup
    on_request = priced_service(adult="80.00", on_request=True)
    client.post(reverse("trade:book", args=[f"service-{on_request.pk}"]), _book_data(action="book"))
    assert TradeBooking.objects.get().status == S.PENDING


def test_a_refusal_is_a_form_error_and_nothing_is_held(client, setup):
    partner, user, service, contract = setup
    Slot.objects.filter(service=service, date=day(10)).update(capacity=1)
    response = client.post(reverse("trade:book", args=[f"service-{service.pk}"]), _book_data(action="book"))
    assert response.status_code == 400 and b"Not enough places" in response.content
    assert not TradeBooking.objects.exists() and Slot.objects.get(service=service, date=day(10)).reserved == 0


@pytest.mark.parametrize(
    "over",
    [{"on": "2026-13-01"}, {"adults": "-2"}, {"adults": 0, "children_ages": ""}, {"children_ages": "3, x"},
     {"lead_first_name": ""}, {"lead_email": "not-an-email"}, {"adults": 500}, {"on": day(-3).isoformat()}],
)  # fmt: skip
def test_booking_bad_input_shows_errors(client, setup, over):
    partner, user, service, contract = setup
    response = client.post(reverse("trade:book", args=[f"service-{service.pk}"]), _book_data(action="book", **over))
    assert response.status_code == 400
    assert not TradeBooking.objects.exists()


def test_booking_unknown_or_uncovered_products_are_404(client, setup):
    partner, user, service, contract = setup
    for key in ("service-999999", "package-x", "nonsense", "service-"):
        assert client.get(reverse("trade:book", args=[key])).status_code == 404
    contract.scope = contract.Scope.PACKAGES
    contract.save()
    assert client.get(reverse("trade:book", args=[f"service-{service.pk}"])).status_code == 404


def test_booking_a_package_with_an_extra(client, setup):
    partner, user, service, contract = setup
    extra = priced_service(adult="10.00")
    package = make_package(services=[service, extra], days=[1, 1])
    component = package.components.get(service=extra)
    component.quantity_rule = component.QuantityRule.OPTIONAL
    component.save()
    url = reverse("trade:book", args=[f"package-{package.pk}"])
    assert "extras" in client.get(url).context["form"].fields
    client.post(url, _book_data(action="book", children_ages="", extras=[str(component.pk)]))
    booking = TradeBooking.objects.get()
    assert booking.extras == [component.pk] and booking.parts.filter(is_extra=True).count() == 1


# --- bookings: list, CSV, detail, amend, cancel, voucher ------------------------------------------


def test_list_search_and_csv(client, setup):
    partner, user, service, contract = setup
    first = book(partner, service, day(10), partner_reference="DE-1")
    second = book(partner, service, day(40), partner_reference="DE-2")
    other = other_booking(service)
    listed = client.get(reverse("trade:bookings")).context["bookings"]
    assert {b.pk for b in listed} == {first.pk, second.pk}
    found = client.get(reverse("trade:bookings"), {"q": "DE-2"}).context["bookings"]
    assert [b.pk for b in found] == [second.pk]
    found = client.get(reverse("trade:bookings"), {"date_to": day(20).isoformat(), "status": "confirmed"})
    assert [b.pk for b in found.context["bookings"]] == [first.pk]
    assert client.get(reverse("trade:bookings"), {"q": "Schmidt"}).context["page_obj"].paginator.count == 2
    response = client.get(reverse("trade:bookings"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv") and len(rows) == 3
    assert other.code not in response.content.decode()
    bad = client.get(reverse("trade:bookings"), {"date_from": "yesterday", "status": "nope", "page": "999"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_detail_amend_and_cancel_with_fee(client, setup):
    partner, user, service, contract = setup
    booking = book(partner, service, day(10))  # 10 days before: the 7-day tier, 50 % charged
    detail = client.get(reverse("trade:booking-detail", args=[booking.uuid]))
    assert detail.status_code == 200 and booking.code in detail.content.decode()
    response = client.post(reverse("trade:booking-amend", args=[booking.uuid]),
                           {"adults": 3, "infants": 0, "lead_first_name": "Jonas", "lead_last_name": "Becker",
                            "travellers": "Mia\nLeon", "partner_reference": "DE-9"})  # fmt: skip
    booking.refresh_from_db()
    assert response.status_code == 302 and booking.party["adults"] == 3 and booking.net_amount == Decimal("120.00")
    assert booking.travellers == ["Mia", "Leon"] and booking.partner_reference == "DE-9"
    bad = client.post(reverse("trade:booking-amend", args=[booking.uuid]), {"adults": "x", "lead_first_name": ""})
    assert bad.status_code == 400
    page = client.get(reverse("trade:booking-cancel", args=[booking.uuid]))
    assert page.context["fee"] == Decimal("60.00") and b"60.00" in page.content
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED  # the confirmation page changes nothing
    client.post(reverse("trade:booking-cancel", args=[booking.uuid]))
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_fee) == (S.CANCELLED, Decimal("60.00"))
    assert not Reservation.objects.filter(reference=booking.capacity_reference, status="active").exists()


def test_amend_refused_where_the_contract_forbids(client, setup):
    partner, user, service, contract = setup
    contract.amendments_allowed = False
    contract.save()
    booking = book(partner, service, day(10))
    response = client.get(reverse("trade:booking-amend", args=[booking.uuid]))
    assert response.status_code == 302


def test_voucher_is_a_pdf_with_the_partner_and_reference(client, setup):
    partner, user, service, contract = setup
    booking = book(partner, service, day(10), partner_reference="DE-4711")
    response = client.get(reverse("trade:booking-voucher", args=[booking.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert partner.legal_name.encode() in response.content and b"DE-4711" in response.content
    assert booking.code.encode() in response.content


# --- statement ------------------------------------------------------------------------------------


def test_statement_page_csv_and_pdf(client, setup):
    partner, user, service, contract = setup
    booking = book(partner, service, day(10))
    month = f"{booking.starts_on:%Y-%m}"
    page = client.get(reverse("trade:statement"), {"month": month})
    assert page.status_code == 200 and booking.code in page.content.decode()
    assert page.context["statement"].total_due == booking.net_amount
    response = client.get(reverse("trade:statement"), {"month": month, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == booking.code and rows[-1][-1] == str(booking.net_amount)
    response = client.get(reverse("trade:statement"), {"month": month, "format": "pdf"})
    assert response.content.startswith(b"%PDF") and booking.code.encode() in response.content
    bad = client.get(reverse("trade:statement"), {"month": "2026-13"})
    assert bad.status_code == 200 and bad.context["form"].errors


# --- permissions ----------------------------------------------------------------------------------

OBJECT_VIEWS = [
    ("get", "trade:booking-detail"),
    ("get", "trade:booking-amend"),
    ("post", "trade:booking-amend"),
    ("get", "trade:booking-cancel"),
    ("post", "trade:booking-cancel"),
    ("get", "trade:booking-voucher"),
]


@pytest.mark.parametrize("method,name", OBJECT_VIEWS)
def test_another_partners_booking_is_404_and_unchanged(client, setup, method, name):
    partner, user, service, contract = setup
    other = other_booking(service)
    before = TradeBooking.objects.values().get(pk=other.pk)
    data = {"adults": 5, "lead_first_name": "X", "lead_last_name": "Y"} if method == "post" else None
    response = getattr(client, method)(reverse(name, args=[other.uuid]), data)
    assert response.status_code == 404
    assert TradeBooking.objects.values().get(pk=other.pk) == before


def test_another_partners_bookings_are_not_in_lists_or_statements(client, setup):
    partner, user, service, contract = setup
    other = other_booking(service)
    for url, query in [
        (reverse("trade:home"), {}),
        (reverse("trade:bookings"), {"q": "Schmidt"}),
        (reverse("trade:bookings"), {"format": "csv"}),
        (reverse("trade:statement"), {"month": f"{other.starts_on:%Y-%m}"}),
        (reverse("trade:statement"), {"month": f"{other.starts_on:%Y-%m}", "format": "csv"}),
        (reverse("trade:statement"), {"month": f"{other.starts_on:%Y-%m}", "format": "pdf"}),
    ]:
        response = client.get(url, query)
        assert response.status_code == 200 and other.code.encode() not in response.content


ALL_VIEWS = ["trade:home", "trade:grid", "trade:bookings", "trade:statement"]


def _all_urls(uuid, service):
    urls = [reverse(n) for n in ALL_VIEWS] + [reverse("trade:book", args=[f"service-{service.pk}"])]
    return urls + [reverse(n, args=[uuid]) for _method, n in OBJECT_VIEWS if _method == "get"]


def test_anonymous_visitors_go_to_the_login(client, setup):
    partner, user, service, contract = setup
    booking = book(partner, service, day(10))
    client.logout()
    for url in _all_urls(booking.uuid, service):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    response = client.post(reverse("trade:booking-cancel", args=[booking.uuid]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_users_of_no_partner_get_404(client, setup):
    partner, user, service, contract = setup
    booking = book(partner, service, day(10))
    client.force_login(UserFactory())
    for url in _all_urls(booking.uuid, service):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("status", [TradePartner.Status.PENDING, TradePartner.Status.SUSPENDED])
def test_a_partner_not_approved_sees_only_its_status(client, setup, status):
    partner, user, service, contract = setup
    booking = book(partner, service, day(10))
    TradePartner.objects.filter(pk=partner.pk).update(status=status, status_reason="Unpaid statements")
    for url in _all_urls(booking.uuid, service):
        response = client.get(url)
        assert response.status_code == 403, url
        assert booking.code.encode() not in response.content
    response = client.get(reverse("trade:home"))
    assert str(TradePartner.Status(status).label).encode() in response.content
    client.post(reverse("trade:booking-cancel", args=[booking.uuid]))
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
