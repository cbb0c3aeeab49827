"""Destination pages in every language the site serves, including one that has no page of its own yet.

Wagtail routes /<language>/… through the site root's translation in that language, and while there is
none (French just switched on in SITE_LANGUAGES, nothing translated yet) through the root itself:
`site.root_page.localized` falls back to the Italian tree. So /fr/lucca/ serves the Italian Lucca page
with the French interface (menus, buttons, offers in French or their fallback) rather than a 404. The
functions here make everything else agree with that router: the locale listings and search read
(`content_locale`), the links between pages (they stay under /fr/, see PageMetadataMixin.get_url_parts),
the language switcher, the hreflang alternates and the sitemap. Once the home page is translated into a
language, Wagtail's own rules apply to it: each page in its own translation, or none.

Locale rows for the served languages are created after every migrate (`locales_sync`), so the editors
can translate pages into a language as soon as it is switched on.
"""

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from marketplace.core.languages import site_language_codes


def locales_sync() -> list[Locale]:
    """A Wagtail Locale for each language the site serves. Locales of languages switched off stay:
    their pages are kept (and no longer served) until someone deletes them."""
    return [Locale.objects.get_or_create(language_code=code)[0] for code in site_language_codes()]


def locales_sync_after_migrate(sender, **kwargs):
    locales_sync()


def _site_languages(page: Page, request=None) -> tuple[str | None, set[str]]:
    """(the language of the page's tree, the languages its site has a home page in), from Wagtail's
    cached site root paths: no query."""
    roots = page._get_site_root_paths(request)
    own = [root for root in roots if page.url_path.startswith(root.root_path)]
    if not own:
        return None, set()
    site_ids = {root.site_id for root in own}
    return own[0].language_code, {root.language_code for root in roots if root.site_id in site_ids}


def languages_without_pages(page: Page, request=None) -> list[str]:
    """Served languages for which the page's site has no home page (no translation of its root):
    Wagtail serves them the default language's pages."""
    _own, with_pages = _site_languages(page, request)
    return [code for code in site_language_codes() if code not in with_pages]


def fallback_url_language(page: Page, request=None) -> str | None:
    """The visitor's language when it has no pages of its own and this page is one of the default
    language's pages that Wagtail serves in its place: the page's links must keep the visitor's prefix."""
    active = translation.get_language()
    own, with_pages = _site_languages(page, request)
    if own != settings.LANGUAGE_CODE or active == own or active in with_pages:
        return None
    return active if active in site_language_codes() else None


def content_locale(request=None) -> Locale:
    """The locale whose pages the active language reads: its own, or the default tree's while it has
    none (the page router's rule), for the listings and search that filter pages by locale."""
    site = Site.find_for_request(request) if request is not None else Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Locale.get_active()
    return site.root_page.localized.locale


def live_translations(page: Page, request=None) -> dict[str, Page]:
    """{language code: live translation (the page included)} in one query, memoised on the request
    because the language switcher and the hreflang links both need it."""
    memo = getattr(request, "_live_translations", None) if request is not None else None
    if memo is not None and memo[0] == page.pk:
        return memo[1]
    result = {t.locale.language_code: t for t in page.get_translations(inclusive=True).live().select_related("locale")}
    if request is not None:
        request._live_translations = (page.pk, result)
    return result


def page_in_language(page: Page, code: str, request=None) -> Page | None:
    """What a visitor reading `code` gets for this page: its translation, or the default language's
    version while `code` has no pages yet (served under /code/); None when neither exists."""
    translations = live_translations(page, request)
    found = translations.get(code)
    if found is None and code in languages_without_pages(page, request):
        found = translations.get(settings.LANGUAGE_CODE)
    # Our page classes know the fallback URLs (get_url_parts); a deferred specific instance costs no query.
    return found.specific_deferred if found is not None else None


def page_url_in_language(page: Page, code: str, request=None, *, full: bool = False) -> str | None:
    """The URL of the page in `code` (see page_in_language), under the /code/ prefix."""
    target = page_in_language(page, code, request)
    if target is None:
        return None
    with translation.override(code):
        return target.get_full_url(request) if full else target.get_url(request)


def page_alternates(page: Page, request=None) -> list[tuple[str, str]]:
    """[(language code, absolute URL)] of the page in each served language it can be read in."""
    alternates = []
    for code in site_language_codes():
        url = page_url_in_language(page, code, request, full=True)
        if url:
            alternates.append((code, url))
    return alternates


def missing_translations(page: Page) -> list[Locale]:
    """The served languages a default-language page has no translation in yet (none for a translation:
    its source is what editors translate)."""
    if page.locale.language_code != settings.LANGUAGE_CODE:
        return []
    have = set(page.get_translations(inclusive=True).values_list("locale__language_code", flat=True))
    return [locale for locale in locales_sync() if locale.language_code not in have]
