"""Every JSON-LD block of every kind of public page: valid JSON, only schema.org types this table knows,
the properties Google's rich results require and recommend, every URL on the public origin (SITE_URL,
never the request's host), and breadcrumbs that say what the visible trail shows.

The pages are built the way their own tests build them (tests/cms/factories.build_site, real services,
packages and operators), with an image, a summary and the company identity, so that a property missing
from the JSON-LD is the code's omission, not the fixture's.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.models import CompanyIdentity, HomePage, LegalPage
from operators.models import Operator
from packages.models import PackagePhoto
from packages.services import service_package_sync
from tests.cms.factories import add, build_site
from tests.operators.conftest import image_upload, public_operator
from tests.packages.factories import make_package, priced_service

ORIGIN = "https://www.terre-di-lucca.example"
pytestmark = pytest.mark.django_db  # each test's own transaction; the pages are built once (public_pages)

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

# schema.org type: (required, recommended). A dotted name is a path into nested objects ("offers.price");
# a list on the way is checked item by item. Required properties are checked wherever the type appears
# (nested too); recommended ones on the page's own entities (the blocks' top level), where a nested
# reference (an organizer, a brand) may stay a name and a link. A type missing here fails the test:
# adding a type to the JSON-LD means saying here what it must carry.
RULES: dict[str, tuple[list[str], list[str]]] = {
    "Organization": (["name", "url"], ["logo.url", "contactPoint"]),
    "WebSite": (["name", "url"], ["inLanguage", "potentialAction.target.urlTemplate"]),
    "SearchAction": (["target", "query-input"], []),
    "EntryPoint": (["urlTemplate"], []),
    "ImageObject": (["url"], []),
    "ContactPoint": (["contactType"], []),
    "BreadcrumbList": (["itemListElement"], []),
    "ItemList": (["itemListElement"], ["numberOfItems"]),
    "ListItem": (["position"], []),
    "Event": (
        ["name", "startDate", "location.name", "location.address"],
        [
            "description",
            "image",
            "endDate",
            "eventStatus",
            "eventAttendanceMode",
            "organizer.name",
            "organizer.url",
            "location.address.streetAddress",
            "location.address.addressLocality",
            "location.address.addressRegion",
            "location.address.addressCountry",
            "offers.price",
            "offers.priceCurrency",
            "offers.availability",
            "offers.validFrom",
            "offers.url",
        ],
    ),
    "Product": (
        ["name", "offers.price", "offers.priceCurrency"],
        ["image", "description", "url", "offers.availability", "offers.priceValidUntil", "offers.url"],
    ),
    "TouristTrip": (["name"], ["description", "url"]),
    "Offer": (["priceCurrency", "availability", "url"], []),
    "TouristDestination": (["name"], ["url", "description", "image"]),
    "TouristAttraction": (["name"], ["url", "description", "image", "geo", "address"]),
    "TouristInformationCenter": (["name", "address"], ["url", "telephone", "geo"]),
    "LodgingBusiness": (["name", "address"], ["url", "telephone", "image", "geo", "makesOffer"]),
    "LocalBusiness": (["name", "address"], ["url", "telephone", "image", "geo"]),
    "Restaurant": (["name", "address"], ["url", "telephone", "image", "geo"]),
    "Place": (["name"], []),
    "PostalAddress": (["addressCountry"], []),
    "GeoCoordinates": (["latitude", "longitude"], []),
    "LocationFeatureSpecification": (["name", "value"], []),
    "FAQPage": (["mainEntity"], []),
    "Question": (["name", "acceptedAnswer.text"], []),
    "Answer": (["text"], []),
    "Person": (["name"], []),
    "Brand": (["name"], []),
    "Article": (["headline"], ["image", "datePublished", "author.name", "publisher.name"]),
    "CollectionPage": (["name", "url"], []),
    "WebPage": (["name", "url"], ["description"]),
    "Certification": (["name", "issuedBy.name"], []),
}
URL_KEYS = {"url", "@id", "item", "image", "urlTemplate"}
EXTERNAL_KEYS = {"sameAs", "issuedBy"}  # links to other sites (an operator's website, a label's issuer)


# --- the pages ------------------------------------------------------------------------------------------------


def _image():
    return get_image_model().objects.create(title="Veduta", file=image_upload(size=(1600, 900)))


def _build_pages() -> tuple[dict, dict]:
    """{name: URL} of one page of every public kind, and facts the tests compare with."""
    tree = build_site()
    image = _image()
    HomePage.objects.filter(pk=tree["home"].pk).update(hero_image=image)
    for key in ("area", "poi", "itinerary", "event", "collection", "article"):
        for page in (tree[key], tree.get(f"{key}_en")):
            if page is not None:
                summary = page.summary or f"{page.title}: in breve"
                type(page).objects.filter(pk=page.pk).update(image=image, summary=summary)
    legal = add(tree["home"], LegalPage, title="Condizioni di vendita", slug="condizioni", kind="terms",
                summary="Il contratto di viaggio", body="<p>Il contratto di viaggio.</p>")  # fmt: skip
    CompanyIdentity.objects.create(
        site=Site.objects.get(is_default_site=True),
        legal_name="Terre di Lucca srl",
        address="Piazza San Michele 1\n55100 Lucca",
        vat_number="IT01234567890",
        phone="+39 0583 000 000",
        email="info@terre-di-lucca.example",
    )
    operator, (service, _other) = public_operator(kind=Operator.Kind.AGRITURISMO)
    single = service_package_sync(service=service)
    package = make_package(services=[priced_service(adult="90.00"), priced_service(adult="30.00")])
    PackagePhoto.objects.create(package=package, image=image_upload(size=(1200, 800)))
    urls = {
        "home": tree["home"].url,
        "area": tree["area"].url,
        "places": f"{reverse('cms:places')}?{urlencode({'area': 'lucca'})}",
        "poi": tree["poi"].url,
        "itinerary": tree["itinerary"].url,
        "event": tree["event"].url,
        "event_en": tree["event_en"].url,
        "collection": tree["collection"].url,
        "article": tree["article"].url,
        "office": tree["office"].url,
        "legal": legal.url,
        "catalogue": reverse("catalogue:index"),
        "package": package.get_absolute_url(),
        "single_service_package": single.get_absolute_url(),
        "operator": reverse("operators-public:operator", kwargs={"slug": operator.slug}),
        "service": reverse("operators-public:service", kwargs={"slug": operator.slug, "pk": service.pk}),
    }
    return urls, {"package_price_from": package.price_from}


@pytest.fixture(scope="module")
def public_pages(django_db_setup, django_db_blocker):
    """{name: (URL, HTML)} of one page of every public kind on a site whose public origin is ORIGIN, and
    facts about them: built and fetched once for the module (a few minutes on a busy machine), in a
    transaction rolled back afterwards."""
    from django.conf import settings
    from django.db import transaction
    from django.test import Client, override_settings
    from django.utils import translation

    with django_db_blocker.unblock(), override_settings(SITE_URL=ORIGIN + "/"), transaction.atomic():
        urls, facts = _build_pages()
        client = Client()
        pages = {}
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, url
            pages[name] = (url, response.content.decode())
        transaction.set_rollback(True)
    translation.activate(settings.LANGUAGE_CODE)
    return pages, facts


# The entities each kind of page must carry (beyond the site's Organization and WebSite).
EXPECTED = {
    "home": {"TouristDestination"},
    "area": {"TouristDestination", "BreadcrumbList", "FAQPage"},
    "places": {"BreadcrumbList"},
    "poi": {"TouristAttraction", "BreadcrumbList"},
    "itinerary": {"TouristTrip", "BreadcrumbList"},
    "event": {"Event", "BreadcrumbList"},
    "event_en": {"Event", "BreadcrumbList"},
    "collection": {"CollectionPage", "BreadcrumbList"},
    "article": {"Article", "BreadcrumbList"},
    "office": {"TouristInformationCenter", "BreadcrumbList"},
    "legal": {"WebPage", "BreadcrumbList"},
    "catalogue": {"ItemList"},
    "package": {"TouristTrip", "Product", "BreadcrumbList"},
    "single_service_package": {"TouristTrip", "Product", "BreadcrumbList"},
    "operator": {"LodgingBusiness"},
    "service": {"Product"},
}


# --- reading and checking -------------------------------------------------------------------------------------


def _blocks(html: str) -> list[dict]:
    """Every JSON-LD block of the page, parsed (a block that is not JSON fails here)."""
    return [json.loads(raw) for raw in SCRIPT.findall(html)]


def _entities(blocks: list[dict]) -> list[dict]:
    """The page's own entities: each block, or each member of its @graph."""
    return [entity for block in blocks for entity in block.get("@graph", [block])]


