"""Count attempts per key in the cache and refuse beyond a limit per window (password resets, sign-ups).

A fixed window that starts with the first attempt: simple, shared by every process through the cache
(Redis in production), and enough to stop a script from mailing someone a hundred times.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The visitor's address, for the login lockout (AXES_CLIENT_IP_CALLABLE) and the throttles alike.

    With TRUSTED_PROXY_COUNT proxies in front, the address the first of them saw: X-Forwarded-For's
    entry that many places from the right (each proxy appends the address it received from, so the
    entries further left are whatever the client wrote and cannot be trusted). Without proxies, or
    when the header is shorter than that, REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or ""


def throttle_allow(scope: str, *keys: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt under every key (an address, an e-mail…); False, counting nothing, once any key
    has reached `limit` in its window."""
    names = [f"throttle:{scope}:{hashlib.sha256(key.strip().lower().encode()).hexdigest()}" for key in keys if key]
    counts = cache.get_many(names)
    if any(counts.get(name, 0) >= limit for name in names):
        return False
    for name in names:
        if not cache.add(name, 1, window_seconds):
            try:
                cache.incr(name)
            except ValueError:  # expired between add and incr
                cache.add(name, 1, window_seconds)
    return True
