"""A tourist's visit in headless Chromium: home, an area, a collection and an itinerary, with screenshots
saved under test-artifacts/ (gitignored) for people to look at."""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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
def test_tourist_visits_home_area_collection_and_itinerary(live_server, demo_destination, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.route(
            "**/*",
            lambda route: route.abort() if not route.request.url.startswith(live_server.url) else route.continue_(),
        )  # nothing leaves the machine (no tiles, no fonts)

        page.goto(f"{live_server.url}/it/")
        page.wait_for_load_state("load")
        assert page.locator("h1").first.inner_text().startswith("Tra le mura di Lucca")
        assert page.locator("#areas-map .leaflet-interactive").count() == 7  # one marker per area
        page.screenshot(path=str(ARTIFACTS / "cms-home.png"), full_page=True)

        page.locator(".cms-area-list a", has_text="Lucca").first.click()
        page.wait_for_url("**/territori/lucca/")
        assert page.get_by_role("heading", name="Cosa vedere").is_visible()
        assert page.locator(".cms-card", has_text="Mura di Lucca").count() == 1
        page.screenshot(path=str(ARTIFACTS / "cms-area-lucca.png"), full_page=True)

        page.goto(f"{live_server.url}/it/idee/vino-ville/")
        assert "Vino e ville" in page.locator("h1").inner_text()
        page.screenshot(path=str(ARTIFACTS / "cms-collection.png"), full_page=True)

        page.goto(f"{live_server.url}/it/itinerari/")
        page.locator(".cms-card a", has_text="Francigena").click()
        page.wait_for_url("**/itinerari/via-francigena-*/")
        page.wait_for_load_state("load")
        assert page.locator(".cms-stage").count() == 5
        assert page.locator("#route-map .leaflet-interactive").count() >= 5  # markers and the route line
        with page.expect_download() as download:
            page.get_by_role("link", name="Traccia GPX").click()
        assert download.value.suggested_filename.endswith(".gpx")
        page.screenshot(path=str(ARTIFACTS / "cms-itinerary.png"), full_page=True)

        page.locator(".site-lang__link[hreflang=en]").click()
        page.wait_for_url("**/en/itineraries/**")
        assert "Altopascio to Lucca" in page.locator("h1").inner_text()
        assert page.get_by_role("heading", name="Stages").is_visible()
        browser.close()
    assert errors == []
