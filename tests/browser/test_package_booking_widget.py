"""A first-time visitor books a package from its page in Debian's Chromium, at 1280 px and on a 390 px
phone: party then day, day then party, an extra ticked, the total and its lines changing in place (the
page loads once), the calendar used with the keyboard, a handful of Tab presses from the party to
"Add to basket", then "Book now" to the checkout. axe checks the booking box.
Screenshots: test-artifacts/package-widget-*.png."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from operators.models import Hold
from tests.browser.test_partner_journey import serious_violations
from tests.conftest import ARTIFACTS
from tests.packages.factories import make_package, priced_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BOX = "#package-booking-box"


def box_violations(page) -> tuple[list[str], list[str]]:
    """axe's serious and critical findings inside the booking box: (to fix, colour contrast to report).
    Colour contrast is the site's palette (another piece of work): reported, not failed on here."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=BOX)
    found = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    return [f for f in found if not f.startswith("color-contrast")], [
        f for f in found if f.startswith("color-contrast")
    ]


@pytest.fixture(params=list(VIEWPORTS))
def visit(request, live_server, browser_page):
    """The package page opened as a first visitor, in English, counting the page's `load` events."""
    package = make_package(
        services=[priced_service(name="Notte in villa", adult="90.00", child="45.00", days=70),
                  priced_service(name="Noleggio e-bike", adult="25.00", child="15.00", days=70)],
        days=[1, 1], rules=[("per_person", None), ("optional", None)], title="Ville in bicicletta",
    )  # fmt: skip
    page = browser_page
    page.set_viewport_size(VIEWPORTS[request.param])
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    with translation.override("en"):
        url = live_server.url + package.product.get_absolute_url()
    page.goto(url)
    return page, request.param, package, loads


def swap(page, action):
    """Do `action` and wait for the booking box to be swapped in (the box's own request, no page load)."""
    with page.expect_response(lambda response: "/booking/" in response.url and response.status == 200):
        action()
    page.locator(f"{BOX}:not([aria-busy])").wait_for()  # not wait_for_function: the page's CSP allows no eval


