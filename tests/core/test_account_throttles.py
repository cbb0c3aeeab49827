"""Password resets and sign-ups cannot be sent without limit; sign-up never tells whether an e-mail is taken."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse

from tests.factories import UserFactory

RESET_URL = "/en/shop/password-reset/"
REGISTER_URL = "/en/shop/accounts/register/"
LOGIN_PAGE = "/en/shop/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    settings.SIGNUPS_PER_HOUR = 2
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_password_reset_beyond_the_limit_is_refused_and_sends_nothing(client):
    user = UserFactory()
    for _ in range(2):
        assert client.post(RESET_URL, {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 2
    response = client.post(RESET_URL, {"email": user.email})
    assert response.status_code == 200
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_password_resets_are_limited_per_email_from_any_address():
    user = UserFactory()
    for index in range(2):
        Client(REMOTE_ADDR=f"10.1.0.{index}").post(RESET_URL, {"email": user.email})
    response = Client(REMOTE_ADDR="10.1.0.9").post(RESET_URL, {"email": user.email.upper()})
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == 2


def _register(client, email, url=REGISTER_URL):
    """Sign up as a visitor does; the e-mails leave after the commit (captured and sent here)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, _registration_data(email, url), follow=True)


def activate(client, link, password="Quattro-cinque-6"):
    """Follow the e-mailed link, choose the password on the page it opens, and land where the site sends."""
    page = client.get(link, follow=True)
    assert page.status_code == 200
    return client.post(page.request["PATH_INFO"], {"new_password1": password, "new_password2": password}, follow=True)


def _registration_data(email, url):
    if url == LOGIN_PAGE:
        data = {
            "registration-email": email,
            "registration-password1": "Uno-due-tre-4",
            "registration-password2": "Uno-due-tre-4",
            "registration_submit": "1",
        }
    else:
        data = {"email": email, "password1": "Uno-due-tre-4", "password2": "Uno-due-tre-4"}
    return data


def _page(response) -> str:
    """The page without what differs between any two responses (CSRF tokens, CSP nonces)."""
    return re.sub(r'(value|nonce)="[^"]*"', "", response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("url", [REGISTER_URL, LOGIN_PAGE])
def test_registering_an_existing_email_answers_the_same_page_as_a_new_one(url):
    existing = UserFactory(email="anna@example.com")
    taken = _register(Client(), "Anna@Example.com", url)
    new = _register(Client(), "bruno@example.com", url)
    assert taken.redirect_chain == new.redirect_chain
    assert taken.status_code == new.status_code == 200
    assert _page(taken) == _page(new)
    assert "already exists" not in _page(taken)
    assert "_auth_user_id" not in taken.client.session and "_auth_user_id" not in new.client.session
    # Each inbox learns its own answer: the account holder a note, the newcomer an activation link.
    notice, activation = mail.outbox
    assert notice.to == [existing.email] and "already has an account" in notice.body
    assert activation.to == ["bruno@example.com"] and "/en/shop/accounts/activate/" in activation.body


def _link(message) -> str:
    return urlsplit(re.search(r"http\S+/activate/\S+/", message.body).group(0)).path


@pytest.mark.django_db
def test_the_activation_link_asks_for_the_password_and_opens_the_account_once():
    from django.contrib.auth import get_user_model

    _register(Client(), "carla@example.com")
    user = get_user_model().objects.get(email="carla@example.com")
    assert not user.is_active and not user.has_usable_password()  # no password until the inbox is proven
    link = _link(mail.outbox[0])
    client = Client()
    response = activate(client, link)
    assert response.status_code == 200 and "Your account is active" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.check_password("Quattro-cinque-6")
    assert client.session["_auth_user_id"] == str(user.pk)
    again = Client().get(link, follow=True)
    assert "invalid or has already been used" in again.content.decode()
    assert "_auth_user_id" not in again.client.session


@pytest.mark.django_db
def test_someone_signing_up_first_with_another_persons_email_cannot_log_into_the_account_it_becomes():
    """The first sign-up sets no password, so whoever opens the account from the inbox chooses it."""
    from django.contrib.auth import get_user_model

    _register(Client(), "dora@example.com")  # someone else, first
    _register(Client(), "dora@example.com")  # Dora herself: the same link again
    assert len(mail.outbox) == 2 and all(m.to == ["dora@example.com"] for m in mail.outbox)
    assert activate(Client(), _link(mail.outbox[1]), password="Dora-sceglie-7").status_code == 200
    user = get_user_model().objects.get(email="dora@example.com")
    assert user.check_password("Dora-sceglie-7") and not user.check_password("Uno-due-tre-4")


@pytest.mark.django_db
def test_signing_up_again_never_reopens_an_account_staff_switched_off():
    banned = UserFactory(email="eva@example.com", is_active=False)
    _register(Client(), "eva@example.com")
    [notice] = mail.outbox
    assert "already has an account" in notice.body and "/activate/" not in notice.body
    banned.refresh_from_db()
    assert not banned.is_active


@pytest.mark.django_db
def test_sign_ups_beyond_the_limit_are_refused(client):
    for index in range(2):
        _register(client, f"guest{index}@example.com")
    response = _register(client, "guest9@example.com")
    assert "Too many sign-ups" in response.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_wagtail_admin_password_reset_is_throttled_too(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(2):
        assert client.post("/admin/password_reset/", {"email": staff.email}).status_code == 302
    response = client.post("/admin/password_reset/", {"email": staff.email})
    assert "Troppe richieste di reimpostazione della password" in response.content.decode()  # the admin's Italian
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("option", ["anonymous", "new"])
def test_the_checkout_gateway_does_not_tell_whether_an_email_has_an_account(client, option):
    """A guest and a would-be new account are answered alike for a known and an unknown address."""
    from oscar.test.factories import create_product

    known = UserFactory().email
    product = create_product(title="Wine tasting", price=Decimal("120.00"), num_in_stock=10)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    answers = [
        client.post(reverse("checkout:index"), {"username": email, "options": option})
        for email in (known, "nobody.yet@example.com")
    ]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"].split("?")[0] == answers[1]["Location"].split("?")[0]
