from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


def _page_url_in(page, language_code: str) -> str | None:
    """The URL of this Wagtail page's translation, or of that language's home, or None."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        return None
    translation_ = page.get_translation_or_none(locale)
    if translation_ is not None and translation_.live:
        return translation_.url
    site = page.get_site()
    if site is not None:
        home = site.root_page.get_translation_or_none(locale)
        if home is not None and home.live:
            return home.url
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
            url = _page_url_in(page, code)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url or f"/{code}/", "active": code == current})
    return links
