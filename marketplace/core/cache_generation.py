"""Cache generations: one counter per family of cached entries, part of every key of the family, so
bumping it drops them all at once (the old entries expire on their own; no key scan, any backend)."""

from django.core.cache import cache


def cache_generation(key: str) -> int:
    """The family's current generation (1 the first time)."""
    generation = cache.get(key)
    if generation is None:
        cache.add(key, 1, None)
        generation = cache.get(key, 1)
    return generation


def cache_generation_bump(key: str) -> None:
    """A new generation: every entry keyed on the old one is no longer read."""
    try:
        cache.incr(key)
    except ValueError:  # evicted or never set
        cache.set(key, 2, None)
