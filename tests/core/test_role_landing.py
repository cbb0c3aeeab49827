import pytest
from django.urls import reverse

from marketplace.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.STAFF, "/admin/"),
        (Role.OPERATOR, "/operators/"),
        (Role.PARTNER, "/shop/accounts/"),
        (Role.TOURIST, "/shop/accounts/"),
    ],
)
def test_role_landing_sends_each_role_to_its_area(client, role, expected):
    user = UserFactory(role=role if role is not Role.TOURIST else None)
    client.force_login(user)
    response = client.get(reverse("role-landing"))
    assert response.status_code == 302
    assert expected in response["Location"]


def test_role_landing_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("role-landing"))
    assert response.status_code == 302
    assert "login" in response["Location"]
