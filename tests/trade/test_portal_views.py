"""The partner portal through HTTP: each page, bad input, and object permissions on every view."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.trade.allotments import allotment_create
from marketplace.trade.bookings import TradeRequest, trade_book
from marketplace.trade.models import ContractCancellationTier, TradeBooking
from operators.models import Slot
from operators.pricing import Party
from tests.operators.factories import OperatorFactory
from tests.packages.factories import make_package, priced_service

from .factories import ContractFactory, PartnerMembershipFactory

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def world():
    service = priced_service(adult="50.00", capacity=8, days=70)
    contract = ContractFactory(commission_percent=Decimal("20.00"))
    member = PartnerMembershipFactory(partner=contract.partner)
    ContractCancellationTier.objects.create(contract=contract, days_before=30, refund_percent=100)
    ContractCancellationTier.objects.create(contract=contract, days_before=3, refund_percent=50)
    return {"service": service, "contract": contract, "partner": contract.partner, "user": member.user}


def book(world, days=10, **kwargs):
    return trade_book(
        partner=world["partner"], user=world["user"],
        request=TradeRequest(product=world["service"], on=day(days), party=Party(adults=2), lead_first_name="Anna",
                             lead_last_name="Schmidt", partner_reference="TR-1", **kwargs),
    )  # fmt: skip


def test_home_shows_the_contract_and_the_grid_links_to_booking(client, world):
    client.force_login(world["user"])
    with translation.override("en"):
        home = client.get(reverse("trade:home"))
        assert home.status_code == 200 and world["contract"].name in home.content.decode()
        grid = client.get(reverse("trade:grid"), {"start": day(1).isoformat(), "weeks": 2})
    assert grid.status_code == 200
    row = grid.context["rows"][0][0]
    cell = next(c for c in row.cells if c.date == day(5))
    assert (cell.status, cell.free, cell.net) == ("available", 8, Decimal("80.00"))  # 2 × 50 − 20 %
    with translation.override("en"):
        book_url = reverse("trade:book", args=[row.item.key])
    assert book_url in grid.content.decode()


def test_bad_grid_input_is_ignored_not_a_500(client, world):
    client.force_login(world["user"])
    response = client.get(reverse("trade:grid"), {"start": "yesterday", "weeks": "99", "adults": "-3", "page": "x"})
    assert response.status_code == 200


def test_booking_through_the_form_confirms_and_shows_the_booking(client, world):
    client.force_login(world["user"])
    url = reverse("trade:book", args=[f"service-{world['service'].pk}"])
    page = client.get(url, {"date": day(12).isoformat()})
    assert page.status_code == 200
    assert page.context["form"]["guest_country"].value() == world["partner"].country  # the partner's, by default
    response = client.post(url, {
        "date": day(12).isoformat(), "start_time": "10:00:00", "adults": 3, "children_ages": "", "infants": 0,
        "lead_first_name": "Jonas", "lead_last_name": "Weber", "travellers": "Mia Weber\nLeo Weber",
        "partner_reference": "TR-99", "guest_country": "NL",
    }, follow=True)  # fmt: skip
    assert response.status_code == 200
    booking = TradeBooking.objects.get(partner=world["partner"])
    assert (booking.status, booking.partner_reference, booking.travellers) == (
        "confirmed",
        "TR-99",
        ["Mia Weber", "Leo Weber"],
    )
    assert booking.code in response.content.decode()
    assert booking.guest_country == "NL"
    assert Slot.objects.get(service=world["service"], date=day(12)).reserved == 3
    refused = client.post(url, {"date": day(12).isoformat(), "start_time": "10:00:00", "adults": 1,
                                "lead_first_name": "A", "lead_last_name": "B", "guest_country": "EU"})  # fmt: skip
    assert list(refused.context["form"].errors) == ["guest_country"]


def test_a_refused_booking_is_a_form_error_and_holds_nothing(client, world):
    client.force_login(world["user"])
    url = reverse("trade:book", args=[f"service-{world['service'].pk}"])
    with translation.override("en"):
        response = client.post(url, {
            "date": day(12).isoformat(), "start_time": "10:00:00", "adults": 9, "lead_first_name": "A",
            "lead_last_name": "B",
        })  # fmt: skip
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not TradeBooking.objects.exists()
    bad = client.post(url, {"date": "not a date", "adults": "many", "children_ages": "x"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert client.get(reverse("trade:book", args=["nothing-1"])).status_code == 404


def test_list_search_csv_detail_amend_voucher_cancel(client, world):
    first, second = book(world, 10), book(world, 40)
    client.force_login(world["user"])
    found = client.get(reverse("trade:bookings"), {"q": first.code})
    assert list(found.context["page"].object_list) == [first]
    csv = client.get(reverse("trade:bookings"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and second.code in csv.content.decode()
    assert client.get(reverse("trade:booking-detail", args=[first.uuid])).status_code == 200
    amended = client.post(reverse("trade:booking-amend", args=[first.uuid]), {
        "adults": 3, "lead_first_name": "Anna", "lead_last_name": "Schmidt", "partner_reference": "TR-1b",
    })  # fmt: skip
    assert amended.status_code == 302
    first.refresh_from_db()
    assert (first.party["adults"], first.partner_reference) == (3, "TR-1b")
    voucher = client.get(reverse("trade:booking-voucher", args=[first.uuid]))
    assert voucher["Content-Type"] == "application/pdf" and voucher.content.startswith(b"%PDF")
    with translation.override("en"):
        confirm = client.get(reverse("trade:booking-cancel", args=[first.uuid]))
    assert "60.00" in confirm.content.decode()  # 10 days before: 50 % of 120 € net
    client.post(reverse("trade:booking-cancel", args=[first.uuid]))
    first.refresh_from_db()
    assert (first.status, first.cancellation_fee) == ("cancelled", Decimal("60.00"))


def test_the_statement_page_csv_and_pdf(client, world):
    booking = book(world, 10)
    client.force_login(world["user"])
    month = booking.starts_on.strftime("%Y-%m")
    page = client.get(reverse("trade:statement"), {"month": month})
    assert page.status_code == 200 and page.context["statement"].total_due == Decimal("80.00")
    csv = client.get(reverse("trade:statement"), {"month": month, "format": "csv"})
    assert booking.code in csv.content.decode() and "80.00" in csv.content.decode()
    assert client.get(reverse("trade:statement"), {"month": month, "format": "pdf"}).content.startswith(b"%PDF")
    assert client.get(reverse("trade:statement"), {"month": "2026-13"}).status_code == 200


def test_another_partners_bookings_are_404_on_every_view_and_change_nothing(client, world):
    theirs = book(world, 10)
    stranger = PartnerMembershipFactory(partner=ContractFactory().partner).user
    client.force_login(stranger)
    for name in ("trade:booking-detail", "trade:booking-amend", "trade:booking-cancel", "trade:booking-voucher"):
        assert client.get(reverse(name, args=[theirs.uuid])).status_code == 404, name
    for name in ("trade:booking-amend", "trade:booking-cancel"):
        assert client.post(reverse(name, args=[theirs.uuid]), {"adults": 5}).status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.status == "confirmed" and theirs.party["adults"] == 2
    assert theirs not in client.get(reverse("trade:bookings")).context["page"].object_list
    assert (
        theirs.code
        not in client.get(
            reverse("trade:statement"), {"month": theirs.starts_on.strftime("%Y-%m"), "format": "csv"}
        ).content.decode()
    )


def test_anonymous_users_log_in_and_a_pending_partner_sees_only_its_status(client, world):
    for name in ("trade:home", "trade:grid", "trade:bookings", "trade:statement"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]
    world["partner"].status = "pending"
    world["partner"].save()
    client.force_login(world["user"])
    for name in ("trade:grid", "trade:bookings"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and "rows" not in response.context
    url = reverse("trade:book", args=[f"service-{world['service'].pk}"])
    client.post(url, {"date": day(12).isoformat(), "start_time": "10:00:00", "adults": 2, "lead_first_name": "A",
                      "lead_last_name": "B"})  # fmt: skip
    assert not TradeBooking.objects.exists()


def test_the_grid_costs_the_same_queries_for_few_and_many_products(client, world):
    operator = OperatorFactory()
    client.force_login(world["user"])
    client.get(reverse("trade:grid"), {"weeks": 8})  # first request of the process: sites and caches warm up
    counts = []
    for round_, more in enumerate((2, 12)):
        services = [priced_service(operator=operator, days=20) for _ in range(more)]
        make_package(services=services[:2], slug=f"grid-{round_}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("trade:grid"), {"weeks": 8})
        assert response.status_code == 200
        counts.append((len(response.context["rows"]), len(queries)))
    (few, few_queries), (many, many_queries) = counts
    assert many >= few + 12
    assert few_queries == many_queries


def test_allotment_places_show_in_the_grid(client, world):
    allotment_create(contract=world["contract"], service=world["service"], starts_on=day(30), ends_on=day(31),
                     quantity=3, release_days=7)  # fmt: skip
    client.force_login(world["user"])
    grid = client.get(reverse("trade:grid"), {"start": day(30).isoformat()})
    cell = grid.context["rows"][0][0].cells[0]
    assert (cell.free, cell.allotment) == (5, 3)
