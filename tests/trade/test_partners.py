"""Trade partners: the public sign-up, staff decisions e-mailed through Celery, the partner's users
(invitations, removal rules) and who may see and change what."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.countries import country_choices, is_country
from marketplace.core.roles import Role, user_has_role
from marketplace.trade.models import PartnerInvitation, PartnerMembership, TradePartner
from marketplace.trade.partners import (
    partner_for_user,
    partner_set_status,
    partner_signup,
    tax_id_normalize,
)
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory

from .factories import PartnerMembershipFactory, TradePartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def signup_data(**overrides):
    data = {
        "legal_name": "Toskana Reisen GmbH", "country": "DE", "tax_id": "136695976",
        "address": "Leopoldstraße 10, 80802 München", "licence_number": "IATA 23-4 5678",
        "billing_email": "buchhaltung@toskana-reisen.example", "contact_name": "Jana Weber",
        "phone": "+49 89 123456", "website": "toskana-reisen.example",
    }  # fmt: skip
    data.update(overrides)
    return data


# Sign-up


def test_signup_creates_a_pending_partner_whose_user_is_its_admin_in_the_partners_role(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("trade:join"), signup_data())

    assert response.status_code == 302
    partner = TradePartner.objects.get()
    assert (partner.legal_name, partner.status, partner.tax_id) == ("Toskana Reisen GmbH", "pending", "DE136695976")
    assert partner.website == "https://toskana-reisen.example"
    membership = partner_for_user(user)
    assert (membership.partner, membership.role) == (partner, PartnerMembership.Role.ADMIN)
    assert user_has_role(user, Role.PARTNER)
    assert client.get(reverse("trade:users")).status_code == 200
    assert client.get(reverse("trade:join")).status_code == 302  # one partner per account


def test_signup_needs_an_account_first(client):
    response = client.get(reverse("trade:join"))
    assert response.status_code == 302 and reverse("customer:login") in response.url


def test_the_sign_up_page_lists_countries_by_name():
    page_countries = dict(country_choices("en"))
    assert page_countries["DE"] == "Germany" and page_countries["US"] == "United States"
    assert "EU" not in page_countries and "001" not in page_countries
    assert dict(country_choices("de"))["DE"] == "Deutschland"
    assert "IC" not in page_countries and "ZZ" not in page_countries  # reserved codes, not countries
    assert is_country("NL") and not is_country("nl") and not is_country("EU") and not is_country("")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_id": "DE136695977"}, "tax_id"),  # wrong check digit
        ({"tax_id": "FR40303265045"}, "tax_id"),  # a French number for a German company
        ({"tax_id": ""}, "tax_id"),
        ({"country": "XX"}, "country"),
        ({"billing_email": "not-an-email"}, "billing_email"),
        ({"legal_name": ""}, "legal_name"),
    ],
)
def test_bad_signups_show_field_errors_and_create_nothing(client, overrides, field):
    client.force_login(UserFactory())
    response = client.post(reverse("trade:join"), signup_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TradePartner.objects.exists()


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("DE", "de 136 695 976", "DE136695976"),
        ("IT", "IT00743110157", "IT00743110157"),
        ("GR", "094259216", "EL094259216"),
        ("US", "  EIN 12-3456789 ", "EIN 12-3456789"),  # outside the EU: the tax id as typed
        ("CH", "CHE-123.456.788", "CHE-123.456.788"),
    ],
)
def test_eu_vat_numbers_are_checked_and_other_tax_ids_taken_as_typed(country, typed, stored):
    assert tax_id_normalize(country=country, value=typed) == stored


def test_a_vat_number_already_registered_is_refused(client):
    TradePartnerFactory(country="DE", tax_id="DE136695976")
    client.force_login(UserFactory())
    response = client.post(reverse("trade:join"), signup_data(tax_id="136695976"))
    assert "tax_id" in response.context["form"].errors
    assert TradePartner.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "operator", "partner"])
def test_staff_operators_and_other_partners_accounts_cannot_sign_up_a_partner(who):
    if who == "staff":
        user = UserFactory(role=Role.STAFF)
    elif who == "operator":
        user = MembershipFactory().user
    else:
        user = PartnerMembershipFactory().user
    with pytest.raises(ValidationError):
        partner_signup(user=user, data=signup_data(tax_id="DE136695976"))
    assert not TradePartner.objects.filter(legal_name="Toskana Reisen GmbH").exists()


def test_an_operators_account_sees_why_on_the_form(client):
    client.force_login(MembershipFactory().user)
    response = client.post(reverse("trade:join"), signup_data())
    assert response.status_code == 200
    assert "local operator" in " ".join(response.context["form"].non_field_errors())


# Staff decisions, e-mailed after the commit


def test_approval_emails_the_admins_and_the_billing_address(django_capture_on_commit_callbacks):
    partner = TradePartnerFactory(status="pending", billing_email="billing@agency.example")
    PartnerMembershipFactory(partner=partner, user__email="boss@agency.example")
    PartnerMembershipFactory(partner=partner, user__email="booker@agency.example", role="booker")
    staff = UserFactory(role=Role.STAFF)

    with django_capture_on_commit_callbacks(execute=True):
        partner_set_status(partner=partner, status="approved", by=staff)

    partner.refresh_from_db()
    assert (partner.status, partner.status_changed_by) == ("approved", staff)
    [message] = mail.outbox
    assert sorted(message.to) == ["billing@agency.example", "boss@agency.example"]
    assert "Approved" in message.subject and partner.legal_name in message.subject


@pytest.mark.parametrize(("start", "decision"), [("pending", "rejected"), ("approved", "suspended")])
def test_rejecting_and_suspending_need_a_reason_which_is_emailed(start, decision, django_capture_on_commit_callbacks):
    partner = TradePartnerFactory(status=start)
    with pytest.raises(ValidationError) as error:
        partner_set_status(partner=partner, status=decision, reason="  ")
    assert "reason" in error.value.message_dict
    partner.refresh_from_db()
    assert partner.status == start and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        partner_set_status(partner=partner, status=decision, reason="No travel licence sent.")

    partner.refresh_from_db()
    assert (partner.status, partner.status_reason) == (decision, "No travel licence sent.")
    assert "No travel licence sent." in mail.outbox[0].body


def test_a_suspended_partner_can_be_approved_again(django_capture_on_commit_callbacks):
    partner = TradePartnerFactory(status="suspended", status_reason="Unpaid statement")
    with django_capture_on_commit_callbacks(execute=True):
        partner_set_status(partner=partner, status="approved")
    partner.refresh_from_db()
    assert (partner.status, partner.status_reason) == ("approved", "")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("start", "decision"),
    [("pending", "suspended"), ("approved", "rejected"), ("rejected", "approved"), ("approved", "approved"),
     ("suspended", "rejected"), ("pending", "nonsense")],
)  # fmt: skip
def test_impossible_transitions_change_nothing_and_send_nothing(start, decision, django_capture_on_commit_callbacks):
    partner = TradePartnerFactory(status=start)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        partner_set_status(partner=partner, status=decision, reason="because")
    partner.refresh_from_db()
    assert partner.status == start and not mail.outbox


def test_the_status_mail_task_sends_nothing_for_a_partner_gone_meanwhile():
    from marketplace.trade.tasks import partner_notify_status_task

    assert partner_notify_status_task.apply(args=[987654]).get() == 0


# Invitations


def invite(client, admin, email, capture, role="booker"):
    """The admin invites `email` from the users page; returns the response and the link mailed, if any."""
    client.force_login(admin)
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("trade:user-invite"), {"email": email, "role": role}, follow=True)
    links = [m for message in mail.outbox for m in re.findall(r"https?://\S+/invitations/\S+/", message.body)]
    return response, (links[0] if links else None)


def path_of(link):
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def admin():
    return PartnerMembershipFactory(partner__legal_name="Toskana Reisen GmbH").user


def test_an_invited_colleague_joins_only_once_they_accept(client, admin, django_capture_on_commit_callbacks):
    partner = partner_for_user(admin).partner
    colleague = UserFactory(email="jan@toskana.example")

    response, link = invite(client, admin, "Jan@Toskana.example", django_capture_on_commit_callbacks)

    assert response.status_code == 200 and "Jan@Toskana.example" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["Jan@Toskana.example"] and partner.legal_name in message.subject
    assert not PartnerMembership.objects.filter(user=colleague).exists()
    client.logout()
    assert reverse("customer:login") in client.get(path_of(link)).url  # log in or sign up first
    client.force_login(colleague)
    page = client.get(path_of(link))
    assert page.status_code == 200 and "Accept the invitation" in page.content.decode()
    assert not PartnerMembership.objects.filter(user=colleague).exists()  # opening is not accepting

    response = client.post(path_of(link))

    assert response.status_code == 302
    membership = partner_for_user(colleague)
    assert (membership.partner, membership.role) == (partner, "booker")
    assert user_has_role(colleague, Role.PARTNER)
    assert client.post(path_of(link)).status_code == 400  # used once


@pytest.mark.parametrize("who", ["other-partner", "operator", "staff", "other-address"])
def test_who_cannot_accept_sees_why_and_nothing_changes(client, admin, who, django_capture_on_commit_callbacks):
    if who == "other-partner":
        user = PartnerMembershipFactory(user__email="x@other.example", role="booker").user
    elif who == "operator":
        user = MembershipFactory(user__email="x@other.example").user
    elif who == "staff":
        user = UserFactory(email="x@other.example", role=Role.STAFF)
    else:
        user = UserFactory(email="y@other.example")
    _response, link = invite(client, admin, "x@other.example", django_capture_on_commit_callbacks)
    client.force_login(user)

    page = client.get(path_of(link))
    response = client.post(path_of(link))

    assert "Accept the invitation" not in page.content.decode()
    assert response.status_code == 400
    assert not PartnerMembership.objects.filter(user=user, partner=partner_for_user(admin).partner).exists()
    assert PartnerInvitation.objects.get().accepted_at is None


def test_an_expired_invitation_is_refused(client, admin, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="late@toskana.example")
    _response, link = invite(client, admin, colleague.email, django_capture_on_commit_callbacks)
    PartnerInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(colleague)
    assert "expired" in client.get(path_of(link)).content.decode()
    assert client.post(path_of(link)).status_code == 400
    assert partner_for_user(colleague) is None


def test_a_pending_partner_cannot_invite_yet(client, django_capture_on_commit_callbacks):
    admin = PartnerMembershipFactory(partner__status="pending").user
    response, link = invite(client, admin, "new@agency.example", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and link is None
    assert not PartnerInvitation.objects.exists()


def test_a_bad_address_is_a_field_error(client, admin, django_capture_on_commit_callbacks):
    response, link = invite(client, admin, "not an address", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "email" in response.context["form"].errors
    assert link is None


# Removal rules and permissions


def test_an_admin_removes_a_booker_who_leaves_the_partners_role(client, admin):
    booker = PartnerMembershipFactory(partner=partner_for_user(admin).partner, role="booker")
    client.force_login(admin)
    response = client.post(reverse("trade:user-remove", args=[booker.pk]))
    assert response.status_code == 302
    assert partner_for_user(booker.user) is None
    assert not user_has_role(booker.user, Role.PARTNER)


def test_the_last_admin_cannot_remove_itself_but_one_of_two_can(client, admin):
    membership = partner_for_user(admin)
    client.force_login(admin)
    client.post(reverse("trade:user-remove", args=[membership.pk]))
    assert partner_for_user(admin) is not None

    PartnerMembershipFactory(partner=membership.partner, role="admin")
    response = client.post(reverse("trade:user-remove", args=[membership.pk]))
    assert response.status_code == 302 and response.url == reverse("role-landing")
    assert partner_for_user(admin) is None


def test_a_booker_sees_the_users_but_cannot_invite_or_remove(client, admin, django_capture_on_commit_callbacks):
    partner = partner_for_user(admin).partner
    booker = PartnerMembershipFactory(partner=partner, role="booker").user
    client.force_login(booker)

    page = client.get(reverse("trade:users"))
    assert page.status_code == 200 and admin.email in page.content.decode()
    assert reverse("trade:user-invite") not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("trade:user-invite"), {"email": "a@b.example", "role": "admin"}).status_code == 403
    assert client.post(reverse("trade:user-remove", args=[partner_for_user(admin).pk])).status_code == 403
    assert partner_for_user(admin) is not None and not PartnerInvitation.objects.exists() and not mail.outbox


def test_another_partners_users_are_404_and_unchanged(client, admin):
    other = PartnerMembershipFactory(role="booker")
    client.force_login(admin)
    assert client.post(reverse("trade:user-remove", args=[other.pk])).status_code == 404
    assert client.get(reverse("trade:users")).content.decode().count(other.user.email) == 0
    assert partner_for_user(other.user) is not None


def test_users_without_a_partner_are_sent_to_the_sign_up(client):
    client.force_login(UserFactory())
    assert client.get(reverse("trade:users")).url == reverse("trade:join")
    assert client.post(reverse("trade:user-remove", args=[1])).url == reverse("trade:join")
