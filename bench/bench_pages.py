"""Destination pages: time, SQL queries and requests per second with 10 and 1,000 items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dmc_engine python bench/bench_pages.py [--requests 30]

It creates its own throw-away database (bench_<name>, dropped at the end), so it never touches demo data
or the test database. Settings are marketplace.settings.test (local-memory cache, no network).

Each page (home, area, collection) is measured three ways, each next to a trivial view
(HttpResponse("ok")) measured in the same run through the same middleware:
- cold: no cache of any kind (page cache, fragments and the per-process memo off), as the first visitor
  after a publish gets it;
- uncached: the page cache off, its fragments and the memo warm (cms/fragments.py, cms/memo.py), as
  every visitor with a session, basket or CSRF cookie gets it (the page cache only serves cookie-less
  visitors). The issue's "uncached" target (≥ 0.15 × the trivial view) is for this figure;
- cached: served by the page cache (target ≥ 0.6 × the trivial view, with no SQL query).
In process (Django's test client, one request at a time) it prints for each: SQL queries, mean ms,
requests per second and the ratio to the trivial view; bytes is the size of the page (the target: the
same queries and bytes at 10 and 1,000 items).
Then the same over real HTTP: gunicorn (gthread workers, keep-alive) on 127.0.0.1 serving this project
against the same throw-away database, restarted for each way, driven by `--clients` client processes
(http.client, keep-alive) for `--seconds` per figure: requests per second and the ratio to the trivial
view. The clients share the machine's cores with the server, as they would with any load generator on
one box: the ratios, not the absolute figures, are what to compare. `--no-http` skips this part.

"Items" are what grows on each page: events and featured collections on the home, points of
interest and located offers on the area, offers on the collection (from a query-backed test provider).
"""

import argparse
import gc
import http.client
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")


# (CMS_PAGE_CACHE_SECONDS, CMS_FRAGMENT_CACHE_SECONDS) of each way a page is measured.
MODES = {"cold": (0, 0), "uncached": (0, 300), "cached": (300, 300)}


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


def http_application():
    """gunicorn's app factory (`bench_pages:http_application()`): the project's WSGI app with the trivial
    view and the bench's offer provider, on the database and cache setting the parent passes in env."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    from cms.offers import register_offer_provider
    from tests.cms.factories import GroupOfferProvider

    settings.DATABASES["default"]["NAME"] = os.environ["BENCH_DB_NAME"]
    settings.DATABASES["default"]["CONN_MAX_AGE"] = None  # as in production: a persistent connection
    settings.CMS_PAGE_CACHE_SECONDS, settings.CMS_FRAGMENT_CACHE_SECONDS = MODES[os.environ["BENCH_MODE"]]
    _install_trivial_view()
    register_offer_provider(GroupOfferProvider())
    return get_wsgi_application()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(db_name: str, mode: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "BENCH_DB_NAME": db_name, "BENCH_MODE": mode}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "bench")])
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "bench_pages:http_application()", f"--bind=127.0.0.1:{port}", f"--workers={workers}",
         "--worker-class=gthread", "--threads=2", "--keep-alive=30", "--log-level=warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench-trivial/")
            if conn.getresponse().status == 200:
                conn.close()
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _client(port: int, url: str, seconds: float, start_at: float, results) -> None:
    """One keep-alive connection sending GETs back to back until the deadline; reports (count, errors)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "testserver"}
    while time.monotonic() < start_at:
        time.sleep(0.001)
    done = errors = 0
    end = start_at + seconds
    while time.monotonic() < end:
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status == 200:
            done += 1
        else:
            errors += 1
    conn.close()
    results.put((done, errors))


def _http_rps(port: int, url: str, clients: int, seconds: float) -> float:
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(12):  # every worker's and thread's per-process caches, fragments and page cache when on
        warm.request("GET", url, headers={"Host": "testserver"})
        warm.getresponse().read()
    warm.close()
    results = multiprocessing.Queue()
    start_at = time.monotonic() + 0.5
    procs = [
        multiprocessing.Process(target=_client, args=(port, url, seconds, start_at, results)) for _ in range(clients)
    ]
    for proc in procs:
        proc.start()
    counts = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    errors = sum(e for _, e in counts)
    assert not errors, f"{errors} non-200 answers for {url}"
    return sum(d for d, _ in counts) / seconds


