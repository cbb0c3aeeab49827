"""A partner's administrator connects its reservation system, in Debian's Chromium as a first visit: log
in through the real form, land on the portal, follow "Connect your reservation system" to the API keys,
make a key, read it once, call the OCTO API with it over HTTP; then open the Calendars tab and fetch the
bookings feed the page shows. At 1280 px and at 390 px (no page wider than the screen), with axe."""

import re

import pytest

from tests.browser.test_partner_journey import PASSWORD, partner_user, serious_violations  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_partner_makes_a_key_that_works_and_subscribes_to_its_calendar(
    live_server,
    browser_page,
    partner_user,  # noqa: F811
    width,
    settings,
):
    settings.SITE_URL = live_server.url  # the public origin the Calendars page writes the feed URLs on
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    found = {}

    def check(name):
        page.wait_for_load_state("load")  # the stylesheets applied: a page is measured as it is painted
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} is wider than the screen"
        found[name] = [v for v in serious_violations(page) if not v.startswith("color-contrast")]

    page.goto(f"{live_server.url}/en/shop/accounts/login/")
    page.fill("#id_login-username", partner_user.email)
    page.fill("#id_login-password", PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_url(f"{live_server.url}/en/trade/")
    assert "Connect your reservation system" in page.content()

    page.locator("main").get_by_role("link", name="API keys").first.click()
    page.wait_for_url("**/en/trade/api/keys/")
    check("keys")
    page.fill("#id_name", "Booking system")
    page.get_by_role("button", name="Make the key").click()
    secret = page.locator("[data-secret]").inner_text().strip()
    assert secret.startswith("octo_")
    check("new-key")

    answer = page.request.get(f"{live_server.url}/api/octo/products", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    assert "Degustazione in cantina a Montecarlo" in [p["internalName"] for p in answer.json()]
    page.reload()  # shown once: the page no longer holds it
    assert secret not in page.content()

    page.get_by_role("link", name="Calendars").first.click()
    page.wait_for_url("**/en/trade/calendars/")
    check("calendars")
    feed = page.locator("#feed-bookings").input_value()
    calendar = page.request.get(feed)
    assert calendar.status == 200 and calendar.headers["content-type"].startswith("text/calendar")
    assert re.search(r"BEGIN:VCALENDAR.*END:VCALENDAR", calendar.text(), re.S)
    assert {name: v for name, v in found.items() if v} == {}
