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


def _load_settings(module: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL"}}
    clean.update(DJANGO_SETTINGS_MODULE=module, DATABASE_URL="sqlite:////tmp/settings-check.sqlite3", **env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _load_settings("marketplace.settings.production", ALLOWED_HOSTS="booking.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _load_settings("marketplace.settings.production", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_is_safe_by_default():
    result = _load_settings("marketplace.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="booking.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="booking.example.org",
        REDIS_URL="redis://redis:6379/0",
        DATABASE_URL="sqlite:////tmp/settings-check.sqlite3",
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True", "True", "False"], out.stderr
