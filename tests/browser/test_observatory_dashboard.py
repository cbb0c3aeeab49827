"""DMC staff open the observatory in Wagtail's admin, in Debian's Chromium, at 1280 px and 390 px: the
charts are drawn (canvases with pixels on them), the map shades the municipalities' outlines, the
tables are there, axe finds no serious or critical violation, and the page is never wider than the
screen. Screenshots in test-artifacts/ (observatory-1280.png, observatory-390.png) for people to judge.

Bookings are real: trade partners book operators' services in both areas over the coming months
through the trade service, and each booking is refreshed into facts as the receivers do."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from marketplace.core.roles import Role, role_groups_sync
from marketplace.observatory.facts import facts_refresh_trade_booking
from marketplace.trade.bookings import TradeRequest, trade_book
from operators.models import Service
from operators.pricing import Party
from packages.models import PackageSupplierTerms
from tests.browser.test_partner_journey import PASSWORD, serious_violations
from tests.factories import UserFactory
from tests.operators.factories import OperatorFactory
from tests.packages.factories import priced_service
from tests.trade.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (operator, municipality, service, kind, adult price)
OFFER = [
    ("Villa Oliva", "lucca", "Camera in villa", Service.Kind.ACCOMMODATION, "96.00"),
    ("Guide di Lucca", "lucca", "Lucca dentro le Mura", Service.Kind.EXPERIENCE, "22.00"),
    ("Fattoria Colle Verde", "montecarlo", "Degustazione", Service.Kind.EXPERIENCE, "34.00"),
    ("Agriturismo Le Pizzorne", "capannori", "Camera con vista", Service.Kind.ACCOMMODATION, "78.00"),
    ("Casentino Bike", "poppi", "E-bike nel Casentino", Service.Kind.EXPERIENCE, "45.00"),
    ("Locanda del Castello", "bibbiena", "Camera doppia", Service.Kind.ACCOMMODATION, "88.00"),
    ("Rifugio Falterona", "pratovecchio-stia", "Escursione alle sorgenti dell'Arno", Service.Kind.EXPERIENCE, "28.00"),
]


@pytest.fixture
def season(transactional_db):
    """About sixty bookings of two partners over the coming five months, in both areas."""
    role_groups_sync()
    today = timezone.localdate()
    services = []
    for name, municipality, service, kind, price in OFFER:
        operator = OperatorFactory(name=name, municipality=municipality)
        PackageSupplierTerms.objects.create(operator=operator, commission_percent=Decimal("30"))  # the DMC's share
        services.append(priced_service(operator=operator, name=service, kind=kind, adult=price, child="15.00",
                                       capacity=40, days=160))  # fmt: skip
    partners = [
        ContractFactory(
            partner__legal_name="Reisen Toskana GmbH", partner__country="DE", valid_to=today + dt.timedelta(days=200)
        ).partner,  # fmt: skip
        ContractFactory(
            partner__legal_name="Tuscany Trails Inc.", partner__country="US", valid_to=today + dt.timedelta(days=200)
        ).partner,  # fmt: skip
    ]
    for n in range(60):
        service = services[(n * 5) % len(services)]
        on = today + dt.timedelta(days=3 + (n * 37) % 150)
        party = Party(adults=1 + n % 4, children_ages=(9,) if n % 3 == 0 else ())
        booking = trade_book(partner=partners[n % 2], user=None, request=TradeRequest(
            product=service, on=on, party=party, lead_first_name="Anna", lead_last_name="Schmidt"))  # fmt: skip
        facts_refresh_trade_booking(booking.pk)
    staff = UserFactory(role=Role.STAFF, first_name="Chiara", last_name="Martini")
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    return staff, today


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_read_the_observatory_charts_map_and_tables(live_server, browser_page, screenshot, season, width):
    staff, today = season
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", staff.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    end = today + dt.timedelta(days=160)
    page.goto(f"{live_server.url}/admin/observatory/?start={today.replace(day=1)}&end={end}&compare=on")
    page.wait_for_load_state("load")
    page.wait_for_selector("canvas[data-drawn='1']")

    charts = page.locator("canvas[data-obs-chart]")
    assert charts.count() >= 1
    painted = page.evaluate("""() => [...document.querySelectorAll('canvas[data-obs-chart]')].map(c => {
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) inked++; }
        return c.dataset.drawn === '1' && c.width > 100 && inked > 500;
    })""")
    assert painted and all(painted), painted
    # The map: both areas' municipalities drawn, those with guests shaded, and a legend.
    assert page.locator(".obs-map[data-obs-chart]").count() == 1
    page.wait_for_selector(".obs-map[data-drawn='1']")
    assert page.locator(".obs-map path.leaflet-interactive").count() == 11
    shaded = page.evaluate("""() => [...document.querySelectorAll('.obs-map path.leaflet-interactive')]
        .map(p => p.getAttribute('fill')).filter(f => f && f !== '#eceff2').length""")
    assert shaded == 6  # the six municipalities with operators booked
    assert page.locator(".obs-legend li").count() >= 3
    assert page.locator("table.obs-table caption").count() >= 2
    assert page.locator("table.obs-table th[scope=col]").count() >= 4
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Wagtail's admin scrolls inside its main column: make the window as tall as the page to shoot it all.
    height = page.evaluate("Math.max(...[...document.querySelectorAll('body, main, main *')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": width, "height": min(height + 100, 16000)})
    page.wait_for_timeout(300)  # the charts follow the resize
    path = screenshot(page, f"observatory-{width}")
    assert path.exists()
    assert serious_violations(page) == []
