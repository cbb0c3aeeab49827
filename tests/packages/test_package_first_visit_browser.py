"""A first-time visitor in headless Chromium, on a desktop and on a 390 px phone: clicking a day first
chooses it for the party shown; typing a party first and then clicking a day (without "Update prices")
chooses the day for the typed party. Screenshots: test-artifacts/package-first-visit-*.png."""

import pytest

from tests.packages.factories import make_package, priced_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def visitor(request, live_server, browser_page):
    """The package page opened as a first visitor (no party, no date in the URL) on one viewport."""
    package = make_package(
        services=[priced_service(name="Notte in villa", adult="90.00", child="45.00", days=70)], days=[1]
    )  # 90.00 an adult, 45.00 a child, 10 % markup
    browser_page.set_viewport_size(VIEWPORTS[request.param])
    browser_page.goto(live_server.url + package.product.get_absolute_url())
    return browser_page, request.param


def test_a_first_visitor_clicks_a_day_first(visitor, screenshot):
    page, viewport = visitor
    day = page.locator("td.day-available").nth(2)
    date = day.get_attribute("data-date")
    day.locator("a").click()
    page.wait_for_url(f"**date={date}*")
    assert page.locator(f'td.day-selected[data-date="{date}"]').count() == 1
    assert "198,00" in page.inner_text(".package-total-amount")  # 2 adults, the party shown
    page.locator(".package-total").scroll_into_view_if_needed()
    screenshot(page, f"package-first-visit-day-first-{viewport}")
    # The calendar fits the screen: the page never scrolls sideways, on a phone either.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]


def test_a_first_visitor_types_a_party_then_clicks_a_day(visitor, screenshot):
    page, viewport = visitor
    page.fill("#id_adults", "1")
    page.fill("#id_children_ages", "8")
    day = page.locator("td.day-available").nth(2)
    date = day.get_attribute("data-date")
    day.locator("a").click()  # no "Update prices" press
    page.wait_for_url(f"**date={date}*")
    assert page.locator(f'td.day-selected[data-date="{date}"]').count() == 1
    assert page.input_value("#id_adults") == "1"
    assert page.input_value("#id_children_ages") == "8"
    assert "148,50" in page.inner_text(".package-total-amount")  # (90.00 + 45.00) + 10 %
    page.locator(".package-total").scroll_into_view_if_needed()
    screenshot(page, f"package-first-visit-party-first-{viewport}")
