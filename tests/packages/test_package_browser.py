"""Headless Chromium through a package purchase: calendar, party, basket with held places, demo payment.

Screenshots go to test-artifacts/package-*.png (gitignored) for people to look at.
"""

import pytest
from django.urls import reverse

from operators.models import Reservation
from packages.models import PackageBooking
from tests.packages.factories import make_package, priced_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tourist_picks_a_day_and_a_party_and_buys_a_package(live_server, browser_page, screenshot, settings):
    settings.STRIPE_SECRET_KEY = ""
    package = make_package(
        services=[priced_service(name="Notte in villa", adult="90.00", child="45.00", days=70),
                  priced_service(name="Degustazione Montecarlo DOC", adult="30.00", child="10.00", days=70)],
        days=[1, 2], title="Ville e vino nelle colline lucchesi",
    )  # fmt: skip
    page = browser_page

    page.goto(live_server.url + package.product.get_absolute_url())
    screenshot(page, "package-1-package")
    page.fill("#id_adults", "2")
    page.fill("#id_children_ages", "8")

    def swapped(action):  # the booking box changes in place (static/packages/package-page.js)
        with page.expect_response(lambda response: "/booking/" in response.url):
            action()
        page.locator("#package-booking-box:not([aria-busy])").wait_for()  # no wait_for_function: CSP has no eval

    swapped(lambda: page.press("#id_children_ages", "Enter"))  # "Update prices" (hidden when scripts run)
    swapped(lambda: page.click("a[aria-label] >> nth=-1"))  # next month: a full month of sellable days
    swapped(lambda: page.click("td.day-available a >> nth=3"))
    screenshot(page, "package-2-day-chosen")
    total = page.inner_text(".package-total-amount")
    assert "€" in total
    page.click(".package-total form button.package-add")

    page.wait_for_url(f"**{reverse('basket:summary')}")
    body = page.inner_text("body")
    assert "Ville e vino nelle colline lucchesi" in body
    screenshot(page, "package-3-basket")
    page.click(f"a[href='{reverse('checkout:index')}']")

    page.fill("#id_username", "giulia@example.com")
    page.check("input[name=options][value=anonymous]")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"**{reverse('checkout:travellers')}")
    page.fill("#id_lead_first_name", "Giulia")
    page.fill("#id_lead_last_name", "Bianchi")
    page.fill("#id_lead_phone", "+39 0583 123456")
    page.fill("#id_other_travellers", "Marco Bianchi\nSofia Bianchi")
    page.check("#id_accept_policy")
    screenshot(page, "package-4-travellers")
    page.click("#travellers_form button[type=submit]")

    page.wait_for_url(f"**{reverse('checkout:payment-details')}")
    screenshot(page, "package-5-payment")
    page.click("#place-order")
    page.wait_for_url(f"**{reverse('checkout:thank-you')}")
    screenshot(page, "package-6-thank-you")

    booking = PackageBooking.objects.get()
    assert booking.party == {"adults": 2, "children_ages": [8], "infants": 0, "seniors": 0}
    assert str(booking.price).replace(".", ",") in total
    assert Reservation.objects.filter(reference=booking.capacity_reference).count() == 2


def test_tourist_ticks_an_optional_extra_and_the_total_and_the_basket_follow(live_server, browser_page, screenshot):
    """The progressive enhancement: ticking an extra re-renders the total at once (no button press, and
    no page load: the booking box is swapped in place)."""
    import datetime as dt

    from django.utils import timezone

    package = make_package(
        services=[priced_service(name="Notte in villa", adult="90.00", days=20),
                  priced_service(name="Noleggio e-bike", adult="25.00", days=20)],
        days=[1, 1], markup="10", rules=[("per_person", None), ("optional", None)],
        title="Ville in bicicletta",
    )  # fmt: skip
    ebike = package.components.get(quantity_rule="optional")
    on = timezone.localdate() + dt.timedelta(days=5)
    page = browser_page

    page.goto(f"{live_server.url}{package.product.get_absolute_url()}?adults=2&date={on.isoformat()}")
    assert "198,00" in page.inner_text(".package-total-amount")  # 2 × 90 + 10 %
    with page.expect_response(lambda response: "/booking/" in response.url):
        page.check(f"#id_extra_{ebike.pk}")
    page.locator("#package-booking-box:not([aria-busy])").wait_for()  # no wait_for_function: CSP has no eval
    assert page.is_checked(f"#id_extra_{ebike.pk}")
    assert "253,00" in page.inner_text(".package-total-amount")  # + 2 × 25 + 10 %
    screenshot(page, "package-extra-1-ticked")
    page.click(".package-total button.package-add")

    page.wait_for_url(f"**{reverse('basket:summary')}")
    assert "Noleggio e-bike" in page.inner_text(".package-line")
    screenshot(page, "package-extra-2-basket")
    from operators.models import Hold

    assert Hold.objects.filter(slot__service_id=ebike.service_id, status=Hold.Status.ACTIVE, quantity=2).exists()
