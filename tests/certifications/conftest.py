from datetime import timedelta

import pytest
from django.utils import timezone

from certifications.services import award_grant, award_request
from marketplace.core.roles import Role
from tests.certifications.factories import OperatorFactory, SchemeFactory, ServiceFactory, pdf_upload
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_label_cache(fresh_cache):
    """Labels are cached; each test starts from an empty cache as a fresh process would."""


@pytest.fixture
def staff(db):
    return UserFactory(role=Role.STAFF, email="marco@terredilucca.example")


@pytest.fixture
def other_staff(db):
    return UserFactory(role=Role.STAFF, email="chiara@terredilucca.example")


@pytest.fixture
def operator_user(db):
    return UserFactory(role=Role.OPERATOR, email="giulia@colleverde.example")


@pytest.fixture
def operator(operator_user):
    return OperatorFactory(name="Agriturismo Colle Verde", members=[operator_user])


@pytest.fixture
def other_operator_user(db):
    return UserFactory(role=Role.OPERATOR, email="paolo@bicipiana.example")


@pytest.fixture
def other_operator(other_operator_user):
    return OperatorFactory(name="Bici in Piana", members=[other_operator_user])


@pytest.fixture
def service(operator):
    return ServiceFactory(operator=operator, name="Degustazione olio e vino")


@pytest.fixture
def scheme(db):
    return SchemeFactory(name="Vetrina Toscana", slug="vetrina-toscana")


@pytest.fixture
def requested_award(scheme, operator, operator_user):
    return award_request(scheme=scheme, subject=operator, user=operator_user, files=[pdf_upload()], note="2026")


@pytest.fixture
def grant(staff):
    """Award a scheme directly: grant(scheme, subject, awarded_on=…, expires_on=…)."""

    def _grant(scheme, subject, **kwargs):
        kwargs.setdefault("awarded_on", timezone.localdate() - timedelta(days=30))
        return award_grant(scheme=scheme, subject=subject, user=staff, **kwargs)

    return _grant
