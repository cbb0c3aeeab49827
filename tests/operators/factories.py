"""Factories for the operators app: an approved operator with a per-person service by default."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from operators.models import (
    AvailabilityRule,
    Operator,
    OperatorMembership,
    Rate,
    Season,
    Service,
    Slot,
)
from operators.validators import partita_iva_check_digit
from tests.factories import UserFactory


def vat_number(n: int) -> str:
    first_ten = f"{1000000 + n:07d}046"
    return first_ten + str(partita_iva_check_digit(first_ten))


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    name = factory.Sequence(lambda n: f"Agriturismo Le Colline {n}")
    slug = factory.Sequence(lambda n: f"operatore-{n}")
    vat_number = factory.Sequence(vat_number)
    kind = Operator.Kind.AGRITURISMO
    municipality = "capannori"
    address = "Via della Chiesa 1"
    email = factory.Sequence(lambda n: f"info{n}@colline.example")
    status = Operator.Status.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorMembership

    user = factory.SubFactory(UserFactory, role="Operators")
    operator = factory.SubFactory(OperatorFactory)
    role = OperatorMembership.Role.OWNER


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    operator = factory.SubFactory(OperatorFactory)
    name = factory.Sequence(lambda n: f"Visita guidata {n}")
    kind = Service.Kind.EXPERIENCE
    capacity_model = Service.CapacityModel.PER_PERSON


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    service = factory.SubFactory(ServiceFactory)
    date = factory.Sequence(lambda n: timezone.localdate() + dt.timedelta(days=10 + n))
    start_time = dt.time(10, 0)
    all_day = False
    capacity = 10


class SeasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Season

    service = factory.SubFactory(ServiceFactory)
    name = "Alta stagione"
    starts_on = dt.date(2028, 1, 1)
    ends_on = dt.date(2028, 12, 31)


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    season = factory.SubFactory(SeasonFactory)
    category = "adult"
    weekdays = ""
    amount = Decimal("45.00")


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityRule

    service = factory.SubFactory(ServiceFactory)
    starts_on = factory.LazyFunction(tomorrow)
    ends_on = factory.LazyFunction(lambda: tomorrow() + dt.timedelta(days=30))
    weekdays = "56"
    start_times = "10:00,15:00"
    capacity = 12
