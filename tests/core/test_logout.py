"""Logging out takes a POST with the CSRF token: a link or image elsewhere cannot log a visitor out."""

import pytest
from django.test import Client

from tests.factories import UserFactory

LOGOUT_URLS = ["/it/shop/accounts/logout/", "/admin/logout/", "/django-admin/logout/", "/it/shop/dashboard/logout/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LOGOUT_URLS)
def test_a_get_does_not_log_out(client, url):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 405
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_the_headers_logout_button_posts_with_csrf_and_logs_out():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    page = client.get("/it/shop/accounts/").content.decode()
    if "logout_link" not in page:  # the account page may redirect: the header is on every shop page
        page = client.get("/it/shop/basket/").content.decode()
    form = page.split('class="site-logout"', 1)[0].rsplit("<form", 1)[1] + page.split('class="site-logout"', 1)[1]
    assert 'method="post"' in form and 'action="/it/shop/accounts/logout/"' in form
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert client.post("/it/shop/accounts/logout/").status_code == 403  # no token: refused
    assert "_auth_user_id" in client.session
    response = client.post("/it/shop/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
