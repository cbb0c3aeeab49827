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
database is rolled back under a cache that is not), and a value is kept at most that long: a safety net
for a deployment whose processes do not share a cache (no REDIS_URL), where one process's publish does
not reach the others' generation. Only small values are kept (a Site with its root page, Locales, the
column values of pages), at most MAX_ENTRIES of them.
"""

import threading
from time import monotonic

from django.conf import settings

from cms.cache import page_versions

MAX_ENTRIES = 2000

_local = threading.local()
_values: dict = {}


def memo_clear() -> None:
    _values.clear()


def memo_on() -> bool:
    """Whether this thread is serving a request with the memo on."""
    return getattr(_local, "versions", None) is not None


def memoized(key, compute):
    """`compute()`, remembered under `key` for the current request's versions; computed afresh outside
    a request or when the memo is off."""
    versions = getattr(_local, "versions", None)
    if versions is None:
        return compute()
    now = monotonic()
    hit = _values.get(key)
    if hit is not None and hit[0] == versions and hit[1] > now:
        return hit[2]
    value = compute()
    if len(_values) >= MAX_ENTRIES:
        _values.clear()
    _values[key] = (versions, now + settings.CMS_FRAGMENT_CACHE_SECONDS, value)
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


def page_at_url_path(url_path: str):
    """A new instance of the live or draft page at `url_path` (any site), or None. What is remembered is
    its model and column values, not an instance: each request gets its own, with nothing of another
    request's on it. StreamFields are left out (deferred: read when a fragment must be rendered), so a
    collection with a long offers list costs the same as a short one."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import DEFAULT_DB_ALIAS
    from wagtail.fields import StreamField
    from wagtail.models import Page

    def find():
        found = Page.objects.filter(url_path=url_path).values_list("content_type_id", "pk").first()
        model = ContentType.objects.get_for_id(found[0]).model_class() if found else None
        if model is None:
            return None
        names = [f.attname for f in model._meta.concrete_fields if not isinstance(f, StreamField)]
        values = model.objects.filter(pk=found[1]).values_list(*names).first()
        return (model, names, values) if values else None

    found = memoized(("route", url_path), find)
    return found[0].from_db(DEFAULT_DB_ALIAS, found[1], found[2]) if found else None
