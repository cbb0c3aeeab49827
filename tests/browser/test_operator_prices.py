"""An operator reprices a season on one screen and reads the history, in Debian's Chromium at 1280 px and
390 px: on a phone the area's menu opens from its button; axe finds no serious or critical violation.
Screenshots in test-artifacts/ (operator-prices-grid-*.png, operator-prices-history-*.png,
operator-menu-390.png) for people to judge."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.test_partner_journey import PASSWORD, serious_violations
from tests.operators.factories import MembershipFactory, RateFactory, SeasonFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def operator_season(transactional_db):
    year = dt.date.today().year + 1
    membership = MembershipFactory(operator__name="Fattoria di Camigliano", user__first_name="Anna",
                                   user__last_name="Bianchi")  # fmt: skip
    service = ServiceFactory(operator=membership.operator, name="Degustazione in cantina", capacity_model="per_person")
    season = SeasonFactory(service=service, name=f"Estate {year}", starts_on=dt.date(year, 6, 1),
                           ends_on=dt.date(year, 8, 31))  # fmt: skip
    RateFactory(season=season, category="adult", amount=Decimal("30.00"))
    return membership.user, season


@pytest.mark.parametrize("width", [1280, 390])
def test_operator_edits_a_seasons_prices_in_the_grid_and_sees_the_history(
    live_server, browser_page, screenshot, operator_season, width
):
    user, season = operator_season
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/en/shop/accounts/login/")
    page.fill("#id_login-username", user.email)
    page.fill("#id_login-password", PASSWORD)
    page.locator("button[name=login_submit]").click()

    page.goto(f"{live_server.url}/en/operators/services/")
    menu = page.locator("#area-nav-links")
    if width < 768:  # on a phone the menu is one button until opened, with every page of the area
        assert not menu.is_visible()
        page.get_by_role("button", name="Menu").click()
        assert menu.is_visible()
        screenshot(page, "operator-menu-390")
    for name in ("Bookings", "Services", "Team", "Profile", "Statement", "Labels"):
        assert menu.get_by_role("link", name=name, exact=True).is_visible()

    page.get_by_role("link", name="Prices").first.click()
    page.get_by_role("link", name=f"Edit prices Estate {season.starts_on.year}").click()
    grid = page.locator("table.price-grid")
    assert grid.get_by_role("rowheader", name="Adult").is_visible()
    assert serious_violations(page) == []

    page.get_by_label("Adult, Every day").fill("32.50")
    page.get_by_label("Child, Every day").fill("-4")  # a wrong cell: nothing is saved
    page.get_by_role("button", name="Save prices").click()
    assert page.get_by_text("Please correct the errors below.").is_visible()
    assert page.get_by_label("Child, Every day").get_attribute("aria-invalid") == "true"
    screenshot(page, f"operator-prices-grid-{width}")
    assert season.rates.get(category="adult").amount == Decimal("30.00")

    page.get_by_label("Child, Every day").fill("15")
    page.get_by_role("button", name="Save prices").click()
    assert page.get_by_text("2 prices changed.").is_visible()
    history = page.locator("section.history")
    assert history.get_by_text("30.00 → 32.50").is_visible()
    assert history.get_by_text("Anna Bianchi").first.is_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    history.scroll_into_view_if_needed()
    screenshot(page, f"operator-prices-history-{width}")
