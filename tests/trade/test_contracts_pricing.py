"""Contracts: what they cover, which one applies, overlaps; the net price derived from retail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.trade.contracts import (
    contract_covers,
    contract_overlaps,
    contract_packages,
    contract_services,
    partner_contract_for,
)
from marketplace.trade.models import Contract, ContractNetPrice, TradePartner
from marketplace.trade.pricing import TradeNotPriced, trade_price
from operators.pricing import Party
from packages.products import bookable
from packages.selectors import package_calendar
from packages.services import service_package_sync
from tests.operators.factories import OperatorFactory
from tests.packages.factories import make_package, priced_service

from .factories import ContractFactory, TradePartnerFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def chosen(partner, *, packages=(), operators=(), services=(), **kwargs):
    contract = ContractFactory(partner=partner, scope=Contract.Scope.CHOSEN, **kwargs)
    contract.packages.set(packages)
    contract.operators.set(operators)
    contract.services.set(services)
    return contract


def test_each_scope_covers_what_it_says():
    operator = OperatorFactory()
    mine, other = priced_service(operator=operator), priced_service()
    package = make_package(services=[mine])
    everything = ContractFactory(scope=Contract.Scope.ALL)
    packages = ContractFactory(scope=Contract.Scope.PACKAGES)
    by_operator = chosen(TradePartnerFactory(), operators=[operator])
    by_service = chosen(TradePartnerFactory(), services=[other], packages=[package])
    assert contract_covers(contract=everything, product=other) and contract_covers(contract=everything, product=package)
    assert contract_covers(contract=packages, product=package) and not contract_covers(contract=packages, product=mine)
    assert contract_covers(contract=by_operator, product=mine) and not contract_covers(
        contract=by_operator, product=other
    )
    assert not contract_covers(contract=by_operator, product=package)
    assert contract_covers(contract=by_service, product=bookable(service=other))
    assert contract_covers(contract=by_service, product=package)
    assert set(contract_services(contract=by_operator)) == {mine}
    assert list(contract_packages(contract=by_service)) == [package]
    assert not contract_services(contract=packages).exists()


def test_the_shops_automatic_package_of_a_service_is_no_trade_product():
    service = priced_service()
    automatic = service_package_sync(service=service)
    for scope in (Contract.Scope.ALL, Contract.Scope.PACKAGES):
        contract = ContractFactory(scope=scope)
        assert not contract_covers(contract=contract, product=automatic)
        assert automatic not in contract_packages(contract=contract)
    assert contract_covers(contract=ContractFactory(scope=Contract.Scope.ALL), product=service)


def test_the_contract_in_force_that_day_applies_and_only_for_an_approved_partner():
    service = priced_service()
    partner = TradePartnerFactory()
    summer = ContractFactory(partner=partner, valid_from=day(0), valid_to=day(30))
    autumn = ContractFactory(partner=partner, valid_from=day(31), valid_to=day(90))
    assert partner_contract_for(partner=partner, product=service, on=day(10)) == summer
    assert partner_contract_for(partner=partner, product=service, on=day(40)) == autumn
    assert partner_contract_for(partner=partner, product=service, on=day(91)) is None
    partner.status = TradePartner.Status.SUSPENDED
    partner.save()
    assert partner_contract_for(partner=partner, product=service, on=day(10)) is None


def test_overlaps_need_common_dates_and_common_products():
    operator = OperatorFactory()
    a, b = priced_service(operator=operator), priced_service()
    package = make_package(services=[b])
    partner = TradePartnerFactory()
    existing = chosen(partner, operators=[operator], valid_from=day(0), valid_to=day(60))
    probe = Contract(partner=partner, scope=Contract.Scope.CHOSEN, valid_from=day(30), valid_to=day(90))
    assert contract_overlaps(contract=probe, services=[a]) == [existing]  # a service of the chosen operator
    assert contract_overlaps(contract=probe, services=[b], packages=[package]) == []
    later = Contract(partner=partner, scope=Contract.Scope.ALL, valid_from=day(61), valid_to=day(90))
    assert contract_overlaps(contract=later) == []  # no common dates
    everything = Contract(partner=partner, scope=Contract.Scope.ALL, valid_from=day(10), valid_to=day(20))
    assert contract_overlaps(contract=everything) == [existing]
    packages_only = Contract(partner=partner, scope=Contract.Scope.PACKAGES, valid_from=day(10), valid_to=day(20))
    assert contract_overlaps(contract=packages_only) == []  # the existing one covers services only
    other_partner = Contract(
        partner=TradePartnerFactory(), scope=Contract.Scope.ALL, valid_from=day(0), valid_to=day(9)
    )
    assert contract_overlaps(contract=other_partner) == []


def test_retail_is_the_shops_price_and_commission_takes_its_share():
    package = make_package(services=[priced_service(), priced_service()], markup="10.00")
    contract = ContractFactory(commission_percent=Decimal("20.00"))
    party = Party(adults=2, children_ages=(8,))
    on = day(5)
    price = trade_price(contract=contract, product=package, on=on, party=party)
    assert price.retail == package_calendar(package=package, start=on, end=on, party=party).days[on].price
    assert price.retail == Decimal("275.00")  # (2 × 50 + 25) × 2 services + 10 %
    assert price.net == Decimal("220.00")


def test_net_rates_follow_the_season_and_each_travellers_category():
    service = priced_service(adult="50.00", child="25.00")
    contract = ContractFactory(rate_kind=Contract.RateKind.NET, commission_percent=None)
    rows = [(day(0), day(30), "adult", "35.00"), (day(0), day(30), "child", "15.00"),
            (day(31), day(90), "adult", "40.00"), (day(31), day(90), "child", "18.00")]  # fmt: skip
    for starts_on, ends_on, category, amount in rows:
        ContractNetPrice.objects.create(
            contract=contract, service=service, starts_on=starts_on, ends_on=ends_on, category=category,
            amount=Decimal(amount),
        )  # fmt: skip
    party = Party(adults=2, children_ages=(8,), infants=1)
    assert trade_price(contract=contract, product=service, on=day(10), party=party).net == Decimal("85.00")
    assert trade_price(contract=contract, product=service, on=day(40), party=party).net == Decimal("98.00")
    assert trade_price(contract=contract, product=service, on=day(10), party=party).retail == Decimal("125.00")
    with pytest.raises(TradeNotPriced):
        trade_price(contract=contract, product=service, on=day(95), party=party)


def test_a_net_price_per_unit_is_charged_per_place_taken():
    service = priced_service(unit="90.00", adult=None, child=None, capacity_model="per_unit", max_occupancy=2)
    contract = ContractFactory(rate_kind=Contract.RateKind.NET, commission_percent=None)
    ContractNetPrice.objects.create(
        contract=contract, service=service, starts_on=day(0), ends_on=day(90), category="unit", amount=Decimal("70.00")
    )
    assert trade_price(contract=contract, product=service, on=day(3), party=Party(adults=3)).net == Decimal("140.00")


def test_two_contracts_give_two_nets_for_one_retail():
    service = priced_service(adult="50.00")
    commission = ContractFactory(commission_percent=Decimal("15.00"))
    net = ContractFactory(rate_kind=Contract.RateKind.NET, commission_percent=None)
    ContractNetPrice.objects.create(
        contract=net, service=service, starts_on=day(0), ends_on=day(90), category="adult", amount=Decimal("38.00")
    )
    party = Party(adults=2)
    a = trade_price(contract=commission, product=service, on=day(3), party=party)
    b = trade_price(contract=net, product=service, on=day(3), party=party)
    assert a.retail == b.retail == Decimal("100.00")
    assert (a.net, b.net) == (Decimal("85.00"), Decimal("76.00"))
