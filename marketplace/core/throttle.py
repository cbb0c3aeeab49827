"""Count attempts per key in the cache and refuse beyond a limit per window (password resets, sign-ups).

A fixed window that starts with the first attempt: simple, shared by every process through the cache
(Redis in production), and enough to stop a script from mailing someone a hundred times.
"""

import hashlib

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def client_address(request) -> str:
    """The visitor's address as the login lockout sees it (TRUSTED_PROXY_COUNT applies to both)."""
    return get_client_ip_address(request) or ""


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
