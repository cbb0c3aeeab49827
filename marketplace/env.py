"""Read the environment once, with clear errors.

Every setting that changes between a developer's laptop, CI and production is read here and
nowhere else, so README.md's table of variables and the code cannot drift apart silently.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATABASE_SCHEMES = ("postgres", "postgresql", "pgsql", "sqlite")


def database_from_env(default: str) -> dict:
    """Parse DATABASE_URL, refusing anything but PostgreSQL or SQLite with a message that says why."""
    url = env.str("DATABASE_URL", default=default).strip()
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not a database URL this project supports. "
            "Use postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///path/to/file.sqlite3."
        )
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # environ raises several types for malformed URLs
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} could not be parsed: {exc}") from exc
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database (…/NAME at the end).")
    if scheme != "sqlite":
        config.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
        config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


def redis_url() -> str | None:
    """REDIS_URL, or None: without it Celery runs eagerly and the cache is local memory."""
    url = env.str("REDIS_URL", default="").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL={url!r} must start with redis://, rediss:// or unix://.")
    return url or None
