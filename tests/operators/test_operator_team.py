"""Several people work for one operator: owners add and remove them."""

import pytest
from django.urls import reverse

from marketplace.core.roles import Role, user_has_role
from operators.models import OperatorMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_owner_adds_a_colleague_who_then_sees_the_operator(client, world_a):
    colleague = UserFactory(email="marta@fattoria.example")
    client.force_login(world_a["user"])
    response = client.post(reverse("operator-area:team"), {"email": "Marta@Fattoria.example", "role": "staff"})
    assert response.status_code == 302
    assert OperatorMembership.objects.get(user=colleague).operator == world_a["operator"]
    assert user_has_role(colleague, Role.OPERATOR)
    client.force_login(colleague)
    assert world_a["operator"].name in client.get(reverse("operator-area:home")).content.decode()


def test_unknown_email_and_duplicates_are_field_errors(client, world_a):
    client.force_login(world_a["user"])
    response = client.post(reverse("operator-area:team"), {"email": "nobody@example.com", "role": "staff"})
    assert response.context["form"].errors["email"]
    response = client.post(reverse("operator-area:team"), {"email": world_a["user"].email, "role": "staff"})
    assert response.context["form"].errors["email"]


def test_staff_members_cannot_manage_the_team(client, world_a):
    staff = UserFactory()
    OperatorMembership.objects.create(operator=world_a["operator"], user=staff, role="staff")
    client.force_login(staff)
    assert client.post(reverse("operator-area:team"), {"email": staff.email, "role": "owner"}).status_code == 403
    url = reverse("operator-area:member-delete", args=[world_a["membership"].pk])
    assert client.post(url).status_code == 403
    assert OperatorMembership.objects.filter(pk=world_a["membership"].pk).exists()


def test_the_last_owner_cannot_be_removed(client, world_a):
    client.force_login(world_a["user"])
    client.post(reverse("operator-area:member-delete", args=[world_a["membership"].pk]))
    assert OperatorMembership.objects.filter(pk=world_a["membership"].pk).exists()