def _types(node: dict) -> list[str]:
    found = node.get("@type", [])
    return [found] if isinstance(found, str) else list(found)


def _typed_nodes(node, path=""):
    """(path, object) of every object with an @type, nested ones included."""
    if isinstance(node, dict):
        if "@type" in node:
            yield path, node
        for key, value in node.items():
            yield from _typed_nodes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _typed_nodes(value, f"{path}[{index}]")


def _missing(node: dict, dotted: str) -> bool:
    """Whether the dotted property is absent or empty (in any item of a list on the way)."""
    head, _dot, rest = dotted.partition(".")
    value = node.get(head)
    if value in (None, "", [], {}):
        return True
    if not rest:
        return False
    items = value if isinstance(value, list) else [value]
    return any(not isinstance(item, dict) or _missing(item, rest) for item in items)


def _urls(node, key=""):
    """(key, value) of every URL-valued property, outside links to other sites."""
    if isinstance(node, dict):
        for k, value in node.items():
            if k in EXTERNAL_KEYS:
                continue
            if k in URL_KEYS and isinstance(value, str):
                yield k, value
            elif k in URL_KEYS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                yield from ((k, v) for v in value)
            else:
                yield from _urls(value, k)
    elif isinstance(node, list):
        for value in node:
            yield from _urls(value, key)


