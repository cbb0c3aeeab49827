"""Guessing passwords stops after a few tries, on every login form, per account and per address."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "secret-pass"  # UserFactory's
LOGINS = {
    "shop": ("/it/shop/accounts/login/", "login-username", "login-password", {"login_submit": "1"}),
    "wagtail admin": ("/admin/login/", "username", "password", {}),
    "django admin": ("/django-admin/login/", "username", "password", {}),
}


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _login(client, form, username, password, address="10.0.0.1"):
    url, user_field, password_field, extra = LOGINS[form]
    data = {user_field: username, password_field: password, **extra}
    return client.post(url, data, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("form", LOGINS)
def test_after_the_limit_even_the_right_password_is_refused_with_the_lockout_message(client, limits, form):
    user = UserFactory(is_staff=True, is_superuser=True)
    username = user.email if form == "shop" else user.username
    for _ in range(2):
        assert _login(client, form, username, "wrong").status_code == 200  # the form again, with its error
    assert _login(client, form, username, "wrong").status_code == 429  # the third failure locks
    response = _login(client, form, username, PASSWORD)
    assert response.status_code == 429
    assert 'id="lockout-message"' in response.content.decode()
    assert not _logged_in(client)


@pytest.mark.django_db
def test_the_account_is_locked_from_any_address_and_any_letter_case(limits):
    user = UserFactory()
    for index in range(3):
        _login(Client(), "shop", user.email.upper(), "wrong", address=f"10.0.1.{index}")
    client = Client()
    assert _login(client, "shop", user.email, PASSWORD, address="10.0.2.1").status_code == 429
    assert not _logged_in(client)


@pytest.mark.django_db
def test_an_address_guessing_many_accounts_is_locked_for_all_of_them(limits):
    victims = UserFactory.create_batch(3)
    for victim in victims:
        _login(Client(), "shop", victim.email, "wrong", address="10.0.3.1")
    other = UserFactory()
    client = Client()
    assert _login(client, "shop", other.email, PASSWORD, address="10.0.3.1").status_code == 429
    assert _login(client, "shop", other.email, PASSWORD, address="10.0.3.2").status_code == 302  # elsewhere: fine
    assert _logged_in(client)


@pytest.mark.django_db
def test_a_few_typos_do_not_lock_anyone_out(client, limits):
    user = UserFactory()
    _login(client, "shop", user.email, "wrong")
    _login(client, "shop", user.email, "wrong")
    assert _login(client, "shop", user.email, PASSWORD).status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_the_lockout_page_speaks_the_visitors_language(client, limits):
    user = UserFactory()
    for _ in range(3):
        _login(client, "shop", user.email, "wrong")
    response = _login(client, "shop", user.email, PASSWORD)
    assert response.status_code == 429
    assert "Troppi tentativi" in response.content.decode()


@pytest.mark.django_db
def test_the_checkout_gateway_password_counts_towards_the_lockout(client, limits):
    """The checkout's "returning customer" form checks passwords too: it must not be a way around."""
    from oscar.test.factories import create_product

    user = UserFactory()
    product = create_product(title="Wine tasting", price=Decimal("120.00"), num_in_stock=10)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    for _ in range(3):
        client.post(
            reverse("checkout:index"),
            {"username": user.email, "password": "wrong", "options": "existing"},
            REMOTE_ADDR="10.0.4.1",
        )
    assert _login(Client(), "shop", user.email, PASSWORD, address="10.0.4.2").status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_the_address_the_proxy_saw_is_counted_not_the_proxy_nor_what_the_client_wrote(limits, settings):
    """With TRUSTED_PROXY_COUNT=1 every request comes from the proxy's REMOTE_ADDR; the guesser is known by
    the entry the proxy appended to X-Forwarded-For, whatever it wrote to the left of it."""
    settings.TRUSTED_PROXY_COUNT = 1
    victims = UserFactory.create_batch(3)
    for index, victim in enumerate(victims):
        Client().post(LOGINS["shop"][0], {"login-username": victim.email, "login-password": "wrong", "login_submit": "1"},
                      REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{index}, 203.0.113.7")  # fmt: skip
    guesser, visitor = UserFactory(), UserFactory()
    data = {"login_submit": "1", "login-password": PASSWORD}
    refused = Client().post(LOGINS["shop"][0], {**data, "login-username": guesser.email}, REMOTE_ADDR="127.0.0.1",
                            HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")  # fmt: skip
    assert refused.status_code == 429
    client = Client()
    client.post(LOGINS["shop"][0], {**data, "login-username": visitor.email}, REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.8")  # fmt: skip
    assert _logged_in(client)  # another visitor behind the same proxy is not locked out
