"""DMC staff translate an Italian page into English with wagtail-localize, in Debian's Chromium at 1280 px
and 390 px: the Italian page says it is not translated yet, "Translate" starts the English version, the
translation editor takes a segment, "Publish in English" publishes it and the English page reads it.
axe finds no serious or critical violation on the public page (our markup); screenshots in
test-artifacts/ (translate-*.png) for people to judge."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from marketplace.core.roles import Role, role_groups_sync
from tests.browser.test_partner_journey import PASSWORD, serious_violations
from tests.cms.factories import build_site
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_and_tree(transactional_db):
    # wagtail-localize's permission comes from a data migration, which a transactional test's flush undoes.
    content_type = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")[0]
    Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    tree = build_site()  # first: a flushed database has no tree root for the staff's page permissions
    role_groups_sync()
    staff = UserFactory(role=Role.STAFF, first_name="Chiara", last_name="Martini")
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"  # Wagtail's admin speaks the user's language (the site's is Italian)
    profile.save()
    return staff, tree


def _shoot_admin(page, screenshot, name: str, width: int):
    """Wagtail's admin scrolls inside its main column: make the window as tall as the page to shoot it all."""
    height = page.evaluate("Math.max(...[...document.querySelectorAll('body, main, main *')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": width, "height": min(height + 100, 8000)})
    page.wait_for_timeout(200)
    screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_translates_an_italian_page_into_english(live_server, browser_page, screenshot, staff_and_tree, width):
    staff, tree = staff_and_tree
    market = tree["market"]
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", staff.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{market.pk}/edit/")
    assert page.get_by_text("Not translated yet into: English.").is_visible()
    _shoot_admin(page, screenshot, "translate-1-italian-page", width)

    page.goto(f"{live_server.url}/admin/localize/submit/page/{market.pk}/")
    page.get_by_label("English").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/*/edit/")
    page.get_by_role("button", name="Translate").first.click()
    page.locator("textarea").first.fill("Farmers' market")
    page.get_by_role("button", name="Save").first.click()
    page.get_by_text("Farmers' market").first.wait_for()
    _shoot_admin(page, screenshot, "translate-2-editor", width)
    page.get_by_role("button", name="Publish in English").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Published").first.is_visible()

    english = market.get_translation(Locale.objects.get(language_code="en")).specific
    assert english.live and english.title == "Farmers' market"
    page.goto(f"{live_server.url}{english.url}")
    assert page.locator("h1").inner_text() == "Farmers' market"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"translate-3-english-page-{width}")
    assert serious_violations(page) == []
