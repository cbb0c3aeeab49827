"""REQUIRE_SERVICES=1 (CI) turns every missing service into a failure, the browser included: a CI
machine without chromium must not pass by skipping the browser tests."""

from pathlib import Path

import pytest

import tests.conftest as suite


class Node:
    """A collected test carrying some markers (all `check_service_markers` reads)."""

    def __init__(self, *markers):
        self.markers = {name: getattr(pytest.mark, name) for name in markers}

    def get_closest_marker(self, name):
        return self.markers.get(name)


@pytest.fixture
def no_services(monkeypatch):
    monkeypatch.setattr(suite, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.delenv("TEST_REDIS_URL", raising=False)


@pytest.mark.parametrize("marker", ["browser", "redis"])
def test_a_missing_service_fails_when_services_are_required(monkeypatch, no_services, marker):
    monkeypatch.setattr(suite, "REQUIRE_SERVICES", True)
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_SERVICES=1"):
        suite.check_service_markers(Node(marker))


@pytest.mark.parametrize("marker", ["browser", "redis"])
def test_a_missing_service_skips_otherwise(monkeypatch, no_services, marker):
    monkeypatch.setattr(suite, "REQUIRE_SERVICES", False)
    with pytest.raises(pytest.skip.Exception):
        suite.check_service_markers(Node(marker))
