"""schema.org JSON-LD on every public page, parsed and checked for the fields search engines require."""

import json
import re

import pytest

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _entities(client, url):
    response = client.get(url)
    assert response.status_code == 200
    entities = []
    for raw in SCRIPT.findall(response.content.decode()):
        data = json.loads(raw)
        entities += data.get("@graph", [data])
    return {e["@type"]: e for e in entities}


@pytest.mark.django_db
def test_every_page_carries_the_website_and_its_own_entity(client, site_tree):
    expected = {
        "home": "TouristDestination",
        "area": "TouristDestination",
        "poi": "TouristAttraction",
        "itinerary": "TouristTrip",
        "event": "Event",
        "article": "Article",
        "office": "TouristInformationCenter",
        "collection": "CollectionPage",
        "events": "CollectionPage",
    }
    for key, schema_type in expected.items():
        entities = _entities(client, site_tree[key].url)
        assert "WebSite" in entities and "Organization" in entities
        entity = entities[schema_type]
        assert entity["@context"] == "https://schema.org"
        assert entity["name"] == site_tree[key].title
        assert entity["url"].startswith("http") and entity["url"].endswith(site_tree[key].url)


@pytest.mark.django_db
def test_event_has_start_location_and_offer(client, site_tree):
    event = _entities(client, site_tree["event"].url)["Event"]
    assert event["startDate"].startswith(site_tree["event"].start.date().isoformat()[:4])
    assert event["location"]["@type"] == "Place" and event["location"]["name"] == "Centro storico"
    assert event["offers"]["price"] == "0" and event["offers"]["priceCurrency"] == "EUR"
    assert event["isAccessibleForFree"] is True


@pytest.mark.django_db
def test_attraction_destination_and_trip_have_places(client, site_tree):
    attraction = _entities(client, site_tree["poi"].url)["TouristAttraction"]
    assert attraction["geo"] == {"@type": "GeoCoordinates", "latitude": 43.844, "longitude": 10.499}
    assert attraction["isAccessibleForFree"] is True
    destination = _entities(client, site_tree["area"].url)["TouristDestination"]
    assert destination["includesAttraction"][0]["name"] == "Mura di Lucca"
    trip = _entities(client, site_tree["itinerary"].url)["TouristTrip"]
    assert trip["itinerary"]["numberOfItems"] == 3
    assert [i["item"]["name"] for i in trip["itinerary"]["itemListElement"]] == ["Altopascio", "Porcari", "Lucca"]


@pytest.mark.django_db
def test_faq_blocks_are_published_as_faq_page(client, site_tree):
    faq = _entities(client, site_tree["area"].url)["FAQPage"]
    assert faq["mainEntity"][0]["name"] == "Serve l'auto?"


@pytest.mark.django_db
def test_open_graph_tags(client, site_tree):
    html = client.get(site_tree["poi"].url).content.decode()
    assert '<meta property="og:title" content="Mura di Lucca">' in html
    assert f'<meta property="og:url" content="http://testserver{site_tree["poi"].url}">' in html
    assert 'property="og:description" content="Quattro chilometri di mura alberate"' in html
