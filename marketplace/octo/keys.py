"""API keys: created shown once, stored hashed, revoked, and checked on every request.

A secret is `octo_` + 32 random bytes (urlsafe base64): with that much entropy a plain SHA-256 is a safe
and fast hash (no salt or slow KDF needed, unlike passwords), and lets the lookup be one indexed query
on the hash. The comparison after the lookup is constant-time all the same.

Public API:
    api_key_create(*, partner, name, test_mode=False, rate_limit_per_minute=None, by=None) -> (ApiKey, secret)
    api_key_revoke(*, key, by=None) -> ApiKey
    api_key_set_rate_limit(*, key, rate_limit_per_minute) -> ApiKey   (staff)
    api_key_for_secret(secret) -> ApiKey | None     (None: unknown or revoked)
    api_key_touch(*, key, now=None)                 last_used_at, written at most once a minute
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from marketplace.trade.models import TradePartner

from .models import ApiKey

SECRET_PREFIX = "octo_"
PREFIX_LENGTH = 12
TOUCH_EVERY = dt.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    partner: TradePartner,
    name: str,
    test_mode: bool = False,
    rate_limit_per_minute: int | None = None,
    by=None,
) -> tuple[ApiKey, str]:
    """A new key for `partner` and its secret, which is never stored: show it once (the portal and the
    admin render it on the answer to the POST that created it, the command prints it). `by`: who made it
    (a partner's administrator or DMC staff; None from the shell)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(partner=partner, name=name.strip(), prefix=secret[:PREFIX_LENGTH], secret_hash=_hash(secret))
    key.created_by = by if getattr(by, "is_authenticated", False) else None
    key.test_mode = test_mode
    if rate_limit_per_minute is not None:
        key.rate_limit_per_minute = rate_limit_per_minute
    key.save()
    return key, secret


def api_key_revoke(*, key: ApiKey, by=None) -> ApiKey:
    """Revoke `key` at once (requests with it get 401 from now on); revoking twice keeps the first time
    and its author. There is no un-revoke: a partner makes a new key."""
    revoked_by = by if getattr(by, "is_authenticated", False) else None
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=revoked_by)
    key.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return key


RATE_LIMIT_MAX = 100_000


def api_key_set_rate_limit(*, key: ApiKey, rate_limit_per_minute: int) -> ApiKey:
    """Staff set how many requests a minute the key may make (1 to 100,000); the next window uses it."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not 1 <= int(rate_limit_per_minute) <= RATE_LIMIT_MAX:
        raise ValidationError(
            {"rate_limit_per_minute": _("Between 1 and %(max)s requests a minute.") % {"max": f"{RATE_LIMIT_MAX:,}"}}
        )
    key.rate_limit_per_minute = int(rate_limit_per_minute)
    key.save(update_fields=["rate_limit_per_minute"])
    return key


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The active key whose secret this is (with its partner), or None."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    digest = _hash(secret)
    key = ApiKey.objects.select_related("partner").filter(secret_hash=digest, revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.secret_hash, digest):
        return None
    return key


def api_key_touch(*, key: ApiKey, now: dt.datetime | None = None) -> None:
    """Record the key's use, at most once a minute (no write on every request of a busy partner)."""
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
