"""The demo's trade partners: two approved with two users each, one pending, their contracts, an
allotment, an on-request service and bookings made through the booking service; loading twice adds
nothing."""

import pytest
from django.urls import NoReverseMatch, reverse

from marketplace.core.demo import demo_user
from marketplace.trade.models import Allotment, Contract, TradeBooking, TradePartner
from marketplace.trade.partners import partner_for_user
from operators.models import Service

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_approved_partners_with_two_users_each_and_one_pending(client):
    approved = TradePartner.objects.filter(status="approved").order_by("slug")
    assert [p.slug for p in approved] == ["toskana-reisen", "tuscany-trails"]
    assert all(p.memberships.count() == 2 and p.memberships.filter(role="admin").exists() for p in approved)
    assert TradePartner.objects.get(slug="reizen-toscane").status == "pending"
    assert partner_for_user(demo_user("partner@terredilucca.example")).partner.slug == "toskana-reisen"
    commission = Contract.objects.get(partner__slug="toskana-reisen")
    assert (commission.rate_kind, commission.commission_percent) == ("commission", 20)
    net = Contract.objects.get(partner__slug="tuscany-trails")
    assert net.rate_kind == "net" and net.net_prices.count() >= 3 and net.services.exists()
    assert commission.payment_terms == "on_account" and commission.credit_limit

    allotment = Allotment.objects.get(contract=commission)
    assert (allotment.quantity, allotment.release_days) == (4, 21)
    assert allotment.starts_on.month >= 6 and allotment.ends_on.month <= 9
    assert Service.objects.filter(on_request=True).exists()
    statuses = set(TradeBooking.objects.values_list("status", flat=True))
    assert {"confirmed", "cancelled", "pending"} <= statuses
    assert TradeBooking.objects.filter(partner__slug="tuscany-trails", status="confirmed").exists()
    assert TradeBooking.objects.filter(partner__slug="toskana-reisen", parts__from_allotment__gt=0).exists()

    client.force_login(demo_user("emily@tuscanytrails.example"))
    assert client.get("/en/trade/users/").status_code == 200
    client.force_login(demo_user("partner@terredilucca.example"))
    try:
        home = reverse("trade:home")
    except NoReverseMatch:  # the portal's home arrives with the portal branch
        home = "/en/trade/users/"
    assert client.get(home, follow=True).status_code == 200
