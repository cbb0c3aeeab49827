"""The tourist's pages pass axe (WCAG 2.2 AA rules, colour contrast included) with no serious or critical
violation, on a desktop and on a phone: home, an area, a point of interest, an itinerary, a collection, the
catalogue, a package, a local service, the basket, the legal terms and the login page (also once refused,
with its error summary); on a phone also in Italian. Nothing is excluded: the package page's booking box is
checked too."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.test_partner_journey import serious_violations

pytestmark = pytest.mark.browser


def _pages(language: str = "en") -> dict[str, str]:
    from cms.models import AreaPage, CollectionPage, ItineraryPage, PointOfInterestPage
    from operators.models import Service
    from packages.models import Package

    def first(model):
        return model.objects.live().filter(locale__language_code=language).first().url

    with translation.override(language):
        package = Package.objects.filter(status=Package.Status.PUBLISHED, price_from__isnull=False).first()
        service = Service.objects.filter(is_active=True).select_related("operator").first()
        pages = {
            "home": f"/{language}/",
            "area": AreaPage.objects.get(locale__language_code=language, slug="lucca").url,
            "place": first(PointOfInterestPage),
            "itinerary": first(ItineraryPage),
            "collection": first(CollectionPage),
            "catalogue": reverse("catalogue:index"),
            "package": package.product.get_absolute_url(),
            "service": reverse("operators-public:service", kwargs={"slug": service.operator.slug, "pk": service.pk}),
            "basket": reverse("basket:summary"),
            "terms": reverse("legal-terms"),
            "login": reverse("customer:login"),
        }
    return pages


def test_tourist_pages_have_no_serious_accessibility_violations(demo_site, demo_page, screenshot):
    pages = _pages()
    italian = {f"{name}-it": url for name, url in _pages("it").items() if name not in ("terms", "login")}
    found = {}
    shots: list[Path] = []
    for width, height in ((1280, 900), (390, 844)):
        demo_page.set_viewport_size({"width": width, "height": height})
        for name, url in (pages | italian if width < 500 else pages).items():
            response = demo_page.goto(f"{demo_site.url}{url}")
            assert response.ok, (name, url, response.status)
            violations = serious_violations(demo_page)
            if violations:
                found[f"{name} @{width}"] = violations
            shots.append(screenshot(demo_page, f"a11y-{name}-{width}"))
        # A refused login: the error summary and the invalid fields must pass too.
        demo_page.goto(f"{demo_site.url}{pages['login']}")
        # The server's answer, not the browser's own bubbles: as a browser without HTML5 validation sends it.
        demo_page.evaluate("document.querySelectorAll('form').forEach((form) => { form.noValidate = true; })")
        demo_page.click("button[name=login_submit]")
        demo_page.wait_for_selector(".form-error-summary")
        assert demo_page.locator("#id_login-username").get_attribute("aria-invalid") == "true"
        violations = serious_violations(demo_page)
        if violations:
            found[f"login refused @{width}"] = violations
        shots.append(screenshot(demo_page, f"a11y-login-refused-{width}"))
    assert found == {}, found
    assert all(path.exists() for path in shots)
