"""The tourist's journeys, from the home page to the voucher, as first-time visitors take them on the demo
destination (`load_demo`, the content `make demo` serves), in Debian's Chromium.

Each journey starts in a fresh browser context (no cookies, no history) at the home page and follows links
and buttons in the order a newcomer clicks them; every redirect is followed to the page that answers. The
tests count what the visitor does from the package page to the paid booking: pages loaded and clicks,
against the issue's targets (the booking box changes without a reload, then at most three checkout pages).
axe runs on every page (no serious or critical violation, colour contrast included); no page is wider
than the screen. Screenshots: test-artifacts/journey-*.png, for people to look at.

JOURNEY_URL=http://127.0.0.1:8000 runs the same journeys against a running `make demo` instead of the
test server (nothing is loaded then: the demo must be fresh, as `make demo` leaves it).
"""

import io
import os
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from tests.browser.test_partner_journey import serious_violations

pytestmark = pytest.mark.browser

TOURIST = ("turista@terredilucca.example", "tourist-demo")  # printed by load_demo
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_url(request, settings):
    """The site under test: a running demo (JOURNEY_URL) or the test server with the demo loaded, paying
    with the demo payment as `make demo` does (no Stripe key)."""
    settings.STRIPE_SECRET_KEY = ""
    external = os.environ.get("JOURNEY_URL")
    if external:
        return external.rstrip("/")
    return request.getfixturevalue("demo_site").url  # loaded once for the package (conftest.py)


class Visitor:
    """One first-time visitor: a fresh browser context that can only reach the site, counting the pages it
    loads and the clicks it makes, checking every page with axe and for sideways scrolling."""

    def __init__(self, browser, base: str, viewport: dict, name: str, javascript: bool = True):
        self.context = browser.new_context(viewport=viewport, java_script_enabled=javascript, accept_downloads=True)
        self.context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.loads = 0
        self.page.on("load", lambda: setattr(self, "loads", self.loads + 1))
        self.clicks = 0
        self.base, self.width, self.name, self.shots = base, viewport["width"], name, 0
        self.javascript = javascript
        self.violations: dict[str, list[str]] = {}

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.page.locator(selector).first.click()
        self.page.wait_for_load_state()

    def look(self, what: str) -> str:
        """Screenshot, axe and width check of the page as it is now; returns its main text."""
        self.shots += 1
        self.page.screenshot(path=f"test-artifacts/journey-{self.name}-{self.shots:02d}-{what}.png", full_page=True)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= self.width, f"{what} is too wide"
        if self.javascript:  # axe is a script: a page without JavaScript is checked by the other journeys
            self.violations[what] = serious_violations(self.page)
        return self.page.inner_text("main")

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], f"JavaScript errors: {self.errors}"
        bad = {page: found for page, found in self.violations.items() if found}
        assert bad == {}, f"axe (serious or critical): {bad}"


@pytest.fixture
def browser(demo_page):
    os.makedirs("test-artifacts", exist_ok=True)
    return demo_page.context.browser


def book_in_the_box(v: Visitor, *, adults: str, children: str, day_first: bool) -> None:
    """Choose party and day in the package page's booking box, in either order, without a reload."""
    page = v.page

    def party():
        page.fill("#id_adults", adults)
        page.fill("#id_children_ages", children)
        page.locator("#id_children_ages").press("Tab")

    def day():
        v.clicks += 1
        page.locator("td.day-available a").nth(2).click()
        page.locator("td.day-selected").wait_for()

    first, then = (day, party) if day_first else (party, day)
    first()
    then()
    expected = f"{adults} adult"
    page.locator(".package-total", has_text=expected).wait_for()


def checkout_as_guest(v: Visitor, email: str, others: list[str]) -> None:
    page = v.page
    page.fill("#id_username", email)
    page.check("input[name=options][value=anonymous]")
    v.click("form button[type=submit].btn-primary")
    fill_travellers(v, others)


def fill_travellers(v: Visitor, others: list[str]) -> None:
    page = v.page
    page.locator("#id_lead_first_name").wait_for()
    v.look("travellers")
    page.fill("#id_lead_first_name", "Giulia")
    page.fill("#id_lead_last_name", "Bianchi")
    page.fill("#id_lead_phone", "+39 0583 123456")
    if page.locator("#id_other_travellers").count():
        page.fill("#id_other_travellers", "\n".join(others))
    page.check("#id_accept_policy")
    v.click("#travellers_form button[type=submit]")


def at_home(browser, base: str, viewport: dict, name: str, language: str) -> Visitor:
    """A new visitor on the home page in `language`."""
    v = Visitor(browser, base, viewport, f"{name}-{language}-{viewport['width']}")
    v.open(f"/{language}/")
    return v


def pdf_text(download) -> str:
    with open(download.path(), "rb") as f:
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)


