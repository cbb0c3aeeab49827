"""A tourist's visit in headless Chromium: home, an area, a collection and an itinerary, with screenshots
saved under test-artifacts/ (gitignored) for people to look at."""

import pytest


@pytest.fixture
def demo_destination(settings, transactional_db):
    # Real files, so the live server can serve the generated pictures (tests use in-memory storage).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    from cms.demo import load

    load()


@pytest.mark.browser
def test_tourist_visits_home_area_collection_and_itinerary(live_server, demo_destination, browser_page, screenshot):
    page = browser_page
    page.goto(f"{live_server.url}/it/")
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text().startswith("Tra le mura di Lucca")
    assert page.locator("#areas-map .leaflet-interactive").count() == 7  # one marker per area
    screenshot(page, "cms-home")

    page.locator(".cms-area-list a", has_text="Lucca").first.click()
    page.wait_for_url("**/territori/lucca/")
    assert page.get_by_role("heading", name="Cosa vedere").is_visible()
    assert page.locator(".cms-card", has_text="Mura di Lucca").count() == 1
    screenshot(page, "cms-area-lucca")

    page.goto(f"{live_server.url}/it/idee/vino-ville/")
    assert "Vino e ville" in page.locator("h1").inner_text()
    screenshot(page, "cms-collection")

    page.goto(f"{live_server.url}/it/itinerari/")
    page.locator(".cms-card a", has_text="Francigena").click()
    page.wait_for_url("**/itinerari/via-francigena-*/")
    page.wait_for_load_state("load")
    assert page.locator(".cms-stage").count() == 5
    assert page.locator("#route-map .leaflet-interactive").count() >= 5  # markers and the route line
    with page.expect_download() as download:
        page.get_by_role("link", name="Traccia GPX").click()
    assert download.value.suggested_filename.endswith(".gpx")
    screenshot(page, "cms-itinerary")

    page.locator(".site-lang__link[hreflang=en]").click()
    page.wait_for_url("**/en/itineraries/**")
    assert "Altopascio to Lucca" in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Stages").is_visible()
