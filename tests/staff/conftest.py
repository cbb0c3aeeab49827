"""Fixtures of the DMC staff's tools (issue 16): a staff user reading the admin in English, orders bought
through the real checkout (tests/packages), pending operators and partners from the factories."""

import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from marketplace.core.roles import Role
from tests.factories import UserFactory
from tests.packages.conftest import today, two_operator_package  # noqa: F401  (fixtures)
from tests.payments.conftest import fake_stripe  # noqa: F401  (fixture used by buy())


@pytest.fixture(autouse=True)
def _language_restored():
    """Requests to /en/ leave English active in the test's thread: put the language back afterwards."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def staff_user(db):
    user = UserFactory(role=Role.STAFF, first_name="Sara", last_name="Neri")
    UserProfile.get_for_user(user).__class__.objects.filter(user=user).update(preferred_language="en")
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