@pytest.mark.parametrize("language,viewport", [("en", DESKTOP), ("it", PHONE)], ids=["en-desktop", "it-phone"])
def test_a_guest_goes_from_the_home_page_through_a_collection_to_a_paid_package_voucher_and_cancellation(
    browser, demo_url, language, viewport
):
    v = at_home(browser, demo_url, viewport, "guest", language)
    page = v.page
    v.look("home")
    v.click(".section--sand .cms-card a")  # the first collection "chosen for you" on the home page
    v.look("collection")
    v.click("main a[href*='/shop/catalogue/']")  # its first package
    assert "/shop/catalogue/" in page.url
    v.look("package")
    if viewport is PHONE:  # the booking box is one tap away on a phone
        v.click(".package-check-dates")
        assert page.locator("#id_adults").evaluate("el => el === document.activeElement")

    loads, clicks = v.loads, v.clicks
    book_in_the_box(v, adults="2", children="8", day_first=False)
    assert v.loads == loads, "choosing the party and the day reloaded the page"
    v.look("package-chosen")
    assert re.search(r"2 (adults|adulti)", page.inner_text(".package-lines"))
    v.click("button.package-book")  # Book now
    v.look("gateway")
    checkout_as_guest(v, "giulia@example.com", ["Marco Bianchi", "Sofia Bianchi"])
    v.look("payment")
    v.click("#place-order")
    main = v.look("confirmation")
    pages, steps = v.loads - loads, v.clicks - clicks
    assert pages <= 4, f"{pages} pages from the package page to the confirmation (gateway, travellers, payment)"
    assert steps <= 6, f"{steps} clicks from the package page to the paid booking"
    assert "Giulia" in main or "giulia@example.com" in main

    with page.expect_download() as info:
        v.clicks += 1
        page.click("#download-voucher")
    text = pdf_text(info.value)
    assert "Terre di Lucca e Casentino" in text

    # The guest cancels from the link in the confirmation email, as a guest must (no account).
    if not os.environ.get("JOURNEY_URL"):
        link = next(
            re.search(r"https?://\S+/cancel/\S+/", m.body).group(0)
            for m in mail.outbox
            if "giulia@example.com" in m.to and re.search(r"/cancel/\S+/", m.body)
        )
        v.page.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), demo_url))
        v.look("cancel")
        assert page.locator(".cancel-rule").count() >= 1  # the rule that applies, before anything happens
        page.fill("#id_who", "Bianchi")
        v.click("main form button[type=submit]")  # without the confirmation: nothing changes
        assert page.locator("#id_confirm[aria-invalid=true]").count() == 1
        page.fill("#id_who", "Bianchi")
        page.check("#id_confirm")
        v.click("main form button[type=submit]")
        v.look("cancelled")
        assert page.locator(".alert-success").count() == 1
    v.close()


@pytest.mark.parametrize("language,viewport", [("it", PHONE), ("en", DESKTOP)], ids=["it-phone", "en-desktop"])
def test_a_tourist_logs_in_books_a_single_experience_from_the_home_page_and_keeps_the_voucher(
    browser, demo_url, language, viewport
):
    v = at_home(browser, demo_url, viewport, "tourist", language)
    page = v.page
    if viewport is PHONE:
        v.click(".navbar-toggler")
    v.click("#login_link")
    v.look("login")
    page.fill("#id_login-username", TOURIST[0])
    page.fill("#id_login-password", TOURIST[1])
    v.click("button[name=login_submit]")
    v.click(".site-brand")  # back to the destination's home page
    v.click(".cms-home-offers .cms-card a[href*='/local/']")  # an experience "you can book"
    v.look("service")
    v.click("a.op-service__book")
    assert "/shop/catalogue/" in page.url
    v.look("experience")

    loads = v.loads
    book_in_the_box(v, adults="2", children="", day_first=True)
    assert v.loads == loads, "choosing the day and the party reloaded the page"
    v.look("experience-chosen")
    v.click("button.package-add")  # Add to basket: the basket, then the checkout
    main = v.look("basket")
    assert "Image" not in main
    v.click("main a[href$='/checkout/'].btn")
    fill_travellers(v, ["Marco Bianchi"])  # logged in: no "who are you" page
    v.look("payment")
    v.click("#place-order")
    v.look("confirmation")
    pages = v.loads - loads
    assert pages <= 4, f"{pages} pages from the experience's page to the confirmation (basket, travellers, payment)"

    if viewport is PHONE:
        v.click(".navbar-toggler")
    v.click(".site-header a[href$='/welcome/']")  # "My area": the tourist's account
    v.click("a[href$='/accounts/orders/']")
    v.click("main a[href*='/accounts/orders/1']")  # the order just paid
    v.look("order")
    with page.expect_download() as info:
        page.click("#download-voucher")
    assert "Terre di Lucca e Casentino" in pdf_text(info.value)
    v.close()


def test_without_javascript_a_visitor_still_books_a_package(browser, demo_url):
    v = Visitor(browser, demo_url, DESKTOP, "nojs-en-1280", javascript=False)
    page = v.page
    v.open("/en/")
    v.click(".site-header a[href$='/shop/catalogue/']")
    v.look("catalogue")
    v.click("main .card-title a")
    page.fill("#id_adults", "3")
    v.click(".package-party-submit")  # "Update prices": the page reloads for the party
    v.click("td.day-available a")
    assert page.locator("td.day-selected").count() == 1
    assert "3 adults" in page.inner_text(".package-total")
    v.look("package-chosen")
    v.click("button.package-book")
    assert "/checkout/" in page.url
    v.look("gateway")
    v.close()
