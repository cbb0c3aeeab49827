"""/sitemap.xml lists what the public may read, and nothing else, in every language, on the public origin:
destination pages, packages on sale, approved operators' pages and their active services' pages, each
with hreflang alternates and x-default; every URL it lists answers 200."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from operators.models import Operator
from packages.services import package_withdraw
from tests.operators.factories import OperatorFactory
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def _entries(client) -> dict[str, dict[str, str]]:
    """{<loc>: {hreflang: href}} of the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        assert loc not in entries, f"listed twice: {loc}"
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
    return entries


def _in(language: str, url_name: str, **kwargs) -> str:
    with translation.override(language):
        return "http://testserver" + reverse(url_name, kwargs=kwargs)


@pytest.fixture
def offers(db):
    """An approved operator with an active and an inactive service, a pending and a suspended operator
    with active services; a published, a draft and a withdrawn package."""
    approved = OperatorFactory(name="Fattoria Colle Verde", slug="colle-verde")
    active = priced_service(operator=approved, name="Degustazione", days=30)
    inactive = priced_service(operator=approved, name="Vendemmia", days=30, is_active=False)
    pending = OperatorFactory(slug="in-attesa", status=Operator.Status.PENDING)
    priced_service(operator=pending, name="Visita in attesa", days=30)
    suspended = OperatorFactory(slug="sospeso", status=Operator.Status.SUSPENDED)
    priced_service(operator=suspended, name="Visita sospesa", days=30)
    published = make_package(services=[active], title="Vigne e ville", slug="vigne-e-ville")
    draft = make_package(services=[active], title="Bozza", slug="bozza", publish=False)
    withdrawn = make_package(services=[active], title="Ritirato", slug="ritirato")
    package_withdraw(package=withdrawn)
    return {
        "approved": approved,
        "active": active,
        "inactive": inactive,
        "pending": pending,
        "suspended": suspended,
        "published": published,
        "draft": draft,
        "withdrawn": withdrawn,
    }


def test_the_sitemap_lists_packages_operators_and_services_in_every_language(client, site_tree, offers):
    entries = _entries(client)

    operator = {code: _in(code, "operators-public:operator", slug="colle-verde") for code in ("it", "en")}
    service = {
        code: _in(code, "operators-public:service", slug="colle-verde", pk=offers["active"].pk) for code in ("it", "en")
    }
    product = offers["published"].product
    package = {code: _in(code, "catalogue:detail", product_slug=product.slug, pk=product.pk) for code in ("it", "en")}
    for urls in (operator, service, package):
        for code in ("it", "en"):
            assert urls[code] in entries, urls[code]
            # the same alternates on each language's entry, x-default the Italian URL (as on the pages)
            assert entries[urls[code]] == {"it": urls["it"], "en": urls["en"], "x-default": urls["it"]}

    # pages too, with x-default
    poi = "http://testserver" + site_tree["poi"].url
    assert entries[poi]["x-default"] == poi
    assert entries[poi]["en"] == "http://testserver" + site_tree["poi_en"].url


def test_the_sitemap_leaves_out_what_the_public_cannot_see(client, site_tree, offers):
    site_tree["event"].unpublish()
    locations = set(_entries(client))
    text = "\n".join(sorted(locations))

    assert "/local/in-attesa/" not in text and "/local/sospeso/" not in text  # operators not approved
    assert f"/local/colle-verde/{offers['inactive'].pk}/" not in text  # inactive service
    for name in ("pending", "suspended"):  # their services, active as they are
        for service in offers[name].services.all():
            assert f"/{service.pk}/" not in text
    assert "bozza" not in text and "ritirato" not in text  # draft and withdrawn packages
    assert "http://testserver" + site_tree["event"].url not in locations  # an unpublished page


def test_every_url_in_the_sitemap_answers_200(client, site_tree, offers):
    locations = list(_entries(client))
    assert len(locations) > 20
    for location in locations:
        assert location.startswith("http://testserver/")
        response = client.get(location.removeprefix("http://testserver"))
        assert response.status_code == 200, (location, response.status_code)


def test_the_sitemap_and_robots_say_the_public_origin_whatever_the_host_or_the_wagtail_site(
    client, site_tree, offers, settings
):
    settings.SITE_URL = "https://www.terre-di-lucca.example"
    Site.objects.update(hostname="localhost", port=80)  # a Wagtail Site nobody synced

    xml = client.get("/sitemap.xml", HTTP_HOST="10.0.0.7:8000").content.decode()
    urls = re.findall(r'<loc>([^<]+)</loc>|href="([^"]+)"', xml)
    urls = [a or b for a, b in urls]
    assert len(urls) > 20
    assert all(url.startswith("https://www.terre-di-lucca.example/") for url in urls), [
        url for url in urls if not url.startswith("https://www.terre-di-lucca.example/")
    ]

    robots = client.get("/robots.txt", HTTP_HOST="10.0.0.7:8000").content.decode()
    assert "Sitemap: https://www.terre-di-lucca.example/sitemap.xml" in robots
