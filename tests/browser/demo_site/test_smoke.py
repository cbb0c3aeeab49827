import pytest

pytestmark = pytest.mark.browser


def test_home_page_and_shop_front_render_in_a_real_browser(demo_site, demo_page, screenshot):

    demo_page.goto(f"{demo_site.url}/it/")
    assert demo_page.locator("h1").first.inner_text().startswith("Tra le mura di Lucca")
    assert demo_page.locator(".site-brand__name").inner_text() == "Terre di Lucca e Casentino"
    screenshot(demo_page, "home-it")

    demo_page.click("a.site-lang__link[hreflang=en]")
    demo_page.wait_for_url(f"{demo_site.url}/en/")
    assert "From the walls of Lucca" in demo_page.locator("h1").first.inner_text()

    demo_page.goto(f"{demo_site.url}/en/shop/catalogue/")
    assert demo_page.locator(".site-footer").is_visible()
    screenshot(demo_page, "shop-en")
