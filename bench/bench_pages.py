"""Destination pages: time, SQL queries and requests per second with 10 and 1,000 items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dmc_engine python bench/bench_pages.py [--requests 30]

It creates its own throw-away database (bench_<name>, dropped at the end), so it never touches demo data
or the test database. Settings are marketplace.settings.test (local-memory cache, no network).

For each page (home, area, collection) and each size, it prints:
- queries: SQL queries of one uncached request (the target: the same at 10 and 1,000 items);
- ms: mean time of an uncached request;
- rps uncached / cached: requests per second through Django's test client, in process, one at a time,
  next to a trivial view (HttpResponse("ok")) measured in the same run through the same middleware;
- cached queries: SQL queries of a cached request (target 0).
"Items" are what grows on each page: events and featured collections on the home, points of
interest and located offers on the area, offers on the collection (from a query-backed test provider).
"""

import argparse
import os
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def trivial(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def _install_trivial_view():
    from django.conf import settings
    from django.urls import clear_url_caches, path

    import marketplace.urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench-trivial/", trivial), *marketplace.urls.urlpatterns]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def _grow(tree, size: int) -> None:
    """Add `size` items to each measured page (plain live pages: no revisions, to build 1,000 quickly)."""
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from cms.models import CollectionPage, EventPage, PointOfInterestPage
    from tests.cms.factories import publish, stream

    start = timezone.now() + dt.timedelta(days=1)
    existing = EventPage.objects.count()
    for i in range(existing, size):
        tree["events"].add_child(
            instance=EventPage(
                title=f"Evento {i}",
                slug=f"evento-{i}",
                start=start + dt.timedelta(hours=i),
                area=tree["area"],
                category="festival",
            )
        )
    for i in range(CollectionPage.objects.count(), size):
        tree["collections"].add_child(
            instance=CollectionPage(title=f"Raccolta {i}", slug=f"raccolta-{i}", show_on_home=True)
        )
    for i in range(PointOfInterestPage.objects.count(), size):
        tree["area"].add_child(
            instance=PointOfInterestPage(title=f"Luogo {i}", slug=f"luogo-{i}", lat=43.8 + i / 10000, lng=10.5)
        )
    Group.objects.bulk_create([Group(name=f"lucca Offerta {i}") for i in range(Group.objects.count(), size)])
    refs = [f"testgroup:{pk}" for pk in Group.objects.order_by("pk").values_list("pk", flat=True)[:size]]
    collection = tree["collection"]
    collection.offers = stream(*[("offer", ref) for ref in refs])
    publish(collection)


def _measure(client, url: str, requests: int) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm per-process caches (site root paths, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # now: the next request's request_started signal empties the query log
    assert response.status_code == 200, (url, response.status_code)
    began = time.perf_counter()
    for _ in range(requests):
        client.get(url)
    return queries, (time.perf_counter() - began) / requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from cms.offers import register_offer_provider
    from tests.cms.factories import GroupOfferProvider, build_site

    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        db.setdefault("TEST", {})["NAME"] = f"bench_{db['NAME']}"  # not pytest's test_<name>
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        _install_trivial_view()
        register_offer_provider(GroupOfferProvider())
        tree = build_site()
        client = Client()
        pages = {"home": tree["home"].url, "area": tree["area"].url, "collection": tree["collection"].url}
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        say(f"database: {engine}, {args.requests} requests per figure, Django test client in process")
        say(f"{'':<26}{'---- uncached ----':>26}{'------ cached ------':>25}")
        say(
            f"{'page':<11}{'items':>6}{'queries':>9}{'ms':>9}{'rps':>8}{'×triv':>7}{'queries':>10}{'rps':>8}{'×triv':>7}"
        )
        for size in (10, 1000):
            _grow(tree, size)
            settings.CMS_PAGE_CACHE_SECONDS = 0
            _, trivial_seconds = _measure(client, "/bench-trivial/", args.requests)
            trivial_rps = 1 / trivial_seconds
            say(f"{'trivial':<11}{size:>6}{'':>9}{trivial_seconds * 1000:>9.2f}{trivial_rps:>8.0f}")
            for name, url in pages.items():
                settings.CMS_PAGE_CACHE_SECONDS = 0
                queries, seconds = _measure(client, url, args.requests)
                settings.CMS_PAGE_CACHE_SECONDS = 300
                cache.clear()
                cached_queries, cached_seconds = _measure(client, url, args.requests)
                say(
                    f"{name:<11}{size:>6}{queries:>9}{seconds * 1000:>9.1f}{1 / seconds:>8.0f}"
                    f"{trivial_seconds / seconds:>7.2f}{cached_queries:>10}{1 / cached_seconds:>8.0f}"
                    f"{trivial_seconds / cached_seconds:>7.2f}"
                )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
