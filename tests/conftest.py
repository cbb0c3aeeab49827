"""Suite-wide fixtures and the rules for tests that need real services.

- `@pytest.mark.postgres`: skipped on SQLite, but a failure when REQUIRE_SERVICES=1 (CI), so a CI
  machine without PostgreSQL fails instead of silently skipping the tests that matter most.
- `@pytest.mark.redis`: needs TEST_REDIS_URL (set by `make test` when Redis answers); same rule.
- `@pytest.mark.browser`: needs Debian's /usr/bin/chromium; skipped where it is absent.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: this must run here)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing("needs PostgreSQL (DATABASE_URL=postgres://…)")
    if request.node.get_closest_marker("redis") and not os.environ.get("TEST_REDIS_URL"):
        _missing("needs Redis (TEST_REDIS_URL=redis://…)")
    if request.node.get_closest_marker("browser") and not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")


def pytest_sessionstart(session):
    if REQUIRE_SERVICES:
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"REQUIRE_SERVICES=1 but the database engine is {engine}, not PostgreSQL")
