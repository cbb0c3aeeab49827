"""The secret tokens of calendar feed URLs: made on first need, rotated by their owner, found in constant time.

Public API:
    feed_token(*, kind, partner=None, operator=None) -> CalendarFeedToken     the owner's token, made lazily
    feed_token_rotate(*, kind, partner=None, operator=None) -> CalendarFeedToken   a new secret; the old URL 404s
    feed_token_find(*, token, kind) -> CalendarFeedToken | None
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import CalendarFeedToken

TOKEN_BYTES = 32  # 43 URL-safe characters: unguessable, so a feed needs no login


def _lookup(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, _lookup(token)


def _owner(kind: str, partner, operator) -> dict:
    if (partner is None) == (operator is None):
        raise ValueError("a feed token belongs to a partner or an operator, exactly one")
    if (kind == CalendarFeedToken.Kind.OPERATOR_BOOKINGS) != (operator is not None):
        raise ValueError(f"kind {kind!r} does not fit this owner")
    return {"partner": partner, "operator": operator, "kind": kind}


def feed_token(*, kind: str, partner=None, operator=None) -> CalendarFeedToken:
    """The owner's token of this kind, made the first time its Calendars page asks (demo data and
    existing partners need no migration step). Two first visits at once: the unique constraint keeps
    one, the loser reads it."""
    owner = _owner(kind, partner, operator)
    row = CalendarFeedToken.objects.filter(**owner).first()
    if row is not None:
        return row
    token, lookup = _new_secret()
    try:
        with transaction.atomic():
            return CalendarFeedToken.objects.create(**owner, token=token, lookup=lookup)
    except IntegrityError:
        return CalendarFeedToken.objects.get(**owner)


def feed_token_rotate(*, kind: str, partner=None, operator=None) -> CalendarFeedToken:
    """Replace the secret (a leaked URL, a colleague who left): from the commit on, the old URL answers
    404 and only the new one works; calendar apps must be subscribed again."""
    owner = _owner(kind, partner, operator)
    with transaction.atomic():
        row = CalendarFeedToken.objects.select_for_update().filter(**owner).first()
        token, lookup = _new_secret()
        if row is None:
            return CalendarFeedToken.objects.create(**owner, token=token, lookup=lookup)
        row.token, row.lookup, row.rotated_at = token, lookup, timezone.now()
        row.save(update_fields=["token", "lookup", "rotated_at"])
    return row


def feed_token_find(*, token: str, kind: str) -> CalendarFeedToken | None:
    """The token row a feed URL names, or None (unknown, rotated, malformed or of another kind). One
    indexed query on the token's hash; the token itself compared in constant time."""
    if not token or len(token) > 64:
        return None
    row = (
        CalendarFeedToken.objects.filter(lookup=_lookup(token), kind=kind).select_related("partner", "operator").first()
    )
    if row is None or not hmac.compare_digest(row.token.encode(), token.encode()):
        return None
    return row
