"""Every page says what it may load and who may frame it: strict for the public site, looser for staff."""

import re

import pytest

from tests.factories import UserFactory


def _nonce(response) -> str:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


@pytest.mark.django_db
def test_public_pages_refuse_framing_and_inline_scripts_without_the_nonce(client):
    response = client.get("/it/shop/accounts/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # Every inline script of the page carries this response's nonce (a fresh one per response).
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{_nonce(response)}"' in attrs or "application/" in attrs for attrs in inline)
    assert _nonce(client.get("/it/shop/accounts/login/")) != _nonce(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/django-admin/", "/it/shop/dashboard/"])
def test_staff_areas_may_frame_themselves_and_run_their_libraries_inline_scripts(client, path):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in policy
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "nonce-" not in policy  # a nonce would switch 'unsafe-inline' off
