"""Several people work for one operator: owners invite them, they join once they accept, owners remove them."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.roles import Role, user_has_role
from operators.models import Operator, OperatorInvitation, OperatorMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """English URLs, so pages and messages are in English."""
    with translation.override("en"):
        yield


def invite(client, owner, email, capture, role="staff"):
    """The owner invites `email` from the team page; returns the response and the link mailed, if any."""
    client.force_login(owner)
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("operator-area:team"), {"email": email, "role": role}, follow=True)
    links = [m for message in mail.outbox for m in re.findall(r"https?://\S+/invitations/\S+/", message.body)]
    return response, (links[0] if links else None)


def path_of(link):
    return "/" + link.split("/", 3)[3]


def test_an_invited_colleague_joins_only_once_they_accept(client, world_a, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="marta@fattoria.example")
    response, link = invite(client, world_a["user"], "Marta@Fattoria.example", django_capture_on_commit_callbacks)

    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["Marta@Fattoria.example"] and world_a["operator"].name in message.subject
    assert not OperatorMembership.objects.filter(user=colleague).exists()  # no consent yet
    assert not user_has_role(colleague, Role.OPERATOR)
    assert "Marta@Fattoria.example" in response.content.decode()  # listed as waiting

    client.logout()
    login = client.get(path_of(link))
    assert login.status_code == 302 and reverse("customer:login") in login.url  # log in or sign up first
    client.force_login(colleague)
    page = client.get(path_of(link))
    assert page.status_code == 200 and world_a["operator"].name in page.content.decode()
    assert not OperatorMembership.objects.filter(user=colleague).exists()  # opening the link is not accepting

    response = client.post(path_of(link))

    assert response.status_code == 302 and response.url == reverse("operator-area:home")
    membership = OperatorMembership.objects.get(user=colleague)
    assert (membership.operator, membership.role) == (world_a["operator"], "staff")
    assert user_has_role(colleague, Role.OPERATOR)
    assert world_a["operator"].name in client.get(reverse("operator-area:home")).content.decode()
    assert client.post(path_of(link)).status_code == 400  # used: nothing more happens
    assert OperatorMembership.objects.filter(user=colleague).count() == 1


def test_someone_who_signs_up_after_the_invitation_can_accept_it(client, world_a, django_capture_on_commit_callbacks):
    _response, link = invite(client, world_a["user"], "new@fattoria.example", django_capture_on_commit_callbacks,
                             role="owner")  # fmt: skip
    newcomer = UserFactory(email="new@fattoria.example")  # signed up with the invited address
    client.force_login(newcomer)
    assert client.post(path_of(link)).status_code == 302
    assert OperatorMembership.objects.get(user=newcomer).role == "owner"


def test_the_invite_form_says_the_same_whether_the_address_has_an_account_or_not(
    client, world_a, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.com")
    known, known_link = invite(client, world_a["user"], "known@example.com", django_capture_on_commit_callbacks)
    unknown, unknown_link = invite(client, world_a["user"], "nobody@example.com", django_capture_on_commit_callbacks)

    def said(response):
        return [str(m) for m in response.context["messages"]]

    assert said(known) == ["Invitation sent to known@example.com: they join once they accept it."]
    assert said(unknown) == ["Invitation sent to nobody@example.com: they join once they accept it."]
    assert known_link and unknown_link  # an e-mail either way
    assert OperatorMembership.objects.filter(operator=world_a["operator"]).count() == 1


def test_a_member_is_not_invited_twice(client, world_a, django_capture_on_commit_callbacks):
    response, link = invite(client, world_a["user"], world_a["user"].email, django_capture_on_commit_callbacks)
    assert response.context["form"].errors["email"] and link is None


def test_a_pending_operator_cannot_invite(client, world_a, django_capture_on_commit_callbacks):
    Operator.objects.filter(pk=world_a["operator"].pk).update(status=Operator.Status.PENDING)
    response, link = invite(client, world_a["user"], "marta@fattoria.example", django_capture_on_commit_callbacks)
    assert response.context["form"].non_field_errors() and link is None
    assert not OperatorInvitation.objects.exists()
    assert "approved your operator" in client.get(reverse("operator-area:team")).content.decode()


def test_staff_accounts_are_invited_like_anyone_but_refused_at_acceptance(
    client, world_a, django_capture_on_commit_callbacks
):
    staff = UserFactory(email="ufficio@dmc.example", role=Role.STAFF)
    response, link = invite(client, world_a["user"], staff.email, django_capture_on_commit_callbacks)
    assert [str(m) for m in response.context["messages"]] == [
        "Invitation sent to ufficio@dmc.example: they join once they accept it."
    ]
    client.force_login(staff)

    response = client.post(path_of(link))

    assert response.status_code == 400
    assert "DMC staff accounts cannot join" in response.content.decode()
    assert not OperatorMembership.objects.filter(user=staff).exists()


def test_another_account_or_an_expired_link_cannot_accept(client, world_a, django_capture_on_commit_callbacks):
    _response, link = invite(client, world_a["user"], "marta@fattoria.example", django_capture_on_commit_callbacks)
    tourist = UserFactory(email="someone@else.example")
    client.force_login(tourist)
    response = client.post(path_of(link))
    assert response.status_code == 400 and "marta@fattoria.example" in response.content.decode()
    assert not OperatorMembership.objects.filter(user=tourist).exists()

    marta = UserFactory(email="marta@fattoria.example")
    OperatorInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(marta)
    response = client.post(path_of(link))
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not OperatorMembership.objects.filter(user=marta).exists()
    assert client.post(reverse("operator-area:invitation-accept", kwargs={"token": "guessed"})).status_code == 400


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


def test_the_link_says_why_before_the_button_and_an_expired_one_offers_none(
    client, world_a, django_capture_on_commit_callbacks
):
    _response, link = invite(client, world_a["user"], "marta@fattoria.example", django_capture_on_commit_callbacks)
    marta = UserFactory(email="marta@fattoria.example")
    OperatorInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(marta)
    page = client.get(path_of(link)).content.decode()
    assert "expired" in page and "Accept the invitation" not in page


def test_a_member_of_another_operator_or_a_suspended_operator_cannot_join(
    client, world_a, world_b, django_capture_on_commit_callbacks
):
    """One account works for one operator (its area shows one); a suspended operator takes no one."""
    _response, link = invite(client, world_a["user"], world_b["user"].email, django_capture_on_commit_callbacks)
    client.force_login(world_b["user"])
    response = client.post(path_of(link))
    assert response.status_code == 400 and "another operator" in response.content.decode()
    assert not OperatorMembership.objects.filter(user=world_b["user"], operator=world_a["operator"]).exists()

    _response, link = invite(client, world_a["user"], "marta@fattoria.example", django_capture_on_commit_callbacks)
    Operator.objects.filter(pk=world_a["operator"].pk).update(status=Operator.Status.SUSPENDED)
    marta = UserFactory(email="marta@fattoria.example")
    client.force_login(marta)
    response = client.post(path_of(link))
    assert response.status_code == 400 and "cannot take new team members" in response.content.decode()
    assert not OperatorMembership.objects.filter(user=marta).exists()
