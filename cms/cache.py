"""Whole-page cache of the destination pages for anonymous visitors, purged by every publish.

Why not Wagtail's frontend cache: it purges a CDN or Varnish, which a one-machine DMC does not run
(and it can still be enabled in front of this). Why not `cache_page`: it runs after sessions, baskets
and Wagtail's routing, so a hit would still cost SQL queries. This middleware sits right after
WhiteNoise: a hit is answered from the cache without touching the database.

What is stored: GET responses (200) that set `response.cms_cacheable`: Wagtail pages (cms/models/base.py),
the GeoJSON endpoint and the places list (cms/views.py), for requests without a session or basket cookie
(personalised headers) and whose response sets no cookie; with every header of the response (the
security headers of marketplace/core/security.py included). Keys carry a generation number; publishing, unpublishing, moving or deleting
any page bumps it, which drops every cached page at once (listings and menus on other pages change
too). The timeout (CMS_PAGE_CACHE_SECONDS) bounds how stale live offer prices can get; the offer apps
can call `page_cache_clear()` when availability changes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from marketplace.core.cache_generation import cache_generation, cache_generation_bump

GENERATION_KEY = "cms:pagecache:generation"
PERSONAL_COOKIES = ("sessionid", "csrftoken", "oscar_open_basket", "wagtail_preview")


def page_cache_clear() -> None:
    """Invalidate every cached page (a new generation: old entries expire on their own)."""
    cache_generation_bump(GENERATION_KEY)


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.CMS_PAGE_CACHE_SECONDS <= 0:
        return False
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return False
    return not request.path.startswith(("/admin/", "/django-admin/", "/static/", "/media/"))


def page_versions(request=None) -> str:
    """`_versions()`, read once per request: the page cache and the page fragments (cms/fragments.py) both
    key on it."""
    if request is None:
        return _versions()
    if not hasattr(request, "_cms_versions"):
        request._cms_versions = _versions()
    return request._cms_versions


def _versions() -> str:
    """What a cached page depends on besides its URL: the page generation, the labels' version (any
    award or scheme change bumps it), today's date (an award whose expiry day arrives, a past event),
    so a lapsed or revoked label leaves cached pages at once, and the languages the site serves (a
    restart with another SITE_LANGUAGES changes every language switcher). No SQL: two cache reads."""
    from certifications.selectors import labels_cache_version

    languages = "-".join(code for code, _name in settings.LANGUAGES)
    return f"{cache_generation(GENERATION_KEY)}.{labels_cache_version()}.{timezone.localdate():%Y%m%d}.{languages}"


def _key(request, versions: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"cms:page:{versions}:{request.get_host()}:{digest}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, page_versions(request))
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        # Vary: Cookie is kept for downstream caches; this cache itself only ever serves cookie-less visitors.
        if getattr(response, "cms_cacheable", False) and response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            # Every header is stored (cookies never: such responses are not cached), so a hit carries the
            # same security headers as the miss: CSP with its nonce, X-Frame-Options, Vary… (tests/cms).
            stored = HttpResponse(response.content, status=200)
            for header, value in response.items():
                stored[header] = value
            cache.set(key, stored, settings.CMS_PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
