"""API keys managed by the partner's administrators in the portal and by staff in the admin: the secret is
shown once, on the answer to the POST, then authenticates; a revoked key gets 401; bookers and other
partners get nothing."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from marketplace.core.roles import Role
from marketplace.octo.models import ApiKey
from marketplace.trade.models import PartnerMembership
from tests.factories import UserFactory
from tests.trade.factories import ContractFactory, PartnerMembershipFactory

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"octo_[A-Za-z0-9_\-]{40,}")


@pytest.fixture(autouse=True)
def english():
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def admin_member():
    return PartnerMembershipFactory(partner=ContractFactory().partner)


def supplier(client, secret):
    return client.get("/api/octo/supplier", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_an_administrator_makes_a_key_sees_it_once_it_works_then_revoked_it_gets_401(client, admin_member):
    client.force_login(admin_member.user)
    url = reverse("octo-portal:api-keys")
    page = client.get(url)
    assert page.status_code == 200 and "Make the key" in page.content.decode()
    assert url in client.get(reverse("trade:home")).content.decode()  # linked from the portal's tabs and home

    made = client.post(url, {"name": "Production", "test_mode": "on"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    secrets = SECRET.findall(made.content.decode())
    assert len(secrets) == 1
    secret = secrets[0]
    key = ApiKey.objects.get(partner=admin_member.partner)
    assert (key.name, key.test_mode, key.created_by) == ("Production", True, admin_member.user)
    assert secret not in key.secret_hash

    again = client.get(url).content.decode()  # never shown again
    assert secret not in again and key.prefix in again and "Production" in again
    client.logout()
    assert supplier(client, secret).status_code == 200

    client.force_login(admin_member.user)
    response = client.post(reverse("octo-portal:api-keys-revoke", args=[key.pk]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == admin_member.user
    client.logout()
    assert supplier(client, secret).status_code == 401


def test_a_key_needs_a_name(client, admin_member):
    client.force_login(admin_member.user)
    response = client.post(reverse("octo-portal:api-keys"), {"name": ""})
    assert response.status_code == 400 and response.context["form"].errors["name"]
    assert not ApiKey.objects.exists()


def test_bookers_neither_see_nor_manage_keys(client, admin_member):
    booker = PartnerMembershipFactory(partner=admin_member.partner, role=PartnerMembership.Role.BOOKER)
    from marketplace.octo.keys import api_key_create

    key, _secret = api_key_create(partner=admin_member.partner, name="Prod")
    client.force_login(booker.user)
    url = reverse("octo-portal:api-keys")
    assert url not in client.get(reverse("trade:home")).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Mine"}).status_code == 403
    assert client.post(reverse("octo-portal:api-keys-revoke", args=[key.pk])).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None and ApiKey.objects.count() == 1


def test_another_partners_key_is_a_404(client, admin_member):
    from marketplace.octo.keys import api_key_create

    other = PartnerMembershipFactory(partner=ContractFactory().partner)
    theirs, _secret = api_key_create(partner=other.partner, name="Theirs")
    client.force_login(admin_member.user)
    assert "Theirs" not in client.get(reverse("octo-portal:api-keys")).content.decode()
    assert client.post(reverse("octo-portal:api-keys-revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_staff_list_filter_make_revoke_and_limit_keys(client, admin_member):
    from marketplace.octo.keys import api_key_create

    other = ContractFactory().partner
    api_key_create(partner=other, name="Other system")
    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    index = reverse("octo_api_keys:index")
    assert index in client.get("/admin/").content.decode()  # in the admin's menu (the Trade group)

    made = client.post(reverse("octo_api_keys:add"), {"partner": admin_member.partner.pk, "name": "Staff-made",
                                                      "rate_limit_per_minute": 120})  # fmt: skip
    assert made.status_code == 201 and "no-store" in made["Cache-Control"]
    secret = SECRET.findall(made.content.decode())[0]
    key = ApiKey.objects.get(name="Staff-made")
    assert (key.partner, key.rate_limit_per_minute, key.created_by) == (admin_member.partner, 120, staff)

    listing = client.get(index, {"partner": admin_member.partner.pk}).content.decode()
    assert "Staff-made" in listing and "Other system" not in listing and secret not in listing

    edited = client.post(
        reverse("octo_api_keys:edit", args=[key.pk]), {"name": "Staff-made", "rate_limit_per_minute": 0}
    )
    assert edited.status_code == 200  # the form again, with its error
    edited = client.post(reverse("octo_api_keys:edit", args=[key.pk]), {"name": "Renamed", "rate_limit_per_minute": 30})
    assert edited.status_code == 302
    key.refresh_from_db()
    assert (key.name, key.rate_limit_per_minute) == ("Renamed", 30)

    assert client.get(reverse("octo_api_keys:revoke", args=[key.pk])).status_code == 200
    assert client.post(reverse("octo_api_keys:revoke", args=[key.pk])).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == staff
    assert supplier(client, secret).status_code == 401
    assert client.post(reverse("octo_api_keys:delete", args=[key.pk])).status_code in (302, 403)
    assert ApiKey.objects.filter(pk=key.pk).exists()


def test_partners_cannot_reach_the_staff_pages(client, admin_member):
    client.force_login(admin_member.user)
    response = client.get(reverse("octo_api_keys:index"))
    assert response.status_code in (302, 403)
