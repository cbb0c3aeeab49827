"""The demo destination (`load_demo`, what `make demo` serves) loaded once and served by one live server
for every browser test of this package: loading it for each journey cost a minute or more per test.

The server thread reads the database through its own connection, so the demo is committed, not held in a
rolled-back transaction as tests/demo does; at the end the database is flushed, as pytest-django does
after each transactional test. These tests carry no `django_db` mark (pytest-django would flush after
each of them): `_database_open` lets their own checks read the database. What one journey books stays
for the next, as on a real site; each journey still starts in a fresh browser context.
"""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.conftest import chromium_page


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        cache.clear()
        call_command("load_demo", quiet_logins=True, stdout=StringIO())
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
            call_command("flush", verbosity=0, interactive=False)
            cache.clear()


@pytest.fixture(autouse=True)
def _database_open(django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def demo_page(demo_site):
    """Chromium on the demo's live server (tests/conftest.py chromium_page)."""
    yield from chromium_page(demo_site.url)
