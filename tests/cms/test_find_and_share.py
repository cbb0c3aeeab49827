"""Sitemap in every language, robots.txt, GeoJSON of the destination and search."""

import json
import re

import pytest
from django.contrib.auth.models import Group

from cms.offers import MapFeature


@pytest.mark.django_db
def test_sitemap_lists_both_languages_with_alternates(client, site_tree):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", xml)
    assert f"http://testserver{site_tree['poi'].url}" in locations
    assert f"http://testserver{site_tree['poi_en'].url}" in locations
    assert f'hreflang="en" href="http://testserver{site_tree["poi_en"].url}"' in xml


@pytest.mark.django_db
def test_robots_points_at_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


@pytest.mark.django_db
def test_geojson_has_areas_points_and_providers_features(client, site_tree, offer_provider, monkeypatch):
    monkeypatch.setattr(
        type(offer_provider),
        "map_features",
        lambda self, language, area_code="": [
            MapFeature(id="operator:1", title="Agriturismo", lat=43.9, lng=10.6, kind="operator")
        ],
        raising=False,
    )
    response = client.get("/it/map/points.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    by_title = {f["properties"]["title"]: f for f in data["features"]}
    assert by_title["Mura di Lucca"]["geometry"] == {"type": "Point", "coordinates": [10.499, 43.844]}
    assert by_title["Mura di Lucca"]["properties"]["kind"] == "point_of_interest"
    assert by_title["Lucca"]["properties"]["area_code"] == "lucca"
    assert by_title["Agriturismo"]["properties"]["kind"] == "operator"
    english = json.loads(client.get("/en/map/points.geojson").content)
    assert "Walls of Lucca" in {f["properties"]["title"] for f in english["features"]}


@pytest.mark.django_db
def test_search_finds_pages_in_the_visitors_language_with_filters(client, site_tree):
    html = client.get("/it/search/", {"q": "mura"}).content.decode()
    assert site_tree["poi"].url in html
    html = client.get("/en/search/", {"q": "walls"}).content.decode()
    assert site_tree["poi_en"].url in html and site_tree["poi"].url not in html
    html = client.get("/it/search/", {"q": "mura", "theme": "food-wine"}).content.decode()
    assert site_tree["poi"].url not in html
    html = client.get("/it/search/", {"q": "mura", "area": "lucca"}).content.decode()
    assert site_tree["poi"].url in html
    assert client.get("/it/search/", {"q": "x" * 500, "area": "nowhere"}).status_code == 200


@pytest.mark.django_db
def test_offer_cards_block_drops_unavailable_offers(client, site_tree, offer_provider):
    from tests.cms.factories import add, stream

    shown, gone = Group.objects.create(name="Bike tour"), Group.objects.create(name="withdrawn Wine tour")
    page = add(
        site_tree["articles"],
        site_tree["article"].specific_class,
        title="Con offerte",
        slug="offerte",
        body=stream(("offer_cards", {"title": "Prenota", "offers": [f"testgroup:{gone.pk}", f"testgroup:{shown.pk}"]})),
    )
    html = client.get(page.url).content.decode()
    assert "Bike tour" in html and "Wine tour" not in html


@pytest.mark.django_db
def test_search_shows_available_offers_too(client, site_tree, offer_provider):
    Group.objects.create(name="Mura in bicicletta")
    Group.objects.create(name="withdrawn Mura by night")
    html = client.get("/it/search/", {"q": "mura"}).content.decode()
    assert "Mura in bicicletta" in html and "by night" not in html
