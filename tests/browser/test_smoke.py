import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_and_shop_front_render_in_a_real_browser(live_server, browser_page, screenshot):
    call_command("load_demo", quiet_logins=True)

    browser_page.goto(f"{live_server.url}/it/")
    assert browser_page.locator("h1").first.inner_text().startswith("Tra le mura di Lucca")
    assert browser_page.locator(".site-brand__name").inner_text() == "Terre di Lucca e Casentino"
    screenshot(browser_page, "home-it")

    browser_page.click("a.site-lang__link[hreflang=en]")
    browser_page.wait_for_url(f"{live_server.url}/en/")
    assert "From the walls of Lucca" in browser_page.locator("h1").first.inner_text()

    browser_page.goto(f"{live_server.url}/en/shop/catalogue/")
    assert browser_page.locator(".site-footer").is_visible()
    screenshot(browser_page, "shop-en")
