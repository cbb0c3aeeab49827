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
    from tests.operators.factories import OperatorFactory

    # An approved operator in Lucca with its place (the cms demo has pages only): the area map shows it.
    OperatorFactory(name="Fattoria Le Mura", municipality="lucca", latitude="43.835000", longitude="10.520000")
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
    # The map's points are not in the page: its script loads the area's GeoJSON, one marker per point.
    page.wait_for_selector("#area-map[data-loaded='1']")
    points = page.evaluate("fetch('/it/map/points.geojson?area=lucca').then(r => r.json())")["features"]
    assert {p["properties"]["kind"] for p in points} == {"point_of_interest", "operator"}
    assert page.locator("#area-map .leaflet-interactive").count() == len(points)
    assert page.locator("#area-map .cms-map__label", has_text="Mura di Lucca").count() == 1
    assert page.locator("#area-map .cms-map__label", has_text="Fattoria Le Mura").count() == 1
    screenshot(page, "cms-area-lucca")
    page.get_by_role("link", name="I luoghi della mappa, in elenco").click()
    page.wait_for_url("**/map/places/?area=lucca")
    assert page.locator(".cms-places li").count() == len(points)  # the same places, without JavaScript

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
