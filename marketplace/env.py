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


# Every language the engine is translated into (interface catalogues, model columns), in switcher order.
# Italian is the DMC's own language: the default, the one content is written in first, and the last fallback.
LANGUAGE_NAMES = {"it": "Italiano", "en": "English", "fr": "Français", "de": "Deutsch"}


def site_languages(default: str = "it,en") -> list[tuple[str, str]]:
    """SITE_LANGUAGES ("it,en,fr,de"): the languages the site serves, as Django's LANGUAGES.

    Switching French or German on is this variable alone (their catalogues and columns always exist);
    a code we have no translations for, or Italian not first, stops the site at startup with the reason.
    """
    raw = env.str("SITE_LANGUAGES", default=default)
    codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
    known = ", ".join(LANGUAGE_NAMES)
    unknown = [code for code in codes if code not in LANGUAGE_NAMES]
    if unknown:
        raise ImproperlyConfigured(
            f"SITE_LANGUAGES={raw!r}: this site is not translated into {', '.join(unknown)}. "
            f"Choose among {known}, comma-separated, Italian first (e.g. SITE_LANGUAGES=it,en,fr,de)."
        )
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise ImproperlyConfigured(f"SITE_LANGUAGES={raw!r} lists {', '.join(duplicated)} more than once.")
    if not codes or codes[0] != "it":
        raise ImproperlyConfigured(
            f"SITE_LANGUAGES={raw!r} must start with it: Italian is the site's default language, the one "
            "its pages and offers are written in first (e.g. SITE_LANGUAGES=it,en,fr,de)."
        )
    return [(code, LANGUAGE_NAMES[code]) for code in codes]
