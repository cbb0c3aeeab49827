"""Staff read who changed a contract, its net prices and tiers on the contract's History page in Wagtail's
admin (django-auditlog's field changes below Wagtail's own log)."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from marketplace.core.roles import Role
from tests.factories import UserFactory

from .factories import ContractFactory
from .test_staff_admin import contract_data

pytestmark = pytest.mark.django_db


def test_the_contracts_history_page_shows_each_field_change_and_who_made_it(client):
    staff = UserFactory(role=Role.STAFF, first_name="Chiara", last_name="Martini")
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    contract = ContractFactory(name="Summer 2027", commission_percent="20")
    client.force_login(staff)

    data = contract_data(contract.partner, name="Summer 2027", commission_percent="22.50",
                         valid_from=contract.valid_from.isoformat(), valid_to=contract.valid_to.isoformat())  # fmt: skip
    response = client.post(reverse("trade_contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 302, response.context["form"].errors

    with translation.override("en"):
        page = client.get(reverse("trade_contracts:history", args=[contract.pk])).content.decode()
    assert "History of changes" in page
    assert "Chiara Martini" in page
    assert "20.00 → 22.50" in page


def test_others_cannot_open_a_contracts_history(client):
    contract = ContractFactory()
    client.force_login(UserFactory(role=Role.OPERATOR))
    response = client.get(reverse("trade_contracts:history", args=[contract.pk]))
    assert response.status_code in (302, 403)
