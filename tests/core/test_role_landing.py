"""Every role, logged in from the login form as a browser does, ends on a page that answers 200.

The client follows every redirect (`follow=True`), so a loop ("too many redirects" in a browser) fails
here with RedirectCycleError or a chain that never ends, and the final page is checked for what it shows.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from marketplace.core.roles import Role
from tests.core.test_account_throttles import activate
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass"  # UserFactory's


@pytest.fixture(autouse=True)
def _english():
    """The pages in English, whatever language an earlier test left active (the assertions read English)."""
    with translation.override("en"):
        yield


def _login_from_form(client, email, password=PASSWORD):
    """Open the login page, then post its login form the way a browser submits it."""
    login_url = reverse("customer:login")
    page = client.get(login_url)
    assert page.status_code == 200
    assert 'name="login-username"' in page.content.decode()
    return client.post(
        login_url,
        {"login-username": email, "login-password": password, "login-redirect_url": "", "login_submit": ""},
        follow=True,
    )


def _final_path(response) -> str:
    return response.request["PATH_INFO"]


def _templates(response) -> set[str]:
    return {t.name for t in response.templates if t.name}


def _assert_account_page(response):
    assert response.status_code == 200
    assert _final_path(response) == reverse("customer:profile-view")
    assert "oscar/customer/profile/profile.html" in _templates(response)


def _assert_wagtail_admin(response):
    assert response.status_code == 200
    assert _final_path(response) == reverse("wagtailadmin_home")
    assert "wagtailadmin/home.html" in _templates(response)


def _assert_operator_area(response):
    assert response.status_code == 200
    assert _final_path(response) == reverse("operator-area:home")
    assert "operators/home.html" in _templates(response)


def test_a_tourist_logs_in_and_lands_on_the_account_page(client):
    user = UserFactory()
    response = _login_from_form(client, user.email)
    _assert_account_page(response)
    assert user.email in response.content.decode()


def _assert_partner_portal(response):
    assert response.status_code == 200
    assert _final_path(response) == reverse("trade:home")
    assert "trade/portal_home.html" in _templates(response)


def _partner_user():
    from tests.trade.factories import PartnerMembershipFactory

    return PartnerMembershipFactory().user


def test_a_trade_partner_lands_on_the_partner_portal(client):
    user = _partner_user()
    response = _login_from_form(client, user.email)
    _assert_partner_portal(response)
    assert user.partner_membership.partner.legal_name in response.content.decode()


def test_a_partner_account_without_a_company_is_asked_to_apply(client):
    user = UserFactory(role=Role.PARTNER)
    response = _login_from_form(client, user.email)
    assert response.status_code == 200 and _final_path(response) == reverse("trade:join")


def test_staff_land_in_wagtail_admin_not_in_oscars_dashboard(client):
    user = UserFactory(role=Role.STAFF)
    _assert_wagtail_admin(_login_from_form(client, user.email))


def test_a_superuser_lands_in_wagtail_admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    _assert_wagtail_admin(_login_from_form(client, user.email))


def test_an_operator_lands_in_the_operator_area(client):
    membership = MembershipFactory()
    response = _login_from_form(client, membership.user.email)
    _assert_operator_area(response)
    assert membership.operator.name in response.content.decode()


@pytest.mark.parametrize(
    ("make_user", "check"),
    [
        (lambda: UserFactory(), _assert_account_page),
        (_partner_user, _assert_partner_portal),
        (lambda: UserFactory(role=Role.STAFF), _assert_wagtail_admin),
        (lambda: MembershipFactory().user, _assert_operator_area),
    ],
    ids=["tourist", "partner", "staff", "operator"],
)
def test_the_headers_account_link_reaches_a_page_for_every_role(client, make_user, check):
    user = make_user()
    _login_from_form(client, user.email)
    home = client.get(reverse("package-catalogue"))
    link = reverse("role-landing")
    assert f'href="{link}"' in home.content.decode()  # the header's "My area"
    check(client.get(link, follow=True))


def test_the_account_summary_does_not_loop(client):
    client.force_login(UserFactory())
    _assert_account_page(client.get(reverse("customer:summary"), follow=True))


def _activate_from_email(client, mailoutbox, email):
    """The sign-up answers "check your e-mail"; the link in it asks for a password and opens the account,
    as a newcomer clicks it and types one."""
    (message,) = [m for m in mailoutbox if m.to == [email]]
    return activate(client, urlsplit(re.search(r"http\S+/activate/\S+/", message.body).group(0)).path)


def test_a_visitor_registers_and_lands_on_the_account_page(client, mailoutbox):
    url = reverse("customer:register")
    assert client.get(url).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail leaves after the commit
        response = client.post(url, {"email": "new.visitor@example.com"}, follow=True)
    assert response.status_code == 200 and "accounts/registered.html" in _templates(response)
    response = _activate_from_email(client, mailoutbox, "new.visitor@example.com")
    _assert_account_page(response)
    assert "new.visitor@example.com" in response.content.decode()


def test_a_visitor_registers_from_the_login_page_and_lands_on_the_account_page(client, mailoutbox):
    url = reverse("customer:login")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url,
            {
                "registration-email": "other.visitor@example.com",
                "registration-redirect_url": "",
                "registration_submit": "",
            },
            follow=True,
        )
    assert response.status_code == 200 and "accounts/registered.html" in _templates(response)
    _assert_account_page(_activate_from_email(client, mailoutbox, "other.visitor@example.com"))


def test_role_landing_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("role-landing"), follow=True)
    assert response.status_code == 200
    assert _final_path(response) == reverse("customer:login")
