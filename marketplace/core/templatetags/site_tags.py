import re
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from marketplace.core.json_ld import json_ld_script
from marketplace.core.origin import public_url

register = template.Library()


def _is_wagtail_page(page) -> bool:
    return page is not None and hasattr(page, "get_translations") and hasattr(page, "url_path")


TITLE_SEPARATORS = re.compile(r"\s+[·|]\s+")


@register.filter(is_safe=True)
def site_title(title) -> str:
    """A page's <title> as "Page · Section · Site": the parts its templates stacked up (with "|" or "·"),
    each once, the site's name once and last, whatever the page itself is called (a home page titled
    with the site's name, Oscar's "… | shop name" under ours). Already escaped: the rendered block."""
    parts = []
    for part in TITLE_SEPARATORS.split(" ".join(str(title).split())):
        if part and part.casefold() not in {p.casefold() for p in parts}:
            parts.append(part)
    name = conditional_escape(settings.DMC_NAME)
    parts = [part for part in parts if part.casefold() != str(name).casefold()]
    return mark_safe(" · ".join([*parts, name]))  # the parts come from the rendered (escaped) block


@register.filter(name="public_url")
def public_url_filter(url) -> str:
    """`{{ photo.image.url|public_url }}`: an absolute URL on the public origin (Open Graph images)."""
    return public_url(str(url or ""))


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language the site serves that keeps the visitor on the same page: for a destination
    page its translation (or, in a language with no pages yet, the same page under that prefix), else
    that language's home; for other views the same view under the language's prefix."""
    from cms.languages import page_url_in_language

    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if _is_wagtail_page(page):
            url = page_url_in_language(page, code, request)
            site = page.get_site() if url is None else None
            if site is not None:
                url = page_url_in_language(site.root_page, code)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url or f"/{code}/", "active": code == current})
    return links


def canonical_path(request, keep: str = "") -> str:
    """The request's path with only the query parameters named in `keep` (space-separated), in a fixed
    order and without empty values: a listing's filters and sorts are variants of one page, its page
    number (or, for the catalogue, its kind) a page of its own."""
    params = [(name, request.GET.get(name)) for name in keep.split() if request.GET.get(name)]
    params = [(name, value) for name, value in params if not (name == "page" and value == "1")]
    return request.path + ("?" + urlencode(params) if params else "")


@register.simple_tag(takes_context=True)
def canonical_url(context, keep: str = "") -> str:
    """The absolute canonical URL of the current view on the public origin (settings.SITE_URL): the
    destination page's own URL, else the request's path with the query parameters named in `keep`."""
    page = context.get("page")
    if _is_wagtail_page(page):
        return page.get_full_url(context.get("request"))
    request = context.get("request")
    if request is None:
        return public_url("/")
    return public_url(canonical_path(request, keep))


@register.simple_tag(takes_context=True)
def hreflang_links(context, keep: str = ""):
    """<link rel="alternate" hreflang> for each served language the current page can be read in, plus
    x-default (Italian), all absolute on the public origin (settings.SITE_URL). A destination page lists
    its live translations, and in a language with no pages yet the default page under that prefix
    (cms/languages.py); a missing translation is no alternate. Other views are the same view under each
    language prefix, with the query parameters their canonical keeps (`keep`, see canonical_path)."""
    from django.utils.html import format_html_join

    from cms.languages import page_alternates

    request = context.get("request")
    page = context.get("page")
    if request is None:
        return ""
    if _is_wagtail_page(page):
        alternates = page_alternates(page, request)
    else:
        path = canonical_path(request, keep)
        alternates = [(code, public_url(translate_url(path, code))) for code, _name in settings.LANGUAGES]
    default = next((url for code, url in alternates if code == settings.LANGUAGE_CODE), None)
    if default:
        alternates.append(("x-default", default))
    if not alternates:
        return ""
    return format_html_join("\n    ", '<link rel="alternate" hreflang="{}" href="{}">', alternates)


@register.simple_tag(takes_context=True)
def site_json_ld(context):
    """The schema.org WebSite + Organization every page carries (pages add their own entity): the
    Organization with its logo and, from the company identity editors keep in Wagtail, its contact point."""
    from marketplace.core.json_ld import organization_json_ld, website_json_ld

    request = context.get("request")
    data = {"@context": "https://schema.org", "@graph": [organization_json_ld(request), website_json_ld()]}
    return json_ld_script(data)
