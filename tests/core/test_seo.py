"""What search engines read in a page's head: a canonical link, og:url and hreflang alternates on the public
origin (settings.SITE_URL: the tests' is the test client's, so a canonical the client can fetch), never the
request's host or the Wagtail Site's; a <title> and a description in the page's language, the site's
name once. Destination pages, package pages, operators' and services' pages, the catalogue, Oscar's pages."""

import html as html_lib
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Site

from tests.cms.factories import build_site
from tests.operators.factories import OperatorFactory
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def _head(response) -> dict:
    assert response.status_code == 200
    head = response.content.decode().split("</head>")[0]
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', head)
    og_url = re.findall(r'<meta property="og:url" content="([^"]+)">', head)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))
    [title] = re.findall(r"<title>(.*?)</title>", head, re.S)
    [description] = re.findall(r'<meta name="description" content="([^"]*)">', head)
    return {
        "canonical": [html_lib.unescape(url) for url in canonical],
        "og_url": [html_lib.unescape(url) for url in og_url],
        "alternates": {code: html_lib.unescape(url) for code, url in alternates.items()},
        "title": html_lib.unescape(title.strip()),
        "description": html_lib.unescape(description),
        "og_image": re.findall(r'<meta property="og:image" content="([^"]+)">', head),
    }


def _url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _assert_public(head: dict, path: str, *, origin: str = ORIGIN, alternates: dict | None = None):
    """One canonical and one og:url, both origin + path, and hreflang it/en/x-default on the origin."""
    assert head["canonical"] == [origin + path]
    assert head["og_url"] == [origin + path]
    if alternates is not None:
        assert head["alternates"] == {code: origin + url for code, url in alternates.items()}
    assert set(head["alternates"]) == {"it", "en", "x-default"}
    assert head["alternates"]["x-default"] == head["alternates"]["it"]


def _assert_site_name_once(title: str):
    assert title.count(settings.DMC_NAME) == 1, title
    assert title.endswith(" · " + settings.DMC_NAME), title


@pytest.fixture
def site_tree(db):
    return build_site()


@pytest.fixture
def offer(db):
    operator = OperatorFactory(
        name="Fattoria Colle Verde", slug="colle-verde", description="Vino e olio sulle colline."
    )
    service = priced_service(operator=operator, name="Degustazione", days=30)
    service.name_en = "Wine tasting"
    service.save(update_fields=["name_en"])
    package = make_package(services=[service], title="Vigne e ville", slug="vigne-e-ville")
    package.title_en = "Vineyards and villas"
    package.summary_it = "Tre giorni tra ville e vigneti."
    package.summary_en = "Three days among villas and vineyards."
    package.save(update_fields=["title_en", "summary_it", "summary_en"])
    return {"operator": operator, "service": service, "package": package}


def test_a_destination_page_says_the_public_origin(client, site_tree):
    area, area_en = site_tree["area"], site_tree["area_en"]
    head = _head(client.get(area_en.url))
    _assert_public(head, area_en.url, alternates={"it": area.url, "en": area_en.url, "x-default": area.url})
    _assert_site_name_once(head["title"])
    assert head["title"].startswith(area_en.title)
    assert client.get(head["canonical"][0].removeprefix(ORIGIN)).status_code == 200


def test_a_destination_page_ignores_the_host_and_an_unsynced_wagtail_site(client, site_tree, settings):
    settings.SITE_URL = "https://www.terre-di-lucca.example"
    Site.objects.update(hostname="localhost", port=80)  # what Wagtail's migration leaves
    area, area_en = site_tree["area"], site_tree["area_en"]

    head = _head(client.get(area.url, HTTP_HOST="10.0.0.7:8000"))

    _assert_public(
        head,
        area.url,
        origin="https://www.terre-di-lucca.example",
        alternates={"it": area.url, "en": area_en.url, "x-default": area.url},
    )


def test_a_home_page_named_like_the_site_has_the_name_once_in_its_title(client, site_tree):
    home = site_tree["home"]
    home.title = settings.DMC_NAME
    home.save_revision().publish()
    head = _head(client.get("/it/"))
    assert head["title"] == settings.DMC_NAME
    _assert_public(head, "/it/")


