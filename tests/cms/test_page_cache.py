"""Anonymous visitors get cached pages without SQL; publishing purges them; logged-in users bypass."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import publish


@pytest.fixture
def page_cache(settings):
    settings.CMS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_second_visit_is_served_from_cache_without_queries(client, site_tree, page_cache):
    url = site_tree["area"].url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content


@pytest.mark.django_db
def test_publishing_any_page_purges_the_cache(client, site_tree, page_cache):
    url = site_tree["area"].url
    client.get(url)
    poi = site_tree["poi"]
    poi.title = "Le Mura"
    publish(poi)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Le Mura" in response.content.decode()


@pytest.mark.django_db
def test_logged_in_users_and_non_pages_are_not_cached(client, site_tree, page_cache):
    from tests.factories import UserFactory

    client.get("/robots.txt")
    assert "X-Page-Cache" not in client.get("/robots.txt")
    client.force_login(UserFactory())
    client.get(site_tree["area"].url)
    assert "X-Page-Cache" not in client.get(site_tree["area"].url)


@pytest.mark.django_db
def test_a_label_change_or_a_new_day_leaves_cached_pages_at_once(client, site_tree, page_cache, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from certifications.selectors import labels_cache_bump

    url = site_tree["area"].url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    labels_cache_bump()  # what every award verification, revocation or expiry does
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get(url)["X-Page-Cache"] == "miss"


SECURITY_HEADERS = (
    "X-Frame-Options",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Vary",
    "Content-Language",
)


@pytest.mark.django_db
def test_a_cached_hit_carries_the_same_security_headers_as_the_miss(client, site_tree, page_cache):
    url = site_tree["area"].url
    miss = client.get(url)
    hit = client.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for header in SECURITY_HEADERS:
        assert miss.has_header(header), header
        assert hit.get(header) == miss[header], header
    assert miss["X-Frame-Options"] == "DENY"
    assert "Cookie" in miss["Vary"]
    # No inline script to carry a nonce: jQuery's onbodyload is only on Oscar's pages, not cached (issue #17).
    assert "<script nonce=" not in hit.content.decode()
