import pytest
from django.utils import timezone

from tests.packages.factories import make_package, priced_service


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
