import pytest

from marketplace.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/", "/it/shop/dashboard/"])
def test_dmc_staff_reach_both_admins_with_one_login(client, url):
    client.force_login(UserFactory(role=Role.STAFF))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [None, Role.OPERATOR, Role.PARTNER])
@pytest.mark.parametrize("url", ["/admin/", "/it/shop/dashboard/"])
def test_other_roles_are_refused_both_admins(client, url, role):
    client.force_login(UserFactory(role=role))
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_staff_group_has_the_wagtail_and_shop_permissions():
    user = UserFactory(role=Role.STAFF)
    assert user.has_perm("wagtailadmin.access_admin")
    assert user.has_perm("catalogue.change_product")
    assert user.has_perm("order.change_order")
    assert not user.has_perm("auth.change_user")  # staff are not superusers