def test_a_first_visitor_chooses_and_books_without_a_reload(visit, screenshot):
    page, viewport, package, loads = visit
    width = VIEWPORTS[viewport]["width"]
    ebike = package.components.get(quantity_rule="optional")

    # On a phone "Check dates" is there at once and brings the booking box; on a desktop the box is in view.
    check_dates = page.locator(".package-check-dates")
    if viewport == "phone":
        assert check_dates.is_visible()
        screenshot(page, f"package-widget-0-first-{viewport}")
        check_dates.click()
        expect(page.locator("#id_adults")).to_be_focused()
    else:
        assert not check_dates.is_visible()

    # Party first, then a day.
    swap(
        page,
        lambda: (
            page.fill("#id_adults", "1"),
            page.fill("#id_children_ages", "8"),
            page.press("#id_children_ages", "Tab"),
        ),
    )
    day = page.locator("td.day-available").nth(2)
    date = day.get_attribute("data-date")
    swap(page, lambda: day.locator("a").click())
    assert page.locator(f'td.day-selected[data-date="{date}"]').count() == 1
    assert page.inner_text(".package-total-amount") == "€148.50"  # (90.00 + a child's 45.00) + 10 %
    lines = page.inner_text(".package-lines")
    assert "1 adult" in lines and "€99.00" in lines and "1 child (age 8)" in lines and "€49.50" in lines
    assert f"date={date}" in page.url and "children_ages=8" in page.url  # the address follows the choice
    assert page.evaluate("document.activeElement.dataset.day") == date  # the focus stays on the day

    # An extra ticked: the total and its lines follow.
    swap(page, lambda: page.check(f"#id_extra_{ebike.pk}"))
    assert page.is_checked(f"#id_extra_{ebike.pk}")
    assert page.inner_text(".package-total-amount") == "€192.50"  # + (25.00 + 15.00) + 10 %
    assert "Noleggio e-bike" in page.inner_text(".package-lines") and "€44.00" in page.inner_text(".package-lines")
    assert page.evaluate("document.activeElement.id") == f"id_extra_{ebike.pk}"
    page.locator(BOX).scroll_into_view_if_needed()
    screenshot(page, f"package-widget-1-party-day-extra-{viewport}")

    # Day first, then the party: the day stays chosen, the extra ticked.
    other = page.locator("td.day-available").nth(4)
    other_date = other.get_attribute("data-date")
    swap(page, lambda: other.locator("a").click())
    swap(page, lambda: (page.fill("#id_adults", "2"), page.press("#id_adults", "Tab")))
    assert page.locator(f'td.day-selected[data-date="{other_date}"]').count() == 1
    assert page.is_checked(f"#id_extra_{ebike.pk}")
    assert page.inner_text(".package-total-amount") == "€319.00"  # (2 × 90 + 45 + 2 × 25 + 15) + 10 %
    assert "2 adults × €99.00" in page.inner_text(".package-lines")
    assert page.evaluate("document.activeElement.id") == "id_children_ages"  # where Tab took the visitor

    # The keyboard: the calendar is one Tab stop, arrows move, Enter chooses.
    page.focus(f'td[data-date="{other_date}"] a')
    page.keyboard.press("ArrowRight")
    moved = page.evaluate("document.activeElement.dataset.day")
    assert moved == (dt.date.fromisoformat(other_date) + dt.timedelta(days=1)).isoformat()
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.dataset.day || document.activeElement.dataset.date")
    assert target == (dt.date.fromisoformat(moved) + dt.timedelta(days=7)).isoformat()
    page.keyboard.press("ArrowUp")
    swap(page, lambda: page.keyboard.press("Enter"))
    assert page.locator(f'td.day-selected[data-date="{moved}"]').count() == 1
    assert page.evaluate("document.activeElement.dataset.day") == moved
    label = page.locator(f'td[data-date="{moved}"] a').inner_text()
    assert re.match(r"\w+day \d+ \w+ \d{4}, chosen, available, €\d+\.\d\d for your party", label)
    assert page.locator(f'{BOX} [tabindex="0"]').count() == 1  # roving tabindex: one day in the Tab order
    assert "chosen. Total €319.00" in page.inner_text("#package-booking-status")  # announced (aria-live)

    # From the adults' field to "Add to basket" in a handful of Tab presses.
    page.focus("#id_adults")
    presses = 0
    while not page.evaluate("document.activeElement.matches('.package-add')") and presses < 40:
        page.keyboard.press("Tab")
        presses += 1
    assert presses <= 8, presses

    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    to_fix, contrast = box_violations(page)
    assert to_fix == []
    report = ARTIFACTS / f"package-widget-axe-{viewport}.txt"  # for people to read: not failed on here
    report.write_text(
        f"colour contrast in the booking box: {contrast}\nserious/critical on the page: {serious_violations(page)}\n"
    )
    page.locator(BOX).scroll_into_view_if_needed()
    screenshot(page, f"package-widget-2-keyboard-{viewport}")
    assert len(loads) == 1, loads  # every choice above changed the box in place
    if viewport == "phone":  # the smallest phones: seven columns, Sunday not cut off, no sideways scroll
        page.set_viewport_size({"width": 360, "height": 740})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        sunday = page.locator(".package-calendar th").nth(6).bounding_box()
        calendar = page.locator(".package-calendar").bounding_box()
        assert sunday["x"] + sunday["width"] <= min(calendar["x"] + calendar["width"] + 1, 360)
        page.locator(BOX).scroll_into_view_if_needed()
        screenshot(page, "package-widget-2-keyboard-phone-360")

    # Book now: the line is added with its places held, and the checkout opens.
    page.click(".package-book")
    with translation.override("en"):
        checkout = reverse("checkout:index")
    page.wait_for_url(re.compile(re.escape(checkout)))
    assert Hold.objects.filter(status=Hold.Status.ACTIVE, reference__startswith="basket-line:").count() == 2
    screenshot(page, f"package-widget-3-checkout-{viewport}")
    assert timezone.localdate() <= dt.date.fromisoformat(moved)
