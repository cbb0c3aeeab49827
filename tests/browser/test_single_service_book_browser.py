"""A visitor on a service's page (a city walk) in headless Chromium, desktop and phone: the "Choose a
date and book" button is there with the price from, passes axe, and leads to the walk's booking box
in the shop. Screenshots: test-artifacts/single-service-*.png."""

import datetime as dt

import pytest

from packages.services import service_package_sync
from tests.browser.test_partner_journey import serious_violations
from tests.operators.factories import OperatorFactory
from tests.packages.factories import priced_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_service_page_leads_to_its_booking_box(live_server, browser_page, screenshot, viewport):
    operator = OperatorFactory(name="Guide di Lucca", slug="guide-lucca", municipality="lucca")
    walk = priced_service(operator=operator, name="Lucca dentro le Mura", adult="20.00", child="10.00",
                          times=(dt.time(10, 0), dt.time(15, 0)))  # fmt: skip
    package = service_package_sync(service=walk)
    page = browser_page
    page.set_viewport_size(VIEWPORTS[viewport])

    page.goto(f"{live_server.url}/en/local/guide-lucca/{walk.pk}/")
    button = page.get_by_role("link", name="Choose a date and book")
    assert button.is_visible()
    assert "€20.00" in page.inner_text(".op-service__price")
    assert serious_violations(page) == []
    screenshot(page, f"single-service-page-{viewport}")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]

    button.click()
    page.wait_for_url(f"**{package.product.get_absolute_url().replace('/it/', '/en/')}*")
    assert page.locator(".package-booking").first.is_visible()  # the booking box (calendar, party)
    screenshot(page, f"single-service-booking-{viewport}")
