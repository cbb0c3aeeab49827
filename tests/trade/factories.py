"""Factories of the trade channel: an approved partner with an administrator, contracts."""

import datetime as dt
from decimal import Decimal

import factory

from marketplace.core.roles import Role
from marketplace.trade.models import Contract, PartnerMembership, TradeBooking, TradePartner
from tests.factories import UserFactory


class TradePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TradePartner

    legal_name = factory.Sequence(lambda n: f"Reisen Toskana {n} GmbH")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    country = "US"
    tax_id = factory.Sequence(lambda n: f"EIN 12-{3456789 + n}")
    address = "500 Main Street, Springfield"
    billing_email = factory.Sequence(lambda n: f"billing{n}@partner.example")
    status = TradePartner.Status.APPROVED


class PartnerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMembership

    user = factory.SubFactory(UserFactory, role=Role.PARTNER)
    partner = factory.SubFactory(TradePartnerFactory)
    role = PartnerMembership.Role.ADMIN


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    partner = factory.SubFactory(TradePartnerFactory)
    name = factory.Sequence(lambda n: f"Summer {2027 + n}")
    valid_from = factory.LazyFunction(lambda: dt.date.today())
    valid_to = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=180))
    scope = Contract.Scope.ALL
    rate_kind = Contract.RateKind.COMMISSION
    commission_percent = Decimal("20.00")


class TradeBookingFactory(factory.django.DjangoModelFactory):
    """A booking row as the booking service leaves it (for statements and lists; places are not taken)."""

    class Meta:
        model = TradeBooking

    contract = factory.SubFactory(ContractFactory)
    partner = factory.LazyAttribute(lambda o: o.contract.partner)
    code = factory.Sequence(lambda n: f"TB{n:06d}")
    service = factory.SubFactory("tests.operators.factories.ServiceFactory")
    starts_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    party = factory.LazyFunction(lambda: {"adults": 2, "children_ages": [], "infants": 0, "seniors": 0})
    lead_first_name = "Anna"
    lead_last_name = "Schmidt"
    status = TradeBooking.Status.CONFIRMED
    retail_amount = Decimal("100.00")
    net_amount = Decimal("80.00")
