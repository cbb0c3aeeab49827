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
