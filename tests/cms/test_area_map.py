"""The area page stays the same size with 10 or 1,000 offers, and its map loads the area's points (points
of interest, operators, packages' start points) from the GeoJSON endpoint filtered by area."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import AreaPage, PointOfInterestPage

from .factories import add, publish

pytestmark = pytest.mark.django_db


def _grow(tree, size: int) -> None:
    """Points of interest and located offers (the test provider's "lucca …" groups) up to `size` each.
    Plain live pages, no revisions: what an editor publishes, only faster to build by the thousand."""
    area = tree["area"]
    for i in range(PointOfInterestPage.objects.child_of(area).count(), size):
        area.add_child(instance=PointOfInterestPage(title=f"Luogo {i:04d}", slug=f"luogo-{i}", lat=43.8, lng=10.5))
    have = Group.objects.filter(name__startswith="lucca ").count()
    Group.objects.bulk_create([Group(name=f"lucca Offerta {i:04d}") for i in range(have, size)])


def _get(client, url):
    client.get(url)  # warm per-process caches (site root paths, templates, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_area_page_size_and_queries_do_not_grow_with_points_and_offers(client, site_tree, offer_provider):
    url = site_tree["area"].url
    _grow(site_tree, 10)
    small, small_queries = _get(client, url)
    _grow(site_tree, 1000)
    large, large_queries = _get(client, url)

    assert large_queries == small_queries
    assert abs(len(large.content) - len(small.content)) <= 8
    html = large.content.decode()
    assert html.count('class="card cms-card h-100"') == AreaPage.pois_shown  # the first few points of interest
    assert "Luogo 0005" in html and "Luogo 0006" not in html  # in the editors' order: Mura di Lucca, 1…5
    assert html.count("lucca Offerta") == AreaPage.offers_shown
    assert "/it/map/places/?area=lucca" in html  # the full list, one click away
    assert 'data-geojson="/it/map/points.geojson?area=lucca"' in html
    assert "Luogo 0999" not in html and 'id="area-map-data"' not in html  # no inline points for the map


def test_area_page_links_its_events_listing(client, site_tree):
    html = client.get(site_tree["area"].url).content.decode()
    assert f'href="{site_tree["events"].url}?area={site_tree["area"].pk}"' in html
    listing = client.get(site_tree["events"].url, {"area": site_tree["area"].pk}).content.decode()
    assert "Luminara di Santa Croce" in listing


@pytest.fixture
def two_areas(site_tree):
    """Lucca (the tree's) and Capannori, each with a point of interest, an approved operator with
    coordinates and a published package starting from it; plus a suspended operator in Lucca."""
    from operators.models import Operator
    from packages.models import Package
    from tests.operators.factories import OperatorFactory
    from tests.packages.factories import make_package, priced_service

    capannori = add(
        site_tree["areas"], AreaPage, title="Capannori", slug="capannori", area_code="capannori", lat=43.84, lng=10.57
    )
    add(capannori, PointOfInterestPage, title="Villa Reale di Marlia", slug="marlia", lat=43.89, lng=10.53)
    made = {"capannori": capannori}
    for code, lat in (("lucca", "43.842000"), ("capannori", "43.850000")):
        operator = OperatorFactory(name=f"Fattoria di {code}", municipality=code, latitude=lat, longitude="10.550000")
        package = make_package(services=[priced_service(operator=operator)], slug=f"giro-{code}", title=f"Giro {code}")
        Package.objects.filter(pk=package.pk).update(area=code)
        made[code] = (operator, package)
    OperatorFactory(
        name="Sospeso", municipality="lucca", latitude="43.8", longitude="10.5", status=Operator.Status.SUSPENDED
    )
    return made


def test_geojson_filtered_by_area_has_exactly_that_areas_points(client, site_tree, two_areas):
    response = client.get("/it/map/points.geojson", {"area": "lucca"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    operator, package = two_areas["lucca"]
    assert {(f["properties"]["kind"], f["properties"]["name"]) for f in data["features"]} == {
        ("point_of_interest", "Mura di Lucca"),
        ("operator", "Fattoria di lucca"),
        ("package", "Giro lucca"),
    }
    for feature in data["features"]:  # RFC 7946 points with what a map or another system needs
        assert feature["type"] == "Feature" and feature["id"]
        lng, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and -180 <= lng <= 180 and -90 <= lat <= 90
        assert feature["properties"]["url"].startswith("http://testserver/it/")
        assert feature["properties"]["kind_label"]
    by_kind = {f["properties"]["kind"]: f for f in data["features"]}
    assert by_kind["point_of_interest"]["properties"]["url"] == f"http://testserver{site_tree['poi'].url}"
    assert by_kind["operator"]["geometry"]["coordinates"] == [10.55, 43.842]
    assert by_kind["operator"]["properties"]["url"] == f"http://testserver/it/local/{operator.slug}/"
    assert by_kind["package"]["properties"]["url"].endswith(package.product.get_absolute_url())

    capannori = json.loads(client.get("/it/map/points.geojson", {"area": "capannori"}).content)
    assert {f["properties"]["name"] for f in capannori["features"]} == {
        "Villa Reale di Marlia",
        "Fattoria di capannori",
        "Giro capannori",
    }


def test_geojson_speaks_the_visitors_language(client, site_tree, two_areas):
    data = json.loads(client.get("/en/map/points.geojson", {"area": "lucca"}).content)
    poi = next(f for f in data["features"] if f["properties"]["kind"] == "point_of_interest")
    assert poi["properties"]["name"] == "Walls of Lucca"
    assert poi["properties"]["kind_label"] == "Monument"
    assert poi["properties"]["url"] == f"http://testserver{site_tree['poi_en'].url}"
    italian = json.loads(client.get("/it/map/points.geojson", {"area": "lucca"}).content)
    assert (
        next(f for f in italian["features"] if f["properties"]["kind"] == "package")["properties"]["kind_label"]
        == "Pacchetto"
    )


@pytest.mark.parametrize("value", ["nowhere", "../etc", "x" * 41, "lucca;drop"])
def test_geojson_answers_a_bad_area_filter_with_400_and_json(client, site_tree, value):
    response = client.get("/it/map/points.geojson", {"area": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["error"] and body["errors"]["area"][0]["message"]


def test_geojson_query_count_does_not_grow_with_the_number_of_points(client, site_tree, two_areas):
    from tests.operators.factories import OperatorFactory

    url = "/it/map/points.geojson?area=lucca"
    few, few_queries = _get(client, url)
    for i in range(30):
        site_tree["area"].add_child(instance=PointOfInterestPage(title=f"P{i}", slug=f"p{i}", lat=43.8, lng=10.5))
        OperatorFactory(municipality="lucca", latitude="43.81", longitude="10.51")
    many, many_queries = _get(client, url)
    assert len(json.loads(many.content)["features"]) == len(json.loads(few.content)["features"]) + 60
    assert many_queries == few_queries
    _whole, whole_queries = _get(client, "/it/map/points.geojson")
    assert whole_queries <= few_queries + 2  # the whole destination: areas instead of one area's lookup


@pytest.fixture
def page_cache(settings):
    settings.CMS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_geojson_is_cached_like_the_pages_and_purged_on_publish(client, site_tree, page_cache):
    url = "/it/map/points.geojson?area=lucca"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit" and len(queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == "application/geo+json" and second["Cache-Control"] == first["Cache-Control"]
    assert client.get("/it/map/points.geojson")["X-Page-Cache"] == "miss"  # a key per filter

    poi = site_tree["poi"]
    poi.title = "Le Mura"
    publish(poi)
    third = client.get(url)
    assert third["X-Page-Cache"] == "miss"
    assert "Le Mura" in {f["properties"]["name"] for f in json.loads(third.content)["features"]}


def test_places_list_shows_the_maps_points_without_javascript(client, site_tree, two_areas, monkeypatch):
    monkeypatch.setattr("cms.views.PLACES_PER_PAGE", 2)
    first = client.get("/it/map/places/", {"area": "lucca"})
    assert first.status_code == 200
    html = first.content.decode()
    assert "Mura di Lucca" in html and "Fattoria di lucca" in html  # points of interest first
    assert "Giro lucca" not in html and "page=2" in html
    second = client.get("/it/map/places/", {"area": "lucca", "page": 2}).content.decode()
    assert "Giro lucca" in second and "Villa Reale di Marlia" not in second
    assert client.get("/it/map/places/", {"area": "nowhere"}).status_code == 404
    assert client.get("/it/map/places/").status_code == 404
