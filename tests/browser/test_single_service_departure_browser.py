"""A visitor on a 390 px phone books the city walk (departures 10:00, 11:30, 15:00 and 17:00, as in the
demo) from its page in Debian's Chromium: a day, then the 15:00 departure, the total, "Add to basket",
all without reloading the page (its `load` events are counted); the basket then shows 15:00. axe checks
the booking box with its departure radios. Screenshots: test-artifacts/single-service-departure-*.png."""

import datetime as dt

import pytest
from django.utils import translation
from playwright.sync_api import expect

from operators.models import Hold
from packages.services import service_package_sync
from tests.browser.test_package_booking_widget import BOX, box_violations, swap
from tests.operators.factories import OperatorFactory
from tests.packages.factories import priced_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEPARTURES = (dt.time(10, 0), dt.time(11, 30), dt.time(15, 0), dt.time(17, 0))


def test_a_phone_visitor_picks_the_15_00_walk_without_a_reload(live_server, browser_page, screenshot):
    operator = OperatorFactory(name="Guide di Lucca", slug="guide-lucca", municipality="lucca")
    walk = priced_service(operator=operator, name="Lucca dentro le Mura", adult="20.00", child="10.00",
                          times=DEPARTURES, capacity=12, duration_minutes=150)  # fmt: skip
    package = service_package_sync(service=walk)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    with translation.override("en"):
        page.goto(live_server.url + package.product.get_absolute_url())

    assert "2 h 30 min" in page.inner_text(".package-facts") and "Day by day" not in page.content()

    day = page.locator("td.day-available").nth(2)
    date = day.get_attribute("data-date")
    swap(page, lambda: day.locator("a").click())
    radios = page.locator(f"{BOX} input[name=start_time]")
    assert radios.count() == 4
    expect(page.get_by_label("10:00")).to_be_checked()  # the first with room, until the visitor chooses

    swap(page, lambda: page.get_by_label("15:00").check())
    expect(page.get_by_label("15:00")).to_be_checked()
    assert "start_time=15%3A00" in page.url and f"date={date}" in page.url  # a reload shows the same choice
    assert page.inner_text(".package-total-amount") == "€40.00"
    assert "15:00" in page.inner_text(".package-total p")
    expect(page.locator("#package-booking-status")).to_contain_text("15:00 departure chosen. Total €40.00.")
    to_fix, _contrast = box_violations(page)
    assert to_fix == []
    page.locator(f"{BOX} .package-departures").scroll_into_view_if_needed()
    screenshot(page, "single-service-departure-1-chosen-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert len(loads) == 1, loads  # the day and the time changed the box in place

    page.locator(".package-add").click()
    page.wait_for_url("**/basket/**")
    assert "15:00" in page.inner_text(".package-line-details")
    assert Hold.objects.get(status=Hold.Status.ACTIVE).slot.start_time == dt.time(15, 0)
    screenshot(page, "single-service-departure-2-basket-phone")
