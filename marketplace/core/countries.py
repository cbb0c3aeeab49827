"""Countries of the world, one list for every place that asks for one: a trade partner's country, the guests'
country of residence in the shop's checkout, on the partner portal's booking form and in the OCTO API.

Babel's CLDR data names them in each language (Babel is already installed for Oscar and the site's formats,
so no country package is needed). Its territories also hold regions and groupings ("001" World, "EU",
"UN"…) and a few codes ISO 3166-1 only reserves (Ascension "AC", the Canaries "IC"…): they are left out,
so a stored code is always an ISO 3166-1 alpha-2 country the observatory can count and map.

country_choices(language=None) -> list[tuple[str, str]]   (code, name), sorted by name in that language
is_country(code) -> bool                                  a valid ISO 3166-1 alpha-2 code (upper case)
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation

# Babel territories that are not ISO 3166-1 assigned countries: groupings, "unknown", pseudo-locales, and
# the exceptionally reserved codes (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla, the
# Canaries, Tristan da Cunha), which ISO counts under another country's code.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"})


@lru_cache(maxsize=32)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return tuple(
        sorted(
            (
                (code, name)
                for code, name in locale.territories.items()
                if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
            ),
            key=lambda pair: pair[1].casefold(),
        )
    )


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with their names in `language` (the active language when None), sorted
    by name. A callable a ChoiceField accepts (`choices=country_choices`), computed per form, so each
    visitor reads the names in their own language."""
    return list(_choices(language or translation.get_language() or "en"))


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(code for code, _name in _choices("en"))


def is_country(code: str | None) -> bool:
    """Whether `code` is one of the countries above (upper-case ISO 3166-1 alpha-2, e.g. "DE")."""
    return bool(code) and code in _codes()
