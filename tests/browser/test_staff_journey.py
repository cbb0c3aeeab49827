"""A DMC staff member's morning, in Debian's Chromium, at 1280 px and at 390 px: log in through the site's
form and land on Wagtail's admin home, approve the operator the "Needs you" panel lists, choose an offer
for a collection with the offer chooser (search and a filter), and find an order by its departure date in
Oscar's order list. axe finds no serious or critical violation of our markup on each screen; screenshots
in test-artifacts/staff-*.png for people to look at.

Data from the factories and the real services (the checkout buys the order), not the demo."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from cms.models import CollectionPage
from marketplace.core.roles import Role, role_groups_sync
from operators.models import Operator, Service
from tests.browser.test_partner_journey import PASSWORD, serious_violations
from tests.cms.factories import build_site, stream
from tests.factories import UserFactory
from tests.operators.factories import OperatorFactory
from tests.packages.conftest import buy
from tests.packages.factories import make_package, priced_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning(transactional_db, settings, django_capture_on_commit_callbacks):
    """A pending operator, two operators' services in a package, a collection holding one service, and a
    guest's order of the package leaving in 12 days; the staff member reads the admin in English."""
    settings.STRIPE_SECRET_KEY = ""
    today = timezone.localdate()
    site = build_site()  # may create the root page (a flushed database has none): the staff's rights follow
    role_groups_sync()
    pending = OperatorFactory(name="Forno di Poppi", status=Operator.Status.PENDING, municipality="poppi")
    winery = OperatorFactory(name="Fattoria Colle Verde", kind=Operator.Kind.WINERY, municipality="capannori")
    guide = OperatorFactory(name="Guide del Casentino", kind=Operator.Kind.GUIDE, municipality="poppi")
    tasting = priced_service(operator=winery, name="Degustazione in cantina", kind=Service.Kind.EXPERIENCE)
    walk = priced_service(operator=guide, name="Passeggiata nella foresta", kind=Service.Kind.EXPERIENCE)
    package = make_package(services=[tasting, walk], days=[1, 2], title="Vigne e foreste")
    collection = site["collection"].specific
    collection.offers = stream(("offer", f"service:{tasting.pk}"))
    collection.save_revision().publish()
    departure = today + dt.timedelta(days=12)
    order = buy(Client(), package, departure, django_capture_on_commit_callbacks)
    staff = UserFactory(role=Role.STAFF, first_name="Chiara", last_name="Martini")
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    return {"staff": staff, "pending": pending, "package": package, "collection": collection, "order": order,
            "departure": departure}  # fmt: skip


# Wagtail's own known issues, not our markup: its modal workflow's dialog has no accessible name, and the
# Draftail rich-text editor's contenteditable (.notranslate) is an ARIA textbox without one.
WAGTAIL_KNOWN = ("aria-dialog-name: ARIA dialog and alertdialog nodes should have an accessible name [['.modal']]",
                 "aria-input-field-name: ARIA input fields must have an accessible name [['.notranslate']]")  # fmt: skip


# Oscar's dashboard theme, not our markup: Bootstrap 4's link and button blue (#007bff) on white and its
# badges fall short of 4.5:1, and its navigation bar puts other elements directly in a <ul>.
OSCAR_THEME_RULES = ("color-contrast:", "list:")


def ours(violations: list[str], oscar: bool = False) -> list[str]:
    return [
        v for v in violations
        if v not in WAGTAIL_KNOWN and not (oscar and v.startswith(OSCAR_THEME_RULES))
    ]  # fmt: skip


def _shoot(page, screenshot, name: str, width: int):
    """Wagtail's admin scrolls inside its own column: make the window as tall as the page, then shoot."""
    height = page.evaluate("Math.max(...[...document.querySelectorAll('body, main, main *')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": width, "height": min(height + 100, 12000)})
    page.wait_for_timeout(200)
    screenshot(page, f"staff-{name}-{width}")
    page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_approve_an_operator_choose_an_offer_and_find_an_order(
    live_server, browser_page, screenshot, morning, width
):
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": width, "height": 900})

    # Log in on the site's form: staff land on Wagtail's admin home, the panel lists what waits.
    page.goto(f"{base}/en/shop/accounts/login/")
    page.fill("#id_login-username", morning["staff"].email)
    page.fill("#id_login-password", PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_url(f"{base}/admin/")
    panel = page.locator("#staff-todo-section")
    assert panel.get_by_text("Operators waiting for approval").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shoot(page, screenshot, "home", width)
    assert (found := serious_violations(page)) == [], found

    # Approve the pending operator from the panel.
    panel.get_by_role("link", name="Forno di Poppi").click()
    page.wait_for_load_state("load")
    page.select_option("select[name=status]", "approved")
    page.get_by_role("button", name="Decide and email the operator").click()
    page.wait_for_load_state("load")
    morning["pending"].refresh_from_db()
    assert morning["pending"].status == Operator.Status.APPROVED

    # Choose the package for the collection: the chooser's search and its area filter.
    collection = morning["collection"]
    page.goto(f"{base}/admin/pages/{collection.pk}/edit/")
    offers = page.locator("[data-contentpath=offers]")
    page.wait_for_load_state("networkidle")  # the StreamField is drawn by Wagtail's script
    offers.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("button", name="Choose an offer").last.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_label("Search term").fill("vigne")
    modal.get_by_label("Area").select_option("piana-di-lucca")
    expect(modal.get_by_text("Degustazione in cantina")).to_have_count(0)  # the search left the service out
    expect(modal.locator("select[name=area]")).to_have_value("piana-di-lucca")
    choice = modal.get_by_role("link", name="Vigne e foreste")
    choice.wait_for()
    _shoot(page, screenshot, "chooser", width)
    assert (found := ours(serious_violations(page))) == [], found
    choice.click()
    page.get_by_text("Package · Vigne e foreste").wait_for()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")
    draft = CollectionPage.objects.get(pk=collection.pk).get_latest_revision_as_object()
    assert draft.offer_refs() == [f"service:{collection.offer_refs()[0].split(':')[1]}",
                                  f"package:{morning['package'].pk}"]  # fmt: skip

    # Find the order by its departure date in Oscar's order list.
    order, departure = morning["order"], morning["departure"]
    page.goto(f"{base}/en/shop/dashboard/orders/")
    page.fill("#id_order_departure_from", (departure - dt.timedelta(days=1)).isoformat())
    page.fill("#id_order_departure_to", (departure + dt.timedelta(days=1)).isoformat())
    page.locator("#search_form input[type=submit]").click()
    page.wait_for_load_state("load")
    row = page.locator("#order-list tbody tr")
    assert row.count() == 1
    text = row.inner_text()
    assert order.number in text and "Vigne e foreste" in text and "Giulia Bianchi" in text
    assert re.search(r"Departure between", page.content())
    screenshot(page, f"staff-orders-{width}")
    # Oscar's bulk-action script adds a "select all" checkbox without a label to the first header cell.
    found = ours(serious_violations(page, exclude=('input[name="select_all"]',)), oscar=True)
    assert found == [], found
