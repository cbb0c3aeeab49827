"""Suite-wide fixtures and the rules for tests that need real services.

- `@pytest.mark.postgres`: skipped on SQLite, but a failure when REQUIRE_SERVICES=1 (CI), so a CI
  machine without PostgreSQL fails instead of silently skipping the tests that matter most.
- `@pytest.mark.redis`: needs TEST_REDIS_URL (set by `make test` when Redis answers); same rule.
- `@pytest.mark.browser`: needs Debian's /usr/bin/chromium; same rule.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Under pytest-xdist (`make test` runs a worker per core) each worker has its own test database
# (pytest-django adds the worker's name) and here its own Redis database, counting down from the one
# given: two workers' Celery queues and caches never meet.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and os.environ.get("TEST_REDIS_URL"):
    _base, _, _number = os.environ["TEST_REDIS_URL"].rpartition("/")
    os.environ["TEST_REDIS_URL"] = f"{_base}/{int(_number or 15) - int(_WORKER[2:])}"

# Tests that share one loaded demo run on one worker, so the demo is loaded once (their conftest.py).
SHARED_DEMO_PACKAGES = ("tests/demo/", "tests/browser/demo_site/")


def pytest_collection_modifyitems(items):
    for item in items:
        path = item.path.as_posix()
        for package in SHARED_DEMO_PACKAGES:
            if f"/{package}" in path:
                item.add_marker(pytest.mark.xdist_group(package))


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: this must run here)", pytrace=False)
    pytest.skip(reason)


def check_service_markers(node) -> None:
    """Skip (or, with REQUIRE_SERVICES=1, fail) a test whose markers name a service this machine lacks."""
    if node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing("needs PostgreSQL (DATABASE_URL=postgres://…)")
    if node.get_closest_marker("redis") and not os.environ.get("TEST_REDIS_URL"):
        _missing("needs Redis (TEST_REDIS_URL=redis://…)")
    if node.get_closest_marker("browser") and not CHROMIUM.exists():
        _missing(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _service_markers(request):
    check_service_markers(request.node)


def pytest_sessionstart(session):
    if REQUIRE_SERVICES:
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"REQUIRE_SERVICES=1 but the database engine is {engine}, not PostgreSQL")


def _celery_reset_clients(app) -> None:
    """Forget the broker pool and result backend made for the eager, in-memory configuration."""
    import threading

    app._after_fork()  # what Celery itself does to forget connection and producer pools
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture
def celery_redis_worker():
    """A real Celery worker (a thread with the solo pool) consuming from Redis at TEST_REDIS_URL.

    Tasks sent while it runs go through Redis and come back with results through Redis, so a test
    proves the task is registered, serialisable and works outside the web process. Needs
    `@pytest.mark.redis` and `@pytest.mark.django_db(transaction=True)` (the worker thread must see
    committed rows).
    """
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from marketplace.celery import app

    url = os.environ["TEST_REDIS_URL"]
    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _celery_reset_clients(app)

    def close_connections(**kwargs):
        connections.close_all()  # the worker thread's own database connection

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            yield app
    finally:
        task_postrun.disconnect(close_connections)
        app.conf.update(saved)
        _celery_reset_clients(app)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """With --reuse-db, a run that ended with transactional tests leaves flushed tables behind; put
    back what migrations created and the suite relies on (Wagtail's locale and root page)."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    with django_db_blocker.unblock():
        locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
        if not Page.objects.filter(depth=1).exists():
            Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def fresh_cache():
    """The cache (labels, offers, renditions) empty before and after the test, as a fresh process has it."""
    cache.clear()
    yield
    cache.clear()


def chromium_page(base_url: str):
    """A page of Debian's headless Chromium (Playwright) that can only reach `base_url` (a generator:
    fixtures yield from it).

    Requests to any other host are aborted (no map tiles, fonts or CDNs), and page errors and CSP
    violations fail the test.
    """
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from django.db import connections
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # A Content-Security-Policy violation is an error too (marketplace/core/security.py).
        page.on("console", lambda msg: "Content Security Policy" in msg.text and errors.append(msg.text))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
        yield page
        browser.close()
        # Playwright runs the test inside its greenlet, where Django opens connections of its own:
        # close them here or the test database cannot be dropped at the end of the run.
        connections.close_all()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def browser_page(live_server):
    """Chromium on the live server (chromium_page)."""
    yield from chromium_page(live_server.url)


@pytest.fixture
def screenshot():
    """Save a full-page PNG under test-artifacts/ (gitignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def site_languages(settings):
    """serve("it", "en", "fr") switches the site's languages for one test as SITE_LANGUAGES does at
    startup, and creates their Wagtail Locale rows as the post_migrate sync does."""
    from cms.languages import locales_sync
    from marketplace.env import LANGUAGE_NAMES

    def serve(*codes: str) -> None:
        languages = [(code, LANGUAGE_NAMES[code]) for code in codes]
        settings.LANGUAGES = languages
        settings.WAGTAIL_CONTENT_LANGUAGES = languages
        locales_sync()

    return serve


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's default language: a request an earlier test made through the
    test client leaves its language active in the thread, and URLs reversed afterwards would carry it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
