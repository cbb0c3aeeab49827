"""A visitor filters the shop's catalogue by a quality label in headless Chromium, on the demo data
(operators, packages with their photos, labels), with a screenshot under test-artifacts/."""

import pytest
from django.urls import reverse


@pytest.fixture
def demo_shop(settings, transactional_db):
    # Real files, so the live server can serve the photos and the labels' logos (tests use in-memory storage).
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    from certifications import demo as certifications_demo
    from marketplace.core.demo import load_users
    from operators import demo as operators_demo
    from packages import demo as packages_demo

    load_users()
    operators_demo.load()
    packages_demo.load()
    certifications_demo.load()


@pytest.mark.browser
def test_visitor_filters_the_catalogue_by_label(live_server, demo_shop, browser_page, screenshot):
    page = browser_page
    page.goto(f"{live_server.url}{reverse('catalogue:index')}")
    page.wait_for_load_state("load")
    all_cards = page.locator(".package-card").count()
    assert all_cards >= 10
    screenshot(page, "packages-catalogue")

    page.select_option("#id_label", "vetrina-toscana")
    page.locator(".catalogue-filters button[type=submit]").click()
    page.wait_for_url("**/shop/catalogue/?*label=vetrina-toscana*")
    page.wait_for_load_state("load")
    cards = page.locator(".package-card")
    assert 0 < cards.count() < all_cards
    for i in range(cards.count()):
        assert cards.nth(i).locator(".cert-label__name", has_text="Vetrina Toscana").count() == 1
    assert page.locator(".catalogue-scheme").is_visible()
    assert page.locator(".package-card img").first.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "packages-catalogue-label")

    cards.first.locator(".card-title a").click()
    page.wait_for_load_state("load")
    assert page.locator(".package-labels .cert-label__name", has_text="Vetrina Toscana").count() == 1
    screenshot(page, "packages-page-labels")
