"""Packages built on real operators' services, seasons, rates and slots (no mocks of our own code)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from operators.models import Rate, Season, Service, Slot
from packages.models import CancellationTier, Package, PackageComponent
from packages.services import package_publish
from tests.operators.factories import OperatorFactory, ServiceFactory


def priced_service(*, operator=None, adult="50.00", child="25.00", unit=None, capacity=10, days=60, start=None,
                   times=(dt.time(10, 0),), **service_kwargs) -> Service:  # fmt: skip
    """A service with one season over the next 400 days, its rates, and slots for `days` days."""
    start = start or timezone.localdate()
    service = ServiceFactory(operator=operator or OperatorFactory(), **service_kwargs)
    season = Season.objects.create(
        service=service, name="Stagione", starts_on=start - dt.timedelta(days=1), ends_on=start + dt.timedelta(days=400)
    )
    rates = []
    if adult is not None:
        rates.append(Rate(season=season, category="adult", amount=Decimal(adult)))
    if child is not None:
        rates.append(Rate(season=season, category="child", amount=Decimal(child)))
    if unit is not None:
        rates.append(Rate(season=season, category="unit", amount=Decimal(unit)))
    Rate.objects.bulk_create(rates)
    all_day = times == ()
    Slot.objects.bulk_create(
        [
            Slot(service=service, date=start + dt.timedelta(days=i), start_time=t, all_day=all_day, capacity=capacity)
            for i in range(days)
            for t in (times or (dt.time(0, 0),))
        ]
    )
    return service


def make_package(*, services, days=None, markup="10.00", markup_kind="percent", publish=True, title="Vigne e ville",
                 rules=None, slug=None) -> Package:  # fmt: skip
    """A package with one component per service on `days` (default: day 1, 2, 3, … cycling on 3)."""
    count = Package.objects.count()
    package = Package.objects.create(
        title=title,
        title_it=title,
        slug=slug or f"pacchetto-{count + 1}",
        area="capannori",
        duration_days=3,
        markup_kind=markup_kind,
        markup_value=Decimal(markup),
        description="Tre giorni tra ville e vigneti.",
        included="Pernottamento\nDegustazione",
        excluded="Viaggio",
        meeting_point="Piazza Anfiteatro, Lucca",
    )
    for i, service in enumerate(services):
        rule, room_size = rules[i] if rules else ("per_person", None)
        PackageComponent.objects.create(
            package=package,
            service=service,
            position=i,
            day=(days[i] if days else (i % 3) + 1),
            quantity_rule=rule,
            room_size=room_size,
        )
    CancellationTier.objects.create(package=package, days_before=14, refund_percent=100)
    CancellationTier.objects.create(package=package, days_before=3, refund_percent=50)
    if publish:
        package_publish(package=package)
    package.refresh_from_db()
    return package
