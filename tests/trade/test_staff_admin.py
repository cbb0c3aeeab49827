"""The staff's trade back office in Wagtail's admin: partners reviewed and decided with a reason and an
e-mail, contracts with net prices and tiers inline (overlaps are a form error), allotments created and
released through the capacity service (refused dates shown), bookings cancelled on a partner's behalf, the
partners' figures; nobody else gets in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from marketplace.core.roles import Role
from marketplace.trade.models import Contract, ContractCancellationTier, ContractNetPrice, TradePartner
from tests.factories import UserFactory
from tests.operators.factories import ServiceFactory

from .factories import ContractFactory, PartnerMembershipFactory, TradePartnerFactory

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


# Partners


def test_staff_find_partners_by_status_country_and_name(client, staff):
    partner = TradePartnerFactory(legal_name="Toskana Reisen GmbH", country="DE", status="pending")
    TradePartnerFactory(legal_name="Tuscany Trails LLC", country="US", status="approved")
    url = reverse("trade_partners:index")

    listing = client.get(url).content.decode()
    assert "Toskana Reisen" in listing and reverse("trade_partners:decide", args=[partner.pk]) in listing
    pending = client.get(url, {"status": "pending"}).content.decode()
    assert "Toskana Reisen" in pending and "Tuscany Trails" not in pending
    american = client.get(url, {"country": "US"}).content.decode()
    assert "Tuscany Trails" in american and "Toskana Reisen" not in american
    found = client.get(url, {"q": "trails"}).content.decode()
    assert "Tuscany Trails" in found and "Toskana Reisen" not in found
    home = client.get("/admin/").content.decode()
    assert reverse("trade_partners:index") in home  # in the admin's menu
    assert reverse("trade_partners:index") + "?status=pending" in home  # and on its home: one to review


def test_staff_approve_a_partner_and_it_is_emailed(client, staff, django_capture_on_commit_callbacks):
    partner = TradePartnerFactory(status="pending", billing_email="billing@toskana.example")
    PartnerMembershipFactory(partner=partner, user__email="jana@toskana.example")
    url = reverse("trade_partners:decide", args=[partner.pk])
    page = client.get(url)
    assert page.status_code == 200 and "jana@toskana.example" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "approved"})

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.status, partner.status_changed_by) == ("approved", staff)
    assert sorted(mail.outbox[0].to) == ["billing@toskana.example", "jana@toskana.example"]


@pytest.mark.parametrize(("start", "decision"), [("approved", "suspended"), ("pending", "rejected")])
def test_suspend_and_reject_need_a_reason(client, staff, start, decision, django_capture_on_commit_callbacks):
    partner = TradePartnerFactory(status=start)
    url = reverse("trade_partners:decide", args=[partner.pk])

    response = client.post(url, {"status": decision, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": decision, "reason": "Statement of May unpaid."})

    partner.refresh_from_db()
    assert (partner.status, partner.status_reason) == (decision, "Statement of May unpaid.")
    assert "Statement of May unpaid." in mail.outbox[0].body


def test_an_impossible_decision_is_a_form_error(client, staff):
    partner = TradePartnerFactory(status="pending")
    response = client.post(reverse("trade_partners:decide", args=[partner.pk]), {"status": "suspended", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    partner.refresh_from_db()
    assert partner.status == "pending"


def test_editing_a_partner_checks_its_vat_number_and_never_touches_its_status(client, staff):
    partner = TradePartnerFactory(status="pending", country="DE", tax_id="DE136695976")
    url = reverse("trade_partners:edit", args=[partner.pk])
    data = {
        "legal_name": "Toskana Reisen AG", "country": "DE", "tax_id": "DE136695977", "address": "München",
        "licence_number": "", "billing_email": "b@t.example", "contact_name": "", "phone": "", "website": "",
        "status": "approved",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200 and "tax_id" in response.context["form"].errors

    client.post(url, {**data, "tax_id": "de 136695976"})
    partner.refresh_from_db()
    assert (partner.legal_name, partner.tax_id, partner.status) == ("Toskana Reisen AG", "DE136695976", "pending")


# Contracts


def contract_data(partner, **overrides):
    data = {
        "partner": partner.pk, "name": "Summer 2027", "valid_from": "2027-04-01", "valid_to": "2027-10-31",
        "scope": "all", "rate_kind": "commission", "commission_percent": "20", "payment_terms": "on_account",
        "credit_limit": "20000", "general_sale": "on", "amendments_allowed": "on",
    }  # fmt: skip
    for prefix in ("net_prices", "cancellation_tiers"):
        data.update({f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})  # fmt: skip
    data.update(overrides)
    return data


def test_a_contract_is_saved_with_its_net_prices_and_cancellation_tiers(client, staff):
    partner = TradePartnerFactory()
    service = ServiceFactory()
    form_page = client.get(reverse("trade_contracts:add")).content.decode()
    assert 'name="net_prices-TOTAL_FORMS"' in form_page and 'name="cancellation_tiers-0-days_before"' in form_page
    data = contract_data(
        partner, rate_kind="net", commission_percent="",
        **{"net_prices-0-service": service.pk, "net_prices-0-starts_on": "2027-04-01",
           "net_prices-0-ends_on": "2027-10-31", "net_prices-0-category": "adult", "net_prices-0-amount": "38.50",
           "cancellation_tiers-0-days_before": "30", "cancellation_tiers-0-refund_percent": "100",
           "cancellation_tiers-1-days_before": "7", "cancellation_tiers-1-refund_percent": "50"},
    )  # fmt: skip

    response = client.post(reverse("trade_contracts:add"), data)

    assert response.status_code == 302, response.context["form"].errors
    contract = Contract.objects.get()
    assert (contract.partner, contract.rate_kind) == (partner, "net")
    price = ContractNetPrice.objects.get(contract=contract)
    assert (price.service, price.amount, price.category) == (service, Decimal("38.50"), "adult")
    assert sorted(ContractCancellationTier.objects.values_list("days_before", "refund_percent")) == [(7, 50), (30, 100)]


def test_a_commission_contract_needs_its_commission(client, staff):
    response = client.post(reverse("trade_contracts:add"), contract_data(TradePartnerFactory(), commission_percent=""))
    assert response.status_code == 200 and "commission_percent" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_a_net_price_row_names_one_product(client, staff):
    data = contract_data(
        TradePartnerFactory(), rate_kind="net", commission_percent="",
        **{"net_prices-0-starts_on": "2027-04-01", "net_prices-0-ends_on": "2027-10-31",
           "net_prices-0-category": "adult", "net_prices-0-amount": "38.50"},
    )  # fmt: skip
    response = client.post(reverse("trade_contracts:add"), data)
    assert response.status_code == 200
    assert not Contract.objects.exists() and not ContractNetPrice.objects.exists()


def test_an_overlapping_contract_of_the_same_partner_is_a_form_error(client, staff):
    partner = TradePartnerFactory()
    ContractFactory(partner=partner, name="Season 2027", valid_from=dt.date(2027, 1, 1), valid_to=dt.date(2027, 12, 31))

    response = client.post(reverse("trade_contracts:add"), contract_data(partner))

    assert response.status_code == 200
    assert "Season 2027" in " ".join(response.context["form"].non_field_errors())
    assert Contract.objects.count() == 1
    other = client.post(reverse("trade_contracts:add"), contract_data(TradePartnerFactory()))
    assert other.status_code == 302  # another partner's contract is no overlap


# Who gets in


@pytest.mark.parametrize("who", ["anonymous", "tourist", "partner-admin", "operator"])
@pytest.mark.parametrize(
    "url_name", ["trade_partners:index", "trade_partners:decide", "trade_contracts:add", "trade_allotments:index",
                 "trade_bookings:index", "trade_figures:index"],
)  # fmt: skip
def test_nobody_but_staff_gets_in(client, who, url_name):
    from tests.operators.factories import MembershipFactory

    partner = TradePartnerFactory(status="pending")
    if who == "tourist":
        client.force_login(UserFactory())
    elif who == "partner-admin":
        client.force_login(PartnerMembershipFactory(partner=partner).user)
    elif who == "operator":
        client.force_login(MembershipFactory().user)
    url = reverse(url_name, args=[partner.pk]) if url_name.endswith("decide") else reverse(url_name)

    get = client.get(url)
    post = client.post(url, {"status": "approved"})

    assert get.status_code in (302, 403) and post.status_code in (302, 403)
    if get.status_code == 302:
        assert "/admin/login/" in get.url
    partner.refresh_from_db()
    assert partner.status == TradePartner.Status.PENDING


def test_bookings_are_never_added_or_edited_in_the_generic_forms(client, staff):
    assert client.get(reverse("trade_bookings:add")).status_code in (302, 403)
    index = client.get(reverse("trade_bookings:index"))
    assert index.status_code == 200 and reverse("trade_bookings:add") not in index.content.decode()
    assert client.get(reverse("trade_allotments:edit", args=[1])).status_code in (302, 403, 404)


def test_the_partners_figures_page_answers_empty(client, staff):
    TradePartnerFactory(legal_name="Tuscany Trails LLC")
    response = client.get(reverse("trade_figures:index"))
    assert response.status_code == 200 and "Tuscany Trails LLC" in response.content.decode()
    export = client.get(reverse("trade_figures:index"), {"export": "csv"})
    assert export.status_code == 200 and b"Tuscany Trails LLC" in b"".join(export.streaming_content)


def test_the_partners_figures_count_bookings_places_net_revenue_and_allotment_use(client, staff):
    from marketplace.trade.admin_views import partner_figures
    from marketplace.trade.models import Allotment, TradeBooking, TradeBookingPart
    from operators.models import Slot

    contract = ContractFactory(partner__legal_name="Toskana Reisen GmbH", valid_from=dt.date(2027, 1, 1),
                               valid_to=dt.date(2027, 12, 31))  # fmt: skip
    partner = contract.partner
    service = ServiceFactory()
    june = [dt.date(2027, 6, day) for day in range(1, 8)]  # Tuesday 1 to Monday 7
    slots = {day: Slot.objects.create(service=service, date=day, capacity=20) for day in [*june, dt.date(2028, 1, 10)]}
    Allotment.objects.create(contract=contract, service=service, starts_on=june[0], ends_on=june[-1],
                             weekdays="56", quantity=4, release_days=21)  # Saturday 5 and Sunday 6: 8 places  # fmt: skip

    def booking(code, status, day, net, fee=None, places=2, from_allotment=0):
        row = TradeBooking.objects.create(
            code=code, partner=partner, contract=contract, service=service, starts_on=day, party={"adults": places},
            lead_first_name="Jana", lead_last_name="Weber", status=status, retail_amount=net * 2, net_amount=net,
            cancellation_fee=fee,
        )  # fmt: skip
        TradeBookingPart.objects.create(
            booking=row, operator=service.operator, service=service, slot=slots[day], date=day,
            start_time=dt.time(0), places=places, from_allotment=from_allotment, amount=net, commission_percent=10,
        )  # fmt: skip

    booking("A1", "confirmed", june[4], Decimal("100.00"), places=3, from_allotment=3)
    booking("A2", "pending", june[5], Decimal("40.00"), places=2, from_allotment=1)
    booking("A3", "cancelled", june[0], Decimal("80.00"), fee=Decimal("24.00"))
    booking("A4", "declined", june[1], Decimal("60.00"))
    booking("B1", "confirmed", dt.date(2028, 1, 10), Decimal("500.00"), places=1)  # outside the period

    [row] = partner_figures(partners=TradePartner.objects.filter(pk=partner.pk), start=dt.date(2027, 1, 1),
                            end=dt.date(2027, 12, 31))  # fmt: skip

    assert (row["bookings"], row["places"]) == (2, 5)  # confirmed and pending
    assert row["revenue_net"] == Decimal("124.00")  # the confirmed net and the cancellation fee
    assert (row["allotted"], row["allotment_used"]) == (8, 4)
    page = client.get(reverse("trade_figures:index"), {"period_from": "2027-01-01", "period_to": "2027-12-31"})
    content = page.content.decode()  # the admin speaks the staff member's language: 124,00 in Italian
    assert "124,00" in content or "124.00" in content


def test_net_prices_on_a_commission_contract_are_refused(client, staff):
    data = contract_data(
        TradePartnerFactory(),
        **{"net_prices-0-service": ServiceFactory().pk, "net_prices-0-starts_on": "2027-04-01",
           "net_prices-0-ends_on": "2027-10-31", "net_prices-0-category": "adult", "net_prices-0-amount": "38.50"},
    )  # fmt: skip
    response = client.post(reverse("trade_contracts:add"), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Contract.objects.exists()


def test_a_contract_is_edited_with_its_rows_and_is_no_overlap_of_itself(client, staff):
    contract = ContractFactory(valid_from=dt.date(2027, 4, 1), valid_to=dt.date(2027, 10, 31))
    ContractCancellationTier.objects.create(contract=contract, days_before=30, refund_percent=100)
    tier = contract.cancellation_tiers.get()
    data = contract_data(contract.partner, name="Summer 2027 bis", **{
        "cancellation_tiers-INITIAL_FORMS": "1", "cancellation_tiers-0-id": tier.pk,
        "cancellation_tiers-0-days_before": "30", "cancellation_tiers-0-refund_percent": "100",
        "cancellation_tiers-0-DELETE": "on",
        "cancellation_tiers-1-days_before": "14", "cancellation_tiers-1-refund_percent": "50",
    })  # fmt: skip

    response = client.post(reverse("trade_contracts:edit", args=[contract.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    contract.refresh_from_db()
    assert contract.name == "Summer 2027 bis"
    assert list(contract.cancellation_tiers.values_list("days_before", "refund_percent")) == [(14, 50)]
