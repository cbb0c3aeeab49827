"""The demo's trade partners: two approved with two users each, one pending, their contracts."""

import pytest
from django.core.management import call_command

from marketplace.core.demo import demo_user
from marketplace.trade.models import Contract, TradePartner
from marketplace.trade.partners import partner_for_user

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_approved_partners_with_two_users_each_and_one_pending(client):
    call_command("load_demo", quiet_logins=True)

    approved = TradePartner.objects.filter(status="approved").order_by("slug")
    assert [p.slug for p in approved] == ["toskana-reisen", "tuscany-trails"]
    assert all(p.memberships.count() == 2 and p.memberships.filter(role="admin").exists() for p in approved)
    assert TradePartner.objects.get(slug="reizen-toscane").status == "pending"
    assert partner_for_user(demo_user("partner@terredilucca.example")).partner.slug == "toskana-reisen"
    commission = Contract.objects.get(partner__slug="toskana-reisen")
    assert (commission.rate_kind, commission.commission_percent) == ("commission", 20)
    net = Contract.objects.get(partner__slug="tuscany-trails")
    assert net.rate_kind == "net" and net.net_prices.count() >= 3 and net.services.exists()
    client.force_login(demo_user("emily@tuscanytrails.example"))
    assert client.get("/en/trade/users/").status_code == 200
