"""Headless Chromium through the demo checkout: product page to thank-you, a screenshot at each step.

Screenshots go to $BROWSER_SCREENSHOTS (default: pytest's tmp dir) so a failing run can be looked at.
"""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from oscar.apps.catalogue.models import ProductClass
from oscar.apps.order.models import Order
from oscar.test.factories import create_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        yield page
        browser.close()


def test_tourist_checks_out_with_the_demo_payment(live_server, browser_page, settings, tmp_path):
    settings.STRIPE_SECRET_KEY = ""
    shots = Path(os.environ.get("BROWSER_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    ProductClass.objects.create(name="Experience", slug="experience", requires_shipping=False, track_stock=True)
    product = create_product(
        title="Cena in villa a Capannori", product_class="Experience", price=Decimal("85.00"), num_in_stock=5
    )
    page = browser_page

    page.goto(live_server.url + product.get_absolute_url())
    page.screenshot(path=shots / "1-product.png")
    page.click("#add_to_basket_form button[type=submit]")
    page.goto(live_server.url + reverse("basket:summary"))
    page.screenshot(path=shots / "2-basket.png")
    page.click(f"a[href='{reverse('checkout:index')}']")

    page.fill("#id_username", "giulia@example.com")
    page.check("input[name=options][value=anonymous]")
    page.screenshot(path=shots / "3-gateway.png")
    page.click("form button[type=submit].btn-primary")

    page.wait_for_url(f"**{reverse('checkout:travellers')}")
    page.fill("#id_lead_first_name", "Giulia")
    page.fill("#id_lead_last_name", "Bianchi")
    page.fill("#id_lead_phone", "+39 0583 123456")
    page.fill("#id_other_travellers", "Marco Bianchi")
    page.check("#id_accept_policy")
    page.screenshot(path=shots / "4-travellers.png")
    page.click("#travellers_form button[type=submit]")

    page.wait_for_url(f"**{reverse('checkout:payment-details')}")
    assert "nessun addebito" in page.inner_text("body")
    page.screenshot(path=shots / "5-payment.png")
    page.click("#place-order")

    page.wait_for_url(f"**{reverse('checkout:thank-you')}")
    page.screenshot(path=shots / "6-thank-you.png", full_page=True)
    order = Order.objects.get()
    assert order.number in page.inner_text("body")
    assert order.travellers.other_travellers == ["Marco Bianchi"]
