"""Every page type is created in its place in the tree and renders for visitors, in both languages."""

import pytest
from wagtail.models import Page

from cms.models import (
    AreaIndexPage,
    AreaPage,
    ArticlePage,
    CollectionPage,
    EventPage,
    HomePage,
    ItineraryPage,
    PointOfInterestPage,
    TouristOfficePage,
)

PAGES = [
    "home",
    "areas",
    "area",
    "poi",
    "itineraries",
    "itinerary",
    "events",
    "event",
    "collections",
    "collection",
    "articles",
    "article",
    "offices",
    "office",
]


@pytest.mark.django_db
@pytest.mark.parametrize("key", PAGES)
def test_page_renders_with_its_title(client, site_tree, key):
    page = site_tree[key]
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["home_en", "area_en", "poi_en", "itinerary_en", "event_en", "collection_en"])
def test_english_page_renders_in_english(client, site_tree, key):
    page = site_tree[key]
    assert page.url.startswith("/en/")
    response = client.get(page.url)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert page.title in response.content.decode()


@pytest.mark.django_db
def test_area_page_lists_its_points_of_interest_and_events(client, site_tree):
    html = client.get(site_tree["area"].url).content.decode()
    assert "Mura di Lucca" in html
    assert "Luminara di Santa Croce" in html
    assert "Treno da Pisa" in html


@pytest.mark.django_db
def test_point_of_interest_shows_visit_and_access_facts(client, site_tree):
    html = client.get(site_tree["poi"].url).content.decode()
    assert "Sempre aperto" in html
    assert "Rampe alle porte" in html


@pytest.mark.django_db
def test_parent_and_subpage_rules_keep_the_tree_tidy(site_tree):
    assert AreaPage.can_create_at(site_tree["areas"])
    assert not AreaPage.can_create_at(site_tree["home"])
    assert PointOfInterestPage.can_create_at(site_tree["area"])
    assert not PointOfInterestPage.can_create_at(site_tree["areas"])
    assert not EventPage.can_create_at(site_tree["area"])
    assert not ItineraryPage.can_create_at(site_tree["events"])
    assert not ArticlePage.can_create_at(site_tree["home"])
    assert not TouristOfficePage.can_create_at(site_tree["articles"])
    assert not CollectionPage.can_create_at(site_tree["home"])
    assert HomePage.can_create_at(Page.get_first_root_node())
    # One index of each kind per home.
    assert not AreaIndexPage.can_create_at(site_tree["home"])


@pytest.mark.django_db
def test_itinerary_gpx_has_stages_in_order(client, site_tree):
    from xml.etree import ElementTree as ET

    response = client.get(site_tree["itinerary"].url + "gpx/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gpx+xml"
    assert "attachment" in response["Content-Disposition"]
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    root = ET.fromstring(response.content)
    names = [e.text for e in root.findall("g:rte/g:rtept/g:name", ns)]
    assert names == ["Altopascio", "Porcari", "Lucca"]
    first = root.find("g:wpt", ns)
    assert (float(first.get("lat")), float(first.get("lon"))) == (43.8161, 10.6775)


@pytest.mark.django_db
def test_events_index_filters_by_category_and_area(client, site_tree):
    url = site_tree["events"].url
    html = client.get(url).content.decode()
    assert "Luminara di Santa Croce" in html and "Mercato contadino" in html
    html = client.get(url, {"category": "market"}).content.decode()
    assert "Mercato contadino" in html and "Luminara di Santa Croce" not in html
    html = client.get(url, {"area": site_tree["area"].pk}).content.decode()
    assert "Luminara di Santa Croce" in html and "Mercato contadino" not in html
    # Nonsense filters are ignored, not a 500.
    assert client.get(url, {"area": "abc", "month": "x"}).status_code == 200


@pytest.mark.django_db
def test_recurring_event_occurs_every_week_until_its_end(site_tree):
    market = site_tree["market"]
    starts = market.occurrences(limit=3)
    assert len(starts) == 3
    assert (starts[1] - starts[0]).days == 7
    assert market.next_start == starts[0]


@pytest.mark.django_db
def test_every_block_renders(client, site_tree):
    from cms.models import ArticlePage
    from tests.cms.factories import add, stream

    page = add(
        site_tree["articles"],
        ArticlePage,
        title="Blocchi",
        slug="blocchi",
        body=stream(
            ("heading", "Titolo"),
            ("paragraph", "<p>Testo</p>"),
            ("map", {"title": "Mappa", "points": [{"label": "Lucca", "lat": 43.84, "lng": 10.5}], "zoom": 12}),
            (
                "call_to_action",
                {"title": "Prenota", "text": "Ora", "page": site_tree["collection"].pk, "url": "", "button": "Vai"},
            ),
            ("faq", {"title": "FAQ", "items": [{"question": "Quando?", "answer": "<p>Sempre</p>"}]}),
            ("collection_teaser", {"collection": site_tree["collection"].pk, "text": "Le ville"}),
            ("offer_cards", {"title": "Offerte", "offers": []}),
        ),
    )
    html = client.get(page.url).content.decode()
    for text in ("Titolo", "Testo", "Mappa", "Prenota", "Quando?", "Le ville", site_tree["collection"].url):
        assert text in html
