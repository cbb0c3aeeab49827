import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order

from packages.models import PackageSupplierTerms
from packages.services import service_package_sync
from tests.operators.factories import MembershipFactory, OperatorFactory
from tests.packages.factories import make_package, priced_service
from tests.payments.conftest import TRAVELLERS, fake_stripe, place_order  # noqa: F401  (fixture)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def three_services(db):
    return [
        priced_service(name="Villa Reale: notte", adult="80.00", child="40.00"),
        priced_service(name="Degustazione a Montecarlo", adult="30.00", child="10.00"),
        priced_service(name="Passeggiata sulle Mura", adult="20.00", child=None),
    ]


@pytest.fixture
def package(three_services):
    return make_package(services=three_services)


@pytest.fixture
def extras(db):
    """A package with a villa night (day 1) and a tasting (day 2) included, and two optional extras the
    traveller may tick: an e-bike rental on day 2 (10 bikes) and a cooking class on day 1 (adults'
    rate only). Markup 10 %. Returns the package and its components by name."""
    from types import SimpleNamespace

    from tests.operators.factories import OperatorFactory

    villa = priced_service(operator=OperatorFactory(name="Villa Oliva", email="villa@example.com"),
                           name="Camera in villa", adult="90.00", child="45.00")  # fmt: skip
    tasting = priced_service(operator=OperatorFactory(name="Fattoria Colle Verde", email="cantina@example.com"),
                             name="Degustazione", adult="30.00", child="10.00")  # fmt: skip
    ebike = priced_service(operator=OperatorFactory(name="E-bike Porcari", email="ebike@example.com"),
                           name="Noleggio e-bike", adult="25.00", child="15.00")  # fmt: skip
    cooking = priced_service(operator=OperatorFactory(name="Trattoria da Gina", email="gina@example.com"),
                             name="Corso di cucina", adult="40.00", child=None)  # fmt: skip
    package = make_package(
        services=[villa, tasting, ebike, cooking],
        days=[1, 2, 2, 1],
        markup="10",
        rules=[("per_person", None), ("per_person", None), ("optional", None), ("optional", None)],
    )
    by_service = {c.service_id: c for c in package.components.all()}
    return SimpleNamespace(
        package=package,
        villa=by_service[villa.pk],
        tasting=by_service[tasting.pk],
        ebike=by_service[ebike.pk],
        cooking=by_service[cooking.pk],
    )


@pytest.fixture
def two_operator_package(today):
    """Two operators' services on day 1 and 2, 10 % markup: 264.00 for two adults; policy 100 % until
    14 days before, 50 % until 3 days (make_package)."""
    villa_operator = OperatorFactory(name="Villa Oliva", email="villa@example.com", phone="+39 0583 1")
    winery = OperatorFactory(name="Fattoria Colle Verde", email="cantina@example.com")
    PackageSupplierTerms.objects.create(operator=winery, commission_percent=Decimal("20"))
    services = [
        priced_service(operator=villa_operator, name="Camera in villa", adult="90.00", child="45.00"),
        priced_service(operator=winery, name="Degustazione", adult="30.00", child="10.00"),
    ]
    return make_package(services=services, days=[1, 2], markup="10")


def buy(client, package, on, demo_mode_capture, add=True):
    """Buy `package` for two adults on `on` as the guest giulia@example.com, with the payment method
    the settings give (the demo one without a Stripe key); returns the order (the newest: a test may buy
    more than once)."""
    if add:
        client.post(
            reverse("packages:basket-add", kwargs={"pk": package.pk}),
            {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0},
        )
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"), TRAVELLERS)
    client.get(reverse("checkout:payment-details"), follow=True)
    with demo_mode_capture(execute=True):
        response = place_order(client)
    assert response.status_code == 302, response.content[:500]
    return Order.objects.latest("pk")


DEPARTURES = (dt.time(10, 0), dt.time(11, 30), dt.time(15, 0), dt.time(17, 0))


@pytest.fixture
def walk(settings):
    """The guides' walk "Lucca dentro le Mura", sold alone: 2 h 30 min, four departures a day, 20 € an adult,
    10 € a child, 12 places. (service, its automatic package, the guides' membership)."""
    settings.STRIPE_SECRET_KEY = ""
    guide = MembershipFactory(
        operator__name="Guide di Lucca", operator__slug="guide-lucca", operator__municipality="lucca"
    )
    service = priced_service(operator=guide.operator, name="Lucca dentro le Mura", adult="20.00", child="10.00",
                             times=DEPARTURES, capacity=12, duration_minutes=150)  # fmt: skip
    return service, service_package_sync(service=service), guide
