from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


def _live_translations(page, request) -> dict:
    """{language code: live translation (the page included)} in one query, memoised on the request
    because the language switcher and the hreflang links both need it."""
    cache = getattr(request, "_live_translations", None) if request is not None else None
    if cache is not None and cache[0] == page.pk:
        return cache[1]
    result = {t.locale.language_code: t for t in page.get_translations(inclusive=True).live().select_related("locale")}
    if request is not None:
        request._live_translations = (page.pk, result)
    return result


def _page_url_in(page, language_code: str, request=None) -> str | None:
    """The URL of this Wagtail page's translation, or of that language's home, or None."""
    translation_ = _live_translations(page, request).get(language_code)
    if translation_ is not None:
        return translation_.get_url(request)
    site = page.get_site()
    if site is not None:
        home = _live_translations(site.root_page, None).get(language_code)
        if home is not None:
            return home.get_url(request)
    return None


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language that keeps the visitor on the same page (its translation, for Wagtail)."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if page is not None and hasattr(page, "get_translation_or_none"):
            url = _page_url_in(page, code, request)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url or f"/{code}/", "active": code == current})
    return links


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each language the current page exists in, plus x-default.

    For a Wagtail page only its live translations are listed (a missing translation is not an alternate);
    other views are the same view under each language prefix.
    """
    from django.utils.html import format_html_join

    request = context.get("request")
    page = context.get("page")
    if request is None:
        return ""
    alternates = []
    if page is not None and hasattr(page, "get_translations"):
        for code, translated in _live_translations(page, request).items():
            alternates.append((code, translated.get_full_url(request)))
    else:
        for code, _name in settings.LANGUAGES:
            alternates.append((code, request.build_absolute_uri(translate_url(request.get_full_path(), code))))
    alternates.sort(
        key=lambda a: [c for c, _n in settings.LANGUAGES].index(a[0]) if a[0] in dict(settings.LANGUAGES) else 99
    )
    default = next((url for code, url in alternates if code == settings.LANGUAGE_CODE), None)
    if default:
        alternates.append(("x-default", default))
    if not alternates:
        return ""
    return format_html_join("\n    ", '<link rel="alternate" hreflang="{}" href="{}">', alternates)


@register.simple_tag(takes_context=True)
def site_json_ld(context):
    """The schema.org WebSite + Organization every page carries (pages add their own entity)."""
    import json

    from django.utils.safestring import mark_safe

    request = context.get("request")
    base = request.build_absolute_uri("/") if request else settings.SITE_URL.rstrip("/") + "/"
    language = translation.get_language()
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": base + "#organization", "name": settings.DMC_NAME, "url": base},
            {
                "@type": "WebSite",
                "@id": base + "#website",
                "name": settings.DMC_NAME,
                "url": base,
                "inLanguage": language,
                "publisher": {"@id": base + "#organization"},
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": f"{base}{language}/search/?q={{search_term_string}}",
                    "query-input": "required name=search_term_string",
                },
            },
        ],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
