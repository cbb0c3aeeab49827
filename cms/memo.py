"""What every destination page request asks the database, remembered in each web process.

Before rendering anything Wagtail reads the request's Site (a query with four CASE branches), the
active Locale, each page of the path one level at a time, and the view restrictions of the page and
its ancestors: seven to ten queries that only change when an editor publishes, moves a page, edits a
site, a locale or a restriction. Those changes all bump the page generation (cms/receivers.py), so
the values are remembered here for the current versions of the page cache (`page_versions`) and read
again once per process after a change. The versions are read once per request by
`PageMemoMiddleware` (one cache read, shared with the page cache) and a value computed under older
versions is never served under newer ones.

Like the page fragments, it is on when `CMS_FRAGMENT_CACHE_SECONDS` > 0 (off in the tests, whose
database is rolled back under a cache that is not). Only small values are kept (a Site with its root
page, Locales, content type ids), at most MAX_ENTRIES of them.
"""

import threading

from django.conf import settings

from cms.cache import page_versions

MAX_ENTRIES = 2000

_local = threading.local()
_values: dict = {}


def memo_clear() -> None:
    _values.clear()


def memoized(key, compute):
    """`compute()`, remembered under `key` for the current request's versions; computed afresh outside
    a request or when the memo is off."""
    versions = getattr(_local, "versions", None)
    if versions is None:
        return compute()
    hit = _values.get(key)
    if hit is not None and hit[0] == versions:
        return hit[1]
    value = compute()
    if len(_values) >= MAX_ENTRIES:
        _values.clear()
    _values[key] = (versions, value)
    return value


def _site_for_request(request):
    from wagtail.models import Site

    hostname, port = request._get_raw_host(), request.get_port()

    def find():
        site = Site._find_for_request(request)
        if site is not None and site.root_page_id:
            site.root_page = site.root_page.specific  # its `localized` uses the memoized Locale
        return site

    return memoized(("site", hostname, port), find)


class PageMemoMiddleware:
    """Opens the memo for the request and hands Wagtail the remembered Site (`Site.find_for_request`
    returns `request._wagtail_site` when it is set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.CMS_FRAGMENT_CACHE_SECONDS <= 0:
            return self.get_response(request)
        _local.versions = page_versions(request)
        try:
            request._wagtail_site = _site_for_request(request)
            return self.get_response(request)
        finally:
            _local.versions = None


def locale_for_language(code: str):
    """The Locale of a content language, or None."""
    from wagtail.models import Locale

    return memoized(("locale", code), lambda: Locale.objects.filter(language_code=code).first())


def any_view_restrictions() -> bool:
    from wagtail.models import PageViewRestriction

    return memoized(("view-restrictions",), PageViewRestriction.objects.exists)


def page_for_url_path(url_path: str) -> tuple[int, int] | None:
    """(content type id, id) of the page at `url_path` (any site), or None when there is none: then
    the page is one query by primary key (url_path has no index)."""
    from wagtail.models import Page

    return memoized(
        ("route", url_path),
        lambda: Page.objects.filter(url_path=url_path).values_list("content_type_id", "pk").first(),
    )
