import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.env import database_from_env, redis_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/dmc", "not a url", "postgres://postgres@127.0.0.1:5432/", "ftp://example.org/x"],
)
def test_a_bad_database_url_is_refused_with_a_message_that_names_it(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        database_from_env(default="sqlite:///x.sqlite3")
    assert "DATABASE_URL" in str(excinfo.value)


def test_postgres_and_sqlite_urls_are_parsed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://dmc:pw@db.example.org:5433/dmc")
    config = database_from_env(default="sqlite:///x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.example.org", 5433, "dmc", "dmc")
    monkeypatch.delenv("DATABASE_URL")
    assert database_from_env(default="sqlite:////tmp/demo.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


def test_redis_url_is_optional_but_must_be_a_redis_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert redis_url() is None
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")
    with pytest.raises(ImproperlyConfigured):
        redis_url()
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert redis_url() == "redis://127.0.0.1:6379/0"


# A production environment that starts; each test spoils one variable of it.
PRODUCTION = {
    "SECRET_KEY": "k3Jq9vT0wZ-pX2mR7sLc4bN8yH1aU6eF5gD_oViQzKtWrYxS-m4Np",
    "ALLOWED_HOSTS": "booking.example.org",
    "STRIPE_SECRET_KEY": "sk_test_123",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_123",
    "STRIPE_WEBHOOK_SECRET": "whsec_123",
    "PRIVATE_MEDIA_ROOT": "/srv/private-media",
    "MEDIA_ROOT": "/srv/media",
}
UNSET = object()


def _load_settings(module: str, code: str = "", **env) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly this environment (UNSET removes)."""
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "DEBUG", "REDIS_URL", "STRIPE_API_BASE"}}
    clean.update(DJANGO_SETTINGS_MODULE=module, DATABASE_URL="sqlite:////tmp/settings-check.sqlite3")
    clean.update({k: v for k, v in env.items() if v is not UNSET})
    code = code or "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def _load_production(code: str = "", **changes) -> subprocess.CompletedProcess:
    return _load_settings("marketplace.settings.production", code, **{**PRODUCTION, **changes})


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _load_production(SECRET_KEY=UNSET)
    assert result.returncode != 0
    assert "SECRET_KEY is an example or development key" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string-of-at-least-forty-characters",  # .env.example's
        "dev-only-insecure-key-change-me",  # base.py's default
        "test-secret-key-not-for-production",
    ],
)
def test_production_refuses_the_public_example_and_development_keys(key):
    result = _load_production(SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is an example or development key" in result.stderr


@pytest.mark.parametrize("key", ["short-but-random-Xy7", "x" * 60])
def test_production_refuses_short_or_repetitive_keys(key):
    result = _load_production(SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value" in result.stderr


def test_production_refuses_debug():
    result = _load_production(DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _load_production(ALLOWED_HOSTS=UNSET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("name", ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"])
def test_production_refuses_to_start_without_stripe_keys_so_the_demo_payment_cannot_sell(name):
    for value in (UNSET, "", "not-a-stripe-key"):
        result = _load_production(**{name: value})
        assert result.returncode != 0
        assert f"{name} must be set to Stripe's" in result.stderr
        assert "demo payment" in result.stderr


def test_production_refuses_to_start_without_a_private_directory_outside_media():
    result = _load_production(PRIVATE_MEDIA_ROOT=UNSET)
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT must name a directory" in result.stderr
    result = _load_production(PRIVATE_MEDIA_ROOT="/srv/media/private")
    assert result.returncode != 0
    assert "is inside MEDIA_ROOT" in result.stderr


def test_production_lists_every_problem_at_once():
    result = _load_production(DEBUG="true", SECRET_KEY=UNSET, STRIPE_SECRET_KEY=UNSET)
    assert result.returncode != 0
    for name in ("DEBUG", "SECRET_KEY", "STRIPE_SECRET_KEY"):
        assert name in result.stderr


def test_private_storage_never_falls_back_to_the_public_storage():
    code = (
        "import django; from django.conf import settings; settings.STORAGES; "
        "del settings.STORAGES['private']; django.setup()"
    )
    result = _load_settings("marketplace.settings.dev", code)
    assert result.returncode != 0
    assert 'STORAGES["private"] is not configured' in result.stderr


def test_production_is_safe_by_default():
    result = _load_production()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.CELERY_TASK_ALWAYS_EAGER, "
        "s.STORAGES['private']['OPTIONS']['location'])"
    )
    out = _load_production(code, REDIS_URL="redis://redis:6379/0")
    assert out.stdout.split() == ["True", "True", "True", "False", "/srv/private-media"], out.stderr


def test_dev_keeps_a_local_private_directory():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.STORAGES['private'])"
    result = _load_settings("marketplace.settings.dev", code, PRIVATE_MEDIA_ROOT=UNSET)
    assert result.returncode == 0, result.stderr
    assert str(ROOT / "private-media") in result.stdout