def _problems(blocks: list[dict]) -> list[str]:
    problems = []
    for block in blocks:
        if block.get("@context") != "https://schema.org":
            problems.append(f"a block without the schema.org @context: {block}")
    entities = _entities(blocks)
    top = {id(entity) for entity in entities}
    for entity in entities:
        for path, node in _typed_nodes(entity, _types(entity)[0] if _types(entity) else "?"):
            for schema_type in _types(node):
                if schema_type not in RULES:
                    problems.append(f"{path}: @type {schema_type} has no rules in this test")
                    continue
                required, recommended = RULES[schema_type]
                wanted = required + (recommended if id(node) in top else [])
                problems += [f"{path} ({schema_type}): no {name}" for name in wanted if _missing(node, name)]
            if "ListItem" in _types(node) and not (node.get("item") or node.get("url")):
                problems.append(f"{path}: a ListItem with neither item nor url")
        for key, url in _urls(entity):
            if not url.startswith(ORIGIN + "/"):
                problems.append(f"{key} {url!r} is not on the public origin {ORIGIN}")
    return problems


class _Trail(HTMLParser):
    """The visible breadcrumbs: (name, href or None for the current page) of each li.breadcrumb-item."""

    def __init__(self):
        super().__init__()
        self.crumbs: list[list] = []
        self._in_item = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "breadcrumb-item" in (attrs.get("class") or "").split():
            self._in_item = True
            self.crumbs.append(["", None])
        elif tag == "a" and self._in_item:
            self.crumbs[-1][1] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_item = False

    def handle_data(self, data):
        if self._in_item:
            self.crumbs[-1][0] += data


def _visible_trail(html: str) -> list[tuple[str, str | None]]:
    parser = _Trail()
    parser.feed(html)
    return [(" ".join(name.split()), href) for name, href in parser.crumbs]


# --- the tests ------------------------------------------------------------------------------------------------


def test_every_block_of_every_public_page_is_complete_and_on_the_public_origin(public_pages):
    problems = {}
    for name, (_url, html) in public_pages[0].items():
        blocks = _blocks(html)
        found = {schema_type for entity in _entities(blocks) for schema_type in _types(entity)}
        missing = ({"Organization", "WebSite"} | EXPECTED[name]) - found
        page_problems = [f"no {schema_type} entity" for schema_type in sorted(missing)] + _problems(blocks)
        page_problems += [f"the request's host in {raw[:80]}…" for raw in SCRIPT.findall(html) if "testserver" in raw]
        if page_problems:
            problems[name] = page_problems
    assert problems == {}


