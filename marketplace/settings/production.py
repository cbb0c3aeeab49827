"""Production: safe by default. It refuses to start, naming the variable, rather than run unsafely.

Every refusal is an ImproperlyConfigured raised while the settings load, so gunicorn, Celery and every
manage.py command stop at once (a system check would not stop gunicorn). All problems are listed at once.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    MEDIA_ROOT,
    PRIVATE_MEDIA_ROOT,
    SECRET_KEY,
    STORAGES,
    STRIPE_PUBLISHABLE_KEY,
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
    env,
)

# Keys that are public (.env.example, the development default, the test settings): never a production secret.
KNOWN_SECRET_KEYS = (
    "change-me-to-a-long-random-string-of-at-least-forty-characters",
    "dev-only-insecure-key-change-me",
    "test-secret-key-not-for-production",
)
NEW_KEY_HINT = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def _refusals() -> list[str]:
    refusals = []
    if env.bool("DEBUG", default=False):
        refusals.append("DEBUG must be off in production (it shows settings and code to anyone): unset DEBUG.")
    if SECRET_KEY in KNOWN_SECRET_KEYS or SECRET_KEY.startswith("dev-only") or "change-me" in SECRET_KEY:
        refusals.append(
            f"SECRET_KEY is an example or development key, known to everyone: set a new one ({NEW_KEY_HINT})."
        )
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        refusals.append(
            f"SECRET_KEY must be set to a long random value in production, 50+ characters ({NEW_KEY_HINT})."
        )
    # Without Stripe keys the demo payment would place real orders with no money taken.
    stripe_keys = {
        "STRIPE_SECRET_KEY": (STRIPE_SECRET_KEY, ("sk_", "rk_")),
        "STRIPE_PUBLISHABLE_KEY": (STRIPE_PUBLISHABLE_KEY, ("pk_",)),
        "STRIPE_WEBHOOK_SECRET": (STRIPE_WEBHOOK_SECRET, ("whsec_",)),
    }
    for name, (value, prefixes) in stripe_keys.items():
        if not value.startswith(prefixes):
            refusals.append(
                f"{name} must be set to Stripe's {' or '.join(p + '…' for p in prefixes)} key in production: "
                "without it the demo payment would place orders with no money taken (docs/stripe.md)."
            )
    # Certification evidence is private: never in the public default storage or under MEDIA_ROOT.
    if "private" not in STORAGES:
        refusals.append('STORAGES["private"] is missing: private documents would have nowhere safe to go.')
    if not env.str("PRIVATE_MEDIA_ROOT", default=""):
        refusals.append("PRIVATE_MEDIA_ROOT must name a directory outside MEDIA_ROOT for private documents.")
    elif Path(PRIVATE_MEDIA_ROOT).resolve().is_relative_to(Path(MEDIA_ROOT).resolve()):
        refusals.append(
            f"PRIVATE_MEDIA_ROOT={PRIVATE_MEDIA_ROOT!r} is inside MEDIA_ROOT={MEDIA_ROOT!r}, which is public."
        )
    allowed_hosts = env.list("ALLOWED_HOSTS", default=[])
    if not allowed_hosts:
        refusals.append("ALLOWED_HOSTS must list the site's host names in production.")
    return refusals


_problems = _refusals()
if _problems:
    raise ImproperlyConfigured("Production refuses to start:\n- " + "\n- ".join(_problems))

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
OSCAR_URL_SCHEMA = "https"