def _http_figures(pages: dict, size: int, args) -> None:
    from django.db import connection

    rows = {}
    for mode in MODES:
        server, port = _start_server(connection.settings_dict["NAME"], mode, args.workers)
        try:
            for name, url in [("trivial", "/bench-trivial/"), *pages.items()]:
                rows.setdefault(name, []).append(_http_rps(port, url, args.clients, args.seconds))
        finally:
            _stop_server(server)
    trivial = rows["trivial"]
    for name, figures in rows.items():
        cells = "".join(f"{rps:>9.0f}{rps / base:>7.2f}" for rps, base in zip(figures, trivial, strict=True))
        say(f"{name:<11}{size:>6}{cells}")


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
    # Count only the bench's offers: the role and Wagtail groups are groups too.
    offers = Group.objects.filter(name__startswith="lucca ")
    Group.objects.bulk_create([Group(name=f"lucca Offerta {i}") for i in range(offers.count(), size)])
    refs = [f"testgroup:{pk}" for pk in offers.order_by("pk").values_list("pk", flat=True)[:size]]
    collection = tree["collection"]
    collection.offers = stream(*[("offer", ref) for ref in refs])
    publish(collection)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in production: without them the planner takes the
        # just-filled tables for empty and nests loops over 1,000 rows (150 ms for the upcoming events).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _measure(client, url: str, requests: int) -> tuple[int, float, int]:
    """(SQL queries, mean seconds, response bytes) of `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # warm per-process caches (templates, memo) and, when on, fragments or the page cache
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # now: the next request's request_started signal empties the query log
    assert response.status_code == 200, (url, response.status_code)
    gc.collect()  # not the garbage of building 1,000 pages: a full collection would land in one figure
    began = time.perf_counter()
    for _ in range(requests):
        client.get(url)
    return queries, (time.perf_counter() - began) / requests, len(response.content)


def _set_mode(mode: str) -> None:
    from django.conf import settings
    from django.core.cache import cache

    from cms.memo import memo_clear

    settings.CMS_PAGE_CACHE_SECONDS, settings.CMS_FRAGMENT_CACHE_SECONDS = MODES[mode]
    cache.clear()
    memo_clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=3.0, help="HTTP: duration of each figure")
    parser.add_argument("--clients", type=int, default=4, help="HTTP: concurrent keep-alive clients")
    parser.add_argument("--workers", type=int, default=2, help="HTTP: gunicorn worker processes (2 threads each)")
    parser.add_argument("--no-http", action="store_true", help="only the in-process figures")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
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
        say(f"{'':<17}{'---------- cold ----------':>27}{'-------- uncached --------':>27}{'--- cached ---':>17}")
        say(f"{'page':<11}{'items':>6}" + f"{'queries':>9}{'ms':>7}{'rps':>6}{'×triv':>6}" * 2
            + f"{'queries':>9}{'×triv':>7}{'bytes':>9}")  # fmt: skip
        for size in (10, 1000):
            _grow(tree, size)
            _set_mode("cold")
            _, trivial_seconds, _ = _measure(client, "/bench-trivial/", args.requests)
            say(f"{'trivial':<11}{size:>6}{'':>9}{trivial_seconds * 1000:>7.2f}{1 / trivial_seconds:>6.0f}")
            for name, url in pages.items():
                cells = ""
                for mode in MODES:
                    _set_mode(mode)
                    queries, seconds, size_bytes = _measure(client, url, args.requests)
                    ratio = trivial_seconds / seconds
                    if mode == "cached":
                        cells += f"{queries:>9}{ratio:>7.2f}{size_bytes:>9}"
                    else:
                        cells += f"{queries:>9}{seconds * 1000:>7.1f}{1 / seconds:>6.0f}{ratio:>6.2f}"
                say(f"{name:<11}{size:>6}{cells}")
            if not args.no_http:
                say(f"--- HTTP, gunicorn {args.workers}×2 threads, {args.clients} keep-alive clients, "
                    f"{args.seconds:g} s per figure: rps and ×trivial, cold, uncached, cached")  # fmt: skip
                _http_figures(pages, size, args)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