def test_breadcrumb_lists_say_what_the_visible_trails_show(public_pages):
    with_trail = 0
    for name, (url, html) in public_pages[0].items():
        trail = _visible_trail(html)
        lists = [e for e in _entities(_blocks(html)) if "BreadcrumbList" in _types(e)]
        if not trail:
            assert lists == [], f"{name}: a BreadcrumbList without visible breadcrumbs"
            continue
        with_trail += 1
        (breadcrumbs,) = lists
        items = breadcrumbs["itemListElement"]
        assert [item["position"] for item in items] == list(range(1, len(trail) + 1)), name
        assert [item["name"] for item in items] == [crumb_name for crumb_name, _href in trail], name
        # Every step links where the visible one does; the last (the page, not a link) is the page's URL.
        assert [item["item"] for item in items[:-1]] == [ORIGIN + href for _name, href in trail[:-1]], name
        assert trail[-1][1] is None and items[-1]["item"] == ORIGIN + url, name
    assert with_trail == len([name for name, expected in EXPECTED.items() if "BreadcrumbList" in expected])


def test_the_organization_has_its_logo_and_contact_point(public_pages):
    _url, html = public_pages[0]["home"]
    (organization,) = [e for e in _entities(_blocks(html)) if e["@type"] == "Organization"]
    assert organization["logo"]["url"].startswith(ORIGIN + "/static/img/dmc-logo")
    assert organization["legalName"] == "Terre di Lucca srl" and organization["vatID"] == "IT01234567890"
    assert organization["contactPoint"] == [
        {
            "@type": "ContactPoint",
            "contactType": "customer service",
            "availableLanguage": ["it", "en"],
            "telephone": "+39 0583 000 000",
            "email": "info@terre-di-lucca.example",
        }
    ]


def test_the_event_says_when_in_romes_time_where_and_at_what_price(public_pages):
    url, html = public_pages[0]["event"]
    (event,) = [e for e in _entities(_blocks(html)) if e["@type"] == "Event"]
    assert re.search(r"T\d\d:\d\d:\d\d\+0[12]:00$", event["startDate"]), event["startDate"]  # Rome's offset
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Centro storico",
        "addressLocality": "Lucca",
        "addressRegion": "Toscana",
        "addressCountry": "IT",
    }
    assert event["organizer"]["@id"] == ORIGIN + "/#organization"
    assert event["offers"]["price"] == "0" and event["offers"]["availability"] == "https://schema.org/InStock"
    assert event["offers"]["url"] == ORIGIN + url


def test_products_offer_the_price_the_page_shows(public_pages):
    _url, html = public_pages[0]["package"]
    (trip,) = [e for e in _entities(_blocks(html)) if "Product" in _types(e)]
    price = f"{public_pages[1]['package_price_from']:.2f}"
    assert trip["offers"]["price"] == price
    assert price.replace(".", ",") in html  # the "from" price the page shows (in Italian)
    assert trip["offers"]["priceValidUntil"] > trip["offers"].get("validFrom", "")
    assert trip["image"][0].startswith(ORIGIN + "/media/")


def test_the_catalogue_lists_its_cards_in_order(public_pages):
    _url, html = public_pages[0]["catalogue"]
    (listing,) = [e for e in _entities(_blocks(html)) if e["@type"] == "ItemList"]
    cards = re.findall(r'<h2 class="h5 card-title"><a href="([^"]+)"', html)
    assert cards, "the catalogue shows no package"
    assert [(item["position"], item["url"]) for item in listing["itemListElement"]] == [
        (position, ORIGIN + url) for position, url in enumerate(cards, start=1)
    ]


def test_the_checker_refuses_unknown_types_missing_properties_and_other_hosts():
    """The table is the gate: a type without rules, a missing required property or a URL on another
    host is a problem (so the checks above cannot pass by checking nothing)."""
    blocks = [
        {"@context": "https://schema.org", "@type": "Recipe", "name": "Buccellato"},
        {"@context": "https://schema.org", "@type": "Event", "name": "Palio", "url": "http://testserver/it/palio/"},
    ]
    problems = _problems(blocks)
    assert "Recipe: @type Recipe has no rules in this test" in problems
    assert "Event (Event): no startDate" in problems and "Event (Event): no offers.validFrom" in problems
    assert f"url 'http://testserver/it/palio/' is not on the public origin {ORIGIN}" in problems
