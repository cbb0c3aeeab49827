from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from marketplace.core.json_ld import json_ld_script

register = template.Library()


def _is_wagtail_page(page) -> bool:
    return page is not None and hasattr(page, "get_translations") and hasattr(page, "url_path")


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


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each served language the current page can be read in, plus
    x-default (Italian). A destination page lists its live translations, and in a language with no pages
    yet the default page under that prefix (cms/languages.py); a missing translation is no alternate.
    Other views are the same view under each language prefix."""
    from django.utils.html import format_html_join

    from cms.languages import page_alternates

    request = context.get("request")
    page = context.get("page")
    if request is None:
        return ""
    if _is_wagtail_page(page):
        alternates = page_alternates(page, request)
    else:
        alternates = [
            (code, request.build_absolute_uri(translate_url(request.get_full_path(), code)))
            for code, _name in settings.LANGUAGES
        ]
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