@pytest.mark.parametrize(
    ("language", "title", "description"),
    [
        ("en", "Vineyards and villas", "Three days among villas and vineyards."),
        ("it", "Vigne e ville", "Tre giorni tra ville e vigneti."),
    ],
)
def test_a_package_page_in_its_language_on_the_public_origin(client, site_tree, offer, language, title, description):
    product = offer["package"].product
    path = _url(language, "catalogue:detail", product_slug=product.slug, pk=product.pk)
    head = _head(client.get(path))
    assert head["title"] == f"{title} · {settings.DMC_NAME}"
    assert head["description"] == description
    others = {code: _url(code, "catalogue:detail", product_slug=product.slug, pk=product.pk) for code in ("it", "en")}
    _assert_public(head, path, alternates={**others, "x-default": others["it"]})


@pytest.mark.parametrize("language", ["it", "en"])
def test_an_operators_and_a_services_page_carry_a_canonical_on_the_public_origin(client, offer, language):
    operator_path = _url(language, "operators-public:operator", slug="colle-verde")
    head = _head(client.get(operator_path, HTTP_HOST="10.0.0.7:8000"))
    _assert_public(head, operator_path)
    _assert_site_name_once(head["title"])
    assert head["title"].startswith("Fattoria Colle Verde · ")

    service_path = _url(language, "operators-public:service", slug="colle-verde", pk=offer["service"].pk)
    head = _head(client.get(service_path, HTTP_HOST="10.0.0.7:8000"))
    _assert_public(head, service_path)
    _assert_site_name_once(head["title"])
    name = {"it": "Degustazione", "en": "Wine tasting"}[language]
    assert head["title"] == f"{name} · Fattoria Colle Verde · {settings.DMC_NAME}"


def test_the_catalogues_canonical_drops_filters_and_keeps_its_kind_and_page(client, offer):
    path = _url("en", "catalogue:index")
    head = _head(client.get(path + "?area=casentino&sort=price"))
    _assert_public(
        head,
        path,
        alternates={"it": _url("it", "catalogue:index"), "en": path, "x-default": _url("it", "catalogue:index")},
    )
    assert head["title"] == f"Holidays and experiences · {settings.DMC_NAME}"

    head = _head(client.get(path + "?sort=price&kind=single&page=1"))
    assert head["canonical"] == [f"{ORIGIN}{path}?kind=single"]
    assert head["alternates"]["it"] == ORIGIN + _url("it", "catalogue:index") + "?kind=single"


@pytest.mark.parametrize(
    ("language", "titles"), [("it", ("Carrello", "Login o registrati")), ("en", ("Cart", "Login or register"))]
)
def test_oscars_pages_carry_a_canonical_a_title_and_a_description_in_the_visitors_language(client, language, titles):
    with translation.override(language):
        description = gettext(
            "Holidays, experiences and local producers in the Piana di Lucca and the Casentino valley."
        )
    for name, title in zip(("basket:summary", "customer:login"), titles, strict=True):
        path = _url(language, name)
        head = _head(client.get(path))
        _assert_public(head, path)
        assert head["title"] == f"{title} · {settings.DMC_NAME}"
        assert head["description"] == description


@pytest.mark.parametrize(("language", "holder"), [("it", "Vigne e ville"), ("en", "Vineyards and villas")])
def test_a_labels_public_page_names_its_holder_in_the_visitors_language(client, offer, language, holder):
    from django.core.cache import cache

    from certifications.services import award_grant
    from marketplace.core.roles import Role
    from tests.certifications.factories import SchemeFactory
    from tests.factories import UserFactory

    cache.clear()  # labels are cached per process
    scheme = SchemeFactory(name="Vetrina Toscana", slug="vetrina-toscana", summary="Prodotti tipici toscani.")
    staff = UserFactory(role=Role.STAFF, email="marco@terredilucca.example")
    with translation.override("it"):
        award = award_grant(scheme=scheme, subject=offer["package"], user=staff)
    path = award.get_absolute_url().replace("/it/", f"/{language}/", 1)

    head = _head(client.get(path, HTTP_HOST="10.0.0.7:8000"))

    assert head["title"] == f"Vetrina Toscana — {holder} · {settings.DMC_NAME}"
    assert holder in head["description"]
    _assert_public(head, path)
    cache.clear()


def test_an_areas_list_of_places_keeps_its_area_in_the_canonical(client, site_tree):
    path = _url("en", "cms:places")
    head = _head(client.get(path + "?page=1&area=lucca&kind=monument"))
    _assert_public(head, path + "?area=lucca")
    assert head["alternates"]["it"] == ORIGIN + _url("it", "cms:places") + "?area=lucca"
    assert head["description"] == site_tree["area_en"].summary  # the area's, in the visitor's language
