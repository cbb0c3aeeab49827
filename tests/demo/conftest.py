"""The demo destination (`load_demo`, with its two years of history, as `make demo` loads it) loaded once
for every test of this package.

Loading it takes about a minute on PostgreSQL; each test used to load it again. Here it is loaded inside
a transaction opened for the whole package and rolled back at its end, so the rest of the suite still
starts from an empty database. Each test runs in its own savepoint inside it (pytest-django's `db`), so
what one test changes (a second load, a booking) is gone for the next. The outer block is marked as a
test case's, as Django's TestCase marks its own: load_demo's steps open durable transactions, which
Django allows only directly inside a test case's block.
"""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package", autouse=True)
def demo_destination(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        cache.clear()
        block = transaction.atomic()
        block._from_testcase = True
        block.__enter__()
        try:
            with override_settings(DEMO_HISTORY=True):
                call_command("load_demo", quiet_logins=True, stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The database goes back to the loaded demo after each test, the cache with it: a page cached by one
    test (with its SITE_URL, its bookings) is not served to the next."""
    cache.clear()
    yield
    cache.clear()
