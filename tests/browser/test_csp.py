"""The Content-Security-Policy lets the staff tools and the shop work: no violation in the console.

The browser_page fixture fails the test on any CSP violation or JavaScript error.
"""

import pytest

from tests.cms.factories import build_site
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _admin_login(page, url, user, password):
    page.goto(f"{url}/admin/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/admin/")


def test_wagtail_page_editor_and_oscar_dashboard_load_without_csp_violations(live_server, browser_page):
    user = UserFactory(is_staff=True, is_superuser=True)
    user.set_password("correct horse battery")
    user.save()
    _admin_login(browser_page, live_server.url, user, "correct horse battery")
    area = build_site()["area"]
    browser_page.goto(f"{live_server.url}/admin/pages/{area.pk}/edit/")
    browser_page.wait_for_selector("form#page-edit-form")
    browser_page.wait_for_load_state("networkidle")
    # The public page of the same area (its map and scripts) under the public policy.
    browser_page.goto(f"{live_server.url}{area.url}")
    browser_page.wait_for_load_state("networkidle")
    browser_page.goto(f"{live_server.url}/it/shop/dashboard/")
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.locator("body").is_visible()
    browser_page.goto(f"{live_server.url}/django-admin/")
    browser_page.wait_for_load_state("networkidle")


def test_public_pages_run_their_scripts_under_the_policy(live_server, browser_page):
    browser_page.goto(f"{live_server.url}/it/shop/accounts/login/")
    browser_page.wait_for_load_state("networkidle")
    # The inline onbodyload script (with its nonce) ran: a refused one would be a console violation.
    assert browser_page.evaluate("typeof window.jQuery") == "function"
