"""Cached fragments of the destination pages, for the visitors the whole-page cache cannot serve.

The page cache (cms/cache.py) only answers visitors without a session, basket or CSRF cookie: anyone
who has logged in, put something in the basket or opened a form is rendered afresh on every page. Most
of a destination page is the same for all of them, though; only the header (basket, login links) and the
messages are theirs. So a page is rendered from three cached fragments, `{% pagefragment %}` in the
templates: "head" (hreflang, Open Graph, JSON-LD), "languages" (the switcher) and "content" (everything
in <main> but the messages). When all three are cached, `page_response` does not even build the page's
context (the listings, the offers): the template only renders the header and footer around them. The
header itself is a fourth fragment, "header", shared only by visitors without an account or a basket
(most visitors with a cookie have just a CSRF token); everyone else gets theirs rendered.

Keys carry the page cache's versions (page generation, labels version, today's date, languages), so a
publish, an offer change or a lapsed label drops fragments and whole pages alike, and the same
`CMS_FRAGMENT_CACHE_SECONDS` bound applies to live prices. They also carry the scheme, host, interface
language and full path (filters and pagination are in the query string). Previews are never cached,
and a fragment that holds a CSRF token is not stored (it would hand one visitor's token to another).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils import translation
from wagtail.models import Page

from cms.cache import page_versions

FRAGMENTS = ("head", "languages", "content")  # need the page's context: get_context runs unless all are cached
HEADER = "header"  # the same for every visitor without an account or a basket: see `_personal`


def _prefix(request) -> str | None:
    """The key prefix of this request's fragments, or None when they must be rendered afresh."""
    if settings.CMS_FRAGMENT_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if getattr(request, "is_preview", False) or getattr(request, "is_dummy", False):
        return None
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = translation.get_language()
    return f"cms:fragment:{page_versions(request)}:{request.scheme}:{request.get_host()}:{language}:{digest}:"


def page_response(page: Page, request, template: str, get_context) -> TemplateResponse:
    """The page's response, with its cached fragments when there are some. `get_context()` (the page's
    full context, listings and offers included) is only called when a fragment has to be rendered."""
    prefix = _prefix(request)
    found = {}
    if prefix is not None:
        keys = [prefix + name for name in (*FRAGMENTS, HEADER)]
        found = {key[len(prefix) :]: html for key, html in cache.get_many(keys).items()}
        request._cms_fragments = (prefix, found)
    if all(name in found for name in FRAGMENTS):
        context = Page.get_context(page, request)  # page, self, request: all the template uses outside fragments
    else:
        context = get_context()
    return TemplateResponse(request, template, context)


def fragment_render(request, name: str, render) -> str:
    """The fragment `name` of the page being served: cached, or rendered by `render()` and stored."""
    state = getattr(request, "_cms_fragments", None) if request is not None else None
    if state is None:  # not a page served by page_response, or caching is off for this request
        return render()
    if name == HEADER and _personal(request):
        return render()
    prefix, found = state
    html = found.get(name)
    if html is None:
        html = render()
        if "csrfmiddlewaretoken" not in html:
            cache.set(prefix + name, html, settings.CMS_FRAGMENT_CACHE_SECONDS)
    return html


def _personal(request) -> bool:
    """Whether the header shows something of the visitor's own: an account's links, a basket's count. No
    query for visitors without a session cookie (the user is only loaded when there is one)."""
    return settings.OSCAR_BASKET_COOKIE_OPEN in request.COOKIES or request.user.is_authenticated
