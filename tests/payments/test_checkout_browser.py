"""Headless Chromium through the demo checkout: product page to thank-you, a screenshot at each step.

Screenshots go to test-artifacts/checkout-*.png (gitignored) for people to look at.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.apps.catalogue.models import ProductClass
from oscar.apps.order.models import Order
from oscar.test.factories import create_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tourist_checks_out_with_the_demo_payment(live_server, browser_page, screenshot, settings):
    settings.STRIPE_SECRET_KEY = ""
    ProductClass.objects.create(name="Experience", slug="experience", requires_shipping=False, track_stock=True)
    product = create_product(
        title="Cena in villa a Capannori", product_class="Experience", price=Decimal("85.00"), num_in_stock=5
    )
    page = browser_page

    page.goto(live_server.url + product.get_absolute_url())
    screenshot(page, "checkout-1-product")
    page.click("#add_to_basket_form button[type=submit]")
    page.goto(live_server.url + reverse("basket:summary"))
    screenshot(page, "checkout-2-basket")
    page.click(f"a[href='{reverse('checkout:index')}']")

    page.fill("#id_username", "giulia@example.com")
    page.check("input[name=options][value=anonymous]")
    screenshot(page, "checkout-3-gateway")
    page.click("form button[type=submit].btn-primary")

    page.wait_for_url(f"**{reverse('checkout:travellers')}")
    page.fill("#id_lead_first_name", "Giulia")
    page.fill("#id_lead_last_name", "Bianchi")
    page.fill("#id_lead_phone", "+39 0583 123456")
    page.fill("#id_other_travellers", "Marco Bianchi")
    page.check("#id_accept_policy")
    screenshot(page, "checkout-4-travellers")
    page.click("#travellers_form button[type=submit]")

    page.wait_for_url(f"**{reverse('checkout:payment-details')}")
    assert "nessun addebito" in page.inner_text("body")
    screenshot(page, "checkout-5-payment")
    page.click("#place-order")

    page.wait_for_url(f"**{reverse('checkout:thank-you')}")
    screenshot(page, "checkout-6-thank-you")
    order = Order.objects.get()
    assert order.number in page.inner_text("body")
    assert order.travellers.other_travellers == ["Marco Bianchi"]
