"""An operator's day in Debian's Chromium: a first-time operator logs in through the real form and lands
on its dashboard (today's and tomorrow's arrivals, the month's money), finds a booking by the guest's
name, opens the day's manifest and checks a voucher in by typing its code (and a second time is told
when and by whom it was used) — at 1280 px and at 390 px, with axe's accessibility checks. Screenshots
go to test-artifacts/operator-day-*.png for people to look at."""

import pytest

from tests.browser.test_partner_journey import PASSWORD, serious_violations
from tests.operators.day_world import day_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_operator_finds_a_booking_opens_the_manifest_and_checks_in(
    live_server, browser_page, screenshot, settings, django_capture_on_commit_callbacks, width
):
    world = day_world(settings, django_capture_on_commit_callbacks)
    user = world.guide.user
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    violations = {}

    def shot(name):
        screenshot(page, f"operator-day-{width}-{name}")
        violations[name] = serious_violations(page)

    page.goto(f"{live_server.url}/en/shop/accounts/login/")
    page.fill("#id_login-username", user.email)
    page.fill("#id_login-password", PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_url(f"{live_server.url}/en/operators/")
    body = page.locator("main, body").first.inner_text()
    assert "Today" in body and "Lucca dentro le Mura" in body and "This month's money" in body
    shot("1-dashboard")

    page.get_by_role("link", name="Find a booking").click()
    page.wait_for_url("**/operators/bookings/")
    page.fill("#id_q", "Müller")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/operators/bookings/?**")
    table = page.locator("table.op-bookings").inner_text()
    assert "Hans Müller" in table and "Toskana Reisen GmbH" in table and "Giulia Bianchi" not in table
    shot("2-bookings-found")

    page.goto(f"{live_server.url}/en/operators/")
    page.get_by_role("link", name="Open the manifest").first.click()
    page.wait_for_url("**/operators/manifest/?date=**")
    manifest = page.locator(".op-manifest").inner_text()
    assert "Giulia Bianchi" in manifest and "Hans Müller" in manifest and "Two walking sticks" in manifest
    shot("3-manifest")
    page.emulate_media(media="print")  # what the printed page holds: the guests, no menus or buttons
    screenshot(page, f"operator-day-{width}-3-manifest-print")
    assert not page.get_by_role("button", name="Print").is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Check in a voucher").first.click()
    page.wait_for_url("**/operators/check-in/")
    page.fill("#id_code", world.portal.code)
    page.get_by_role("button", name="Check in", exact=True).click()
    page.wait_for_load_state()
    result = page.locator(".op-result").inner_text()
    assert "Checked in" in result and "Hans Müller" in result
    shot("4-checked-in")

    page.fill("#id_code", world.portal.code)
    page.get_by_role("button", name="Check in", exact=True).click()
    page.wait_for_load_state()
    assert "Already used" in page.locator(".op-result").inner_text()
    assert "Paolo Guida" in page.locator(".op-result").inner_text()
    shot("5-already-used")

    assert {name: found for name, found in violations.items() if found} == {}


# A stand-in for the browser's BarcodeDetector (Chromium on Linux has none): it "reads" the QR text the
# test puts in window.__qr, so the page's own script (operators/static/operators/day.js) is what is tested.
FAKE_DETECTOR = """
window.BarcodeDetector = class {
  constructor(options) { this.formats = options.formats; }
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  detect(source) { return Promise.resolve(window.__qr ? [{ rawValue: window.__qr, format: "qr_code" }] : []); }
};
"""


def test_a_photo_of_the_qr_code_checks_in(live_server, browser_page, settings, django_capture_on_commit_callbacks,
                                         tmp_path):  # fmt: skip
    import qrcode

    world = day_world(settings, django_capture_on_commit_callbacks)
    text = f"{settings.DMC_NAME}|order|{world.web.number}"  # what packages/voucher.py encodes
    photo = tmp_path / "voucher-qr.png"
    qrcode.make(text).save(photo)
    page = browser_page
    page.add_init_script(FAKE_DETECTOR)
    page.goto(f"{live_server.url}/en/shop/accounts/login/")
    page.fill("#id_login-username", world.guide.user.email)
    page.fill("#id_login-password", PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_url(f"{live_server.url}/en/operators/")
    page.goto(f"{live_server.url}/en/operators/check-in/")
    assert page.get_by_role("button", name="Scan the QR code with the camera").is_visible()
    page.evaluate("text => { window.__qr = text; }", text)
    with page.expect_navigation():
        page.locator("input[data-scan-file]").set_input_files(str(photo))
    result = page.locator(".op-result").inner_text()
    assert "Checked in" in result and "Giulia Bianchi" in result
