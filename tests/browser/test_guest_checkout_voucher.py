"""A guest on a phone (390 px) goes from the basket to the confirmation and downloads the voucher.

axe runs on every page; serious and critical violations fail the test, except colour contrast, which
the site's stylesheet owns: those are reported as a warning in pytest's summary and left to it. Screenshots go to
test-artifacts/guest-checkout-*.png.
"""

import datetime as dt
import io
import warnings

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from tests.browser.test_partner_journey import serious_violations
from tests.packages.conftest import extras  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def axe_check(page, name: str, contrast: list[str]) -> None:
    found = serious_violations(page)
    contrast.extend(f"{name}: {v}" for v in found if v.startswith("color-contrast"))
    others = [v for v in found if not v.startswith("color-contrast")]
    assert others == [], f"{name}: {others}"


def test_a_guest_on_a_phone_books_and_downloads_the_voucher(
    live_server,
    browser_page,
    screenshot,
    extras,  # noqa: F811
    settings,
):
    settings.STRIPE_SECRET_KEY = ""
    package = extras.package
    package.title_it, package.title_en = "Vigne e ville", "Vineyards and villas"
    package.save()
    on = timezone.localdate() + dt.timedelta(days=40)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    contrast: list[str] = []

    with translation.override("en"):
        basket_url, add_url = reverse("basket:summary"), reverse("packages:basket-add", kwargs={"pk": package.pk})
        travellers_url, payment_url = reverse("checkout:travellers"), reverse("checkout:payment-details")
        thank_you_url, login_url = reverse("checkout:thank-you"), reverse("customer:login")
        checkout_url = reverse("checkout:index")
    # The package page's form (another part of the site, with its own browser tests) posts this; the
    # browser's session and CSRF cookies come along with the page's request context.
    page.goto(live_server.url + login_url)
    csrf = page.input_value("input[name=csrfmiddlewaretoken] >> nth=0")
    response = page.request.post(live_server.url + add_url, form={
        "csrfmiddlewaretoken": csrf, "date": on.isoformat(), "adults": "2", "children_ages": "8", "infants": "0",
        "extra": str(extras.ebike.pk)}, headers={"Referer": live_server.url + basket_url})  # fmt: skip
    assert response.ok, response.status

    page.goto(live_server.url + basket_url)
    body = page.inner_text("main")
    assert "Vineyards and villas" in body and "2 adults, 1 child (8)" in body
    assert "Noleggio e-bike" in body and "No shipping required" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "guest-checkout-1-basket")
    axe_check(page, "basket", contrast)
    page.click(f"a[href='{checkout_url}'].btn")

    page.fill("#id_username", "giulia@example.com")
    page.check("input[name=options][value=anonymous]")
    screenshot(page, "guest-checkout-2-gateway")
    axe_check(page, "gateway", contrast)
    page.click("form button[type=submit].btn-primary")

    page.wait_for_url(f"**{travellers_url}")
    page.fill("#id_lead_first_name", "Giulia")
    page.fill("#id_lead_last_name", "Bianchi")
    page.fill("#id_lead_phone", "+39 0583 123456")
    page.check("#id_accept_policy")
    page.click("#travellers_form button[type=submit]")  # the party of 3 has not been named yet
    page.wait_for_url(f"**{travellers_url}")
    assert "give the names of the other 2 travellers" in page.inner_text("main")
    page.fill("#id_other_travellers", "Marco Bianchi\nSofia Bianchi")
    page.check("#id_accept_policy")
    screenshot(page, "guest-checkout-3-travellers")
    axe_check(page, "travellers", contrast)
    page.click("#travellers_form button[type=submit]")

    page.wait_for_url(f"**{payment_url}")
    assert "Vineyards and villas" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "guest-checkout-4-payment")
    axe_check(page, "payment", contrast)
    page.click("#place-order")

    page.wait_for_url(f"**{thank_you_url}")
    main = page.inner_text("main")
    assert "Vineyards and villas" in main and "Shipping" not in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "guest-checkout-5-confirmation")
    axe_check(page, "confirmation", contrast)
    with page.expect_download() as download_info:
        page.click("#download-voucher")
    download = download_info.value
    assert download.suggested_filename.startswith("voucher-") and download.suggested_filename.endswith(".pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages)
    assert "Vineyards and villas" in text and "Free cancellation until" in text

    if contrast:
        warnings.warn("Colour contrast (left to the site's stylesheet):\n" + "\n".join(contrast), stacklevel=1)
