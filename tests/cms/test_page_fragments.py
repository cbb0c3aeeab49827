"""Visitors the page cache leaves alone (a session, a basket, a CSRF cookie) get destination pages from
cached fragments and a per-process memo (cms/fragments.py, cms/memo.py): no query, their own header,
and every publish, preview or restriction seen at once."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.fragments import fragment_render
from cms.memo import memo_clear
from tests.factories import UserFactory

from .factories import publish

PAGES = (
    "home",
    "home_en",
    "area",
    "area_en",
    "collection_en",
    "poi",
    "itinerary",
    "event",
    "collection",
    "article",
    "office",
    "events",
)


@pytest.fixture
def page_parts(settings):
    settings.CMS_FRAGMENT_CACHE_SECONDS = 300
    cache.clear()
    memo_clear()
    yield
    cache.clear()
    memo_clear()


@pytest.fixture
def visitor(client):
    """A visitor the whole-page cache does not serve: they have opened a form before."""
    client.cookies["csrftoken"] = "a" * 32
    return client


def _without_nonce(response) -> str:
    """The page as the visitor reads it: each response has its own CSP nonce (marketplace/core/security.py)."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode())


def _main(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_page_seen_again_costs_no_query_and_reads_the_same(visitor, site_tree, page_parts, name):
    url = site_tree[name].url
    first = visitor.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = visitor.get(url)
    assert first.status_code == again.status_code == 200
    assert "X-Page-Cache" not in again  # not the whole-page cache: rendered around the fragments
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert _without_nonce(again) == _without_nonce(first)


@pytest.mark.django_db
def test_each_visitor_keeps_their_own_header_around_shared_content(visitor, site_tree, page_parts):
    """Fragments are shared, the header only between visitors with nothing of their own in it."""
    from django.test import Client

    url = site_tree["area"].url
    visitor.get(url)  # the header of visitors without an account or basket is cached now
    member = Client()
    member.force_login(UserFactory())
    theirs = member.get(url)
    assert 'id="logout_link"' in theirs.content.decode()
    mine = visitor.get(url)
    assert 'id="login_link"' in mine.content.decode()
    assert 'id="logout_link"' not in mine.content.decode()
    assert _main(mine) == _main(theirs)


@pytest.mark.django_db
def test_a_publish_shows_at_once(visitor, site_tree, page_parts):
    area = site_tree["area"]
    visitor.get(area.url)
    area.intro = "<p>Novità: la Luminara di Santa Croce</p>"
    publish(area)
    assert "Luminara di Santa Croce" in _main(visitor.get(area.url))
    poi = site_tree["poi"]
    poi.title = "Le Mura rinascimentali"
    publish(poi)  # another page: the area lists it
    assert "Le Mura rinascimentali" in _main(visitor.get(area.url))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["area", "itinerary"])
def test_previews_neither_read_nor_leave_fragments(visitor, site_tree, page_parts, name):
    page = site_tree[name]
    visitor.get(page.url)  # the live page's fragments are cached
    draft = page.specific
    draft.summary = "Bozza non ancora pubblicata"
    preview = draft.make_preview_request()
    assert "Bozza non ancora pubblicata" in _main(preview)
    assert "Bozza non ancora pubblicata" not in visitor.get(page.url).content.decode()


@pytest.mark.django_db
def test_a_new_view_restriction_applies_at_once(visitor, site_tree, page_parts):
    url = site_tree["poi"].url
    assert visitor.get(url).status_code == 200
    assert visitor.get(url).status_code == 200  # the memo now says the site has no restriction
    PageViewRestriction.objects.create(page=site_tree["area"], restriction_type=PageViewRestriction.LOGIN)
    response = visitor.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_moved_pages_and_routable_paths_are_routed_right(visitor, site_tree, page_parts):
    poi, itinerary = site_tree["poi"], site_tree["itinerary"]
    old_url = poi.url
    assert visitor.get(old_url).status_code == 200
    assert visitor.get(itinerary.url + "gpx/")["Content-Type"] == "application/gpx+xml"
    assert visitor.get(site_tree["area"].url + "no-such-place/").status_code == 404
    poi.move(site_tree["areas"], pos="last-child")
    poi.refresh_from_db()
    moved = visitor.get(old_url)  # Wagtail's automatic redirect, not the remembered route
    assert moved.status_code == 301 and moved["Location"] == poi.url
    assert visitor.get(poi.url).status_code == 200


@pytest.mark.django_db
def test_languages_keep_their_own_fragments(visitor, site_tree, page_parts):
    italian = visitor.get(site_tree["home"].url)
    english = visitor.get(site_tree["home_en"].url)
    assert italian["Content-Language"] == "it" and english["Content-Language"] == "en"
    assert "Benvenuti" in _main(visitor.get(site_tree["home"].url))
    assert "Welcome" in _main(visitor.get(site_tree["home_en"].url))


def test_a_fragment_holding_a_csrf_token_is_never_stored(page_parts):
    request = RequestFactory().get("/it/")
    request._cms_fragments = ("cms:fragment:test:", {})
    html = fragment_render(request, "content", lambda: '<input name="csrfmiddlewaretoken" value="secret">')
    assert "secret" in html
    assert cache.get("cms:fragment:test:content") is None
    fragment_render(request, "content", lambda: "<p>Mura</p>")
    assert cache.get("cms:fragment:test:content") == "<p>Mura</p>"


@pytest.mark.django_db
def test_a_visitor_with_a_basket_sees_their_count_under_a_cached_header(visitor, site_tree, page_parts):
    from django.urls import reverse
    from django.utils import timezone

    from tests.packages.factories import make_package, priced_service

    url = site_tree["area"].url
    assert "badge" not in visitor.get(url).content.decode().split("</header>")[0]  # header cached now
    package = make_package(services=[priced_service(name="Camera doppia")], days=[1])
    on = timezone.localdate() + dt.timedelta(days=7)
    added = visitor.post(
        reverse("packages:basket-add", kwargs={"pk": package.pk}),
        {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0},
    )
    assert added.status_code == 302
    header = visitor.get(url).content.decode().split("</header>")[0]
    assert '<span class="badge badge-light">1</span>' in header


@pytest.mark.django_db
def test_what_the_memo_remembers_expires_even_without_a_purge(visitor, site_tree, page_parts, monkeypatch):
    """As when another process, with a cache of its own, publishes: no generation bump reaches this one."""
    import time

    import cms.memo

    url = site_tree["poi"].url
    assert visitor.get(url).status_code == 200
    restriction = PageViewRestriction(page=site_tree["area"], restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.bulk_create([restriction])  # no signal: the generation stays
    assert visitor.get(url).status_code == 200
    later = time.monotonic() + 301
    monkeypatch.setattr(cms.memo, "monotonic", lambda: later)
    assert visitor.get(url).status_code == 302
