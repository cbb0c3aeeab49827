"""The offer provider registry: how packages, services (and anything sellable later) appear in pages.

The cms must not import `packages` or `operators` (DESIGN.md: dependencies point one way, and those apps
are built in parallel), yet its pages embed their offers with live prices and labels. So each app that
sells something registers ONE provider object here, from its `AppConfig.ready()`:

    # packages/apps.py
    def ready(self):
        from cms.offers import register_offer_provider
        from .offer_provider import PackageOfferProvider
        register_offer_provider(PackageOfferProvider())

A provider is any object with the attributes and methods of `OfferProvider` below (subclass it to get
the optional methods for free). Pages store references as "<provider key>:<object id>" strings
("package:12", "service:7"), so a page's data never changes shape when a provider is added.

Rules a provider must keep:
- `cards(ids=..., language=...)` answers for all the ids with ONE query (or a fixed number), whatever
  the number of ids: collection and area pages call it once per provider per page, and the page's query
  count must not grow with the number of offers.
- Withdrawn, unpublished or sold-out offers come back with `available=False` (or are missing from the
  result): they drop out of the public view by themselves and editors are told in the admin.
- Texts come in `language` with the provider's own fallback (modeltranslation does it for our models).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class OfferLabel:
    """A certification label shown on a card (issue: certifications)."""

    name: str
    image_url: str = ""
    url: str = ""
    slug: str = ""  # the scheme's slug: what `?label=` filters on (search, collections)

    @classmethod
    def many_from(cls, labels) -> tuple[OfferLabel, ...]:
        """Cards' labels from certifications' shown labels (objects with `.scheme` and `.url`)."""
        return tuple(
            cls(
                name=str(label.scheme.name),
                image_url=label.scheme.logo.url if label.scheme.logo else "",
                url=label.url,
                slug=label.scheme.slug,
            )
            for label in labels
        )


@dataclass(frozen=True)
class OfferCard:
    """Everything a page needs to show one offer, without knowing what the offer is."""

    key: str  # "<provider key>:<id>", the reference stored in pages
    title: str
    url: str
    image_url: str = ""
    image_name: str = ""  # the photo's storage name, for its WebP renditions (marketplace.core.photos)
    price_from: Decimal | None = None  # VAT included, in `currency`
    currency: str = "EUR"
    labels: tuple[OfferLabel, ...] = ()
    available: bool = True
    summary: str = ""
    kind: str = ""  # e.g. "package", "service": shown as a small caption
    # "Free cancellation up to N days before": N, or None when the offer's policy never refunds in full.
    free_cancellation_days: int | None = None


@dataclass(frozen=True)
class OfferChoice:
    """One row of the offer chooser (cms/offer_chooser.py): what editors search and filter offers by.

    `areas`, `kinds` and `labels` are (code, label) pairs: the chooser's filters offer the codes found on
    the rows, so a provider brings its own kinds (an operator's kind, a service's kind, a package's themes)
    and areas (the municipality and the area page's group) without the cms knowing them.
    """

    key: str  # "<provider key>:<id>", what the page stores
    title: str
    provider_label: str = ""  # "Package", "Local service"
    detail: str = ""  # e.g. the operator and the municipality
    areas: tuple[tuple[str, str], ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # the certification schemes' (slug, name)
    sellable: bool = True  # False: visitors would not see it (unpublished, no dates or prices ahead)

    @property
    def pk(self) -> str:
        """Wagtail's chooser links each row by `pk` (quoted in the URL): the reference itself."""
        return self.key

    @property
    def provider(self) -> str:
        return self.key.partition(":")[0]

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class MapFeature:
    """One point for the maps and the GeoJSON endpoint."""

    id: str  # unique across providers, e.g. "operator:3"
    title: str  # in the asked language
    lat: float
    lng: float
    url: str = ""
    kind: str = ""  # a stable code other systems can filter on: "operator", "package"
    kind_label: str = ""  # what visitors read for the kind, in the asked language ("Agriturismo · Poppi")
    properties: dict = field(default_factory=dict)


class OfferProvider:
    """Base class of a provider. `key`, `label`, `cards` and `choices` are required; the rest are optional."""

    key: str = ""  # short, stable, no colon: it is stored in pages
    label: str = ""  # shown to editors in the chooser

    def cards(self, *, ids: Sequence[int], language: str) -> dict[int, OfferCard]:
        """Cards for these ids, in ONE query. Unknown ids are left out; unavailable ones have available=False."""
        raise NotImplementedError

    def choices(self) -> list[tuple[int, str]]:
        """(id, label) of every offer editors may pick, for the chooser in the page editor."""
        raise NotImplementedError

    def chooser_rows(self, *, language: str) -> list[OfferChoice]:
        """Every offer editors may pick, with what the chooser filters by, in a fixed number of queries.
        The default knows only the titles of `choices()`; providers override it to bring areas, kinds and
        labels."""
        return [
            OfferChoice(key=f"{self.key}:{pk}", title=str(title), provider_label=str(self.label))
            for pk, title in self.choices()
        ]

    def cards_for_area(self, *, area_code: str, language: str, limit: int = 12) -> list[OfferCard]:
        """The available offers located in an area (`AreaPage.area_code`), for the area page."""
        return []

    def map_features(self, *, language: str, area_code: str = "") -> list[MapFeature]:
        """Points for the GeoJSON endpoint and maps (operators' places, packages' start points), in ONE
        query (or a fixed number). With `area_code` (an `AreaPage.area_code`), only the points located in
        that area: the area page's map asks for its own points, never for the whole destination's."""
        return []

    def area_listing_link(self, *, area_code: str) -> tuple[str, str] | None:
        """(link text, URL) of the page listing ALL of this provider's offers in an area (e.g. the shop's
        catalogue filtered by area), or None if there is none. Area pages show a few cards and link here."""
        return None

    def search(self, *, query: str, language: str, area_code: str = "", limit: int = 12) -> list[OfferCard]:
        """Available offers matching a visitor's search (the site search shows them above the pages)."""
        return []


_providers: dict[str, OfferProvider] = {}


def register_offer_provider(provider: OfferProvider) -> OfferProvider:
    """Register (or replace: tests do) the provider for `provider.key`."""
    if not provider.key or ":" in provider.key:
        raise ValueError(f"An offer provider needs a key without ':' (got {provider.key!r}).")
    _providers[provider.key] = provider
    return provider


def unregister_offer_provider(key: str) -> None:
    _providers.pop(key, None)


def offer_providers() -> list[OfferProvider]:
    return list(_providers.values())


def offer_ref_parse(ref: str) -> tuple[str, int] | None:
    """ "package:12" -> ("package", 12); anything malformed -> None (never an error on a public page)."""
    key, _, raw_id = (ref or "").partition(":")
    if not key or not raw_id.isdigit():
        return None
    return key, int(raw_id)


def offer_choices() -> list[tuple[str, str]]:
    """Every offer of every provider, as chooser choices ("package:12", "Package · Wine weekend")."""
    result: list[tuple[str, str]] = []
    for provider in offer_providers():
        result += [(f"{provider.key}:{pk}", f"{provider.label} · {label}") for pk, label in provider.choices()]
    return result


def offer_chooser_rows(*, language: str) -> list[OfferChoice]:
    """Every provider's rows for the chooser, one `chooser_rows()` call each (providers that do not
    subclass OfferProvider get the default built from their `choices()`)."""
    rows: list[OfferChoice] = []
    for provider in offer_providers():
        method = getattr(provider, "chooser_rows", None)
        rows += method(language=language) if method else OfferProvider.chooser_rows(provider, language=language)
    return rows


def offer_choice_get(ref: str, *, language: str) -> OfferChoice | None:
    """The chooser's row for one reference (what the widget shows once an offer is chosen), from its card:
    one `cards()` call. None for a malformed reference, an unknown provider or a vanished object."""
    ((parsed, card),) = _offers_lookup([ref], language) or [(None, None)]
    if card is None:
        return None
    provider = _providers[parsed[0]]
    return OfferChoice(key=card.key, title=card.title, provider_label=str(provider.label), sellable=card.available)


def _offers_lookup(refs: Iterable[str], language: str) -> list[tuple[tuple[str, int], OfferCard | None]]:
    """Each parseable reference with its card (or None), calling each provider's `cards()` once."""
    parsed = [p for p in (offer_ref_parse(ref) for ref in refs) if p is not None]
    ids_by_provider: dict[str, list[int]] = defaultdict(list)
    for key, pk in parsed:
        if key in _providers and pk not in ids_by_provider[key]:
            ids_by_provider[key].append(pk)
    found: dict[tuple[str, int], OfferCard] = {}
    for key, ids in ids_by_provider.items():
        for pk, card in _providers[key].cards(ids=ids, language=language).items():
            found[(key, pk)] = card
    return [(ref, found.get(ref)) for ref in parsed]


def offer_cards_resolve(*, refs: Iterable[str], language: str) -> list[OfferCard]:
    """Available cards for the references, in their order, without duplicates; one `cards()` call per provider.

    References to unknown providers, vanished objects and unavailable offers are dropped, so a page never
    breaks because an offer was withdrawn, deleted, or its app is not installed.
    """
    cards, seen = [], set()
    for ref, card in _offers_lookup(refs, language):
        if card is not None and card.available and ref not in seen:
            seen.add(ref)
            cards.append(card)
    return cards


def offer_refs_unavailable(*, refs: Iterable[str], language: str) -> list[str]:
    """The references that do not show publicly (withdrawn, sold out, deleted, unknown): told to editors."""
    refs = list(refs)
    shown = {ref for ref, card in _offers_lookup(refs, language) if card is not None and card.available}
    return [ref for ref in refs if offer_ref_parse(ref) not in shown]


def offer_cards_for_area(*, area_code: str, language: str, limit: int = 12) -> list[OfferCard]:
    cards: list[OfferCard] = []
    for provider in offer_providers():
        cards += [
            c for c in provider.cards_for_area(area_code=area_code, language=language, limit=limit) if c.available
        ]
    return cards[:limit]


def offer_search(*, query: str, language: str, area_code: str = "", limit: int = 12) -> list[OfferCard]:
    cards: list[OfferCard] = []
    for provider in offer_providers():
        found = provider.search(query=query, language=language, area_code=area_code, limit=limit)
        cards += [c for c in found if c.available]
    return cards[:limit]


def offer_map_features(*, language: str, area_code: str = "") -> list[MapFeature]:
    """Every provider's points ("" = the whole destination), one `map_features()` call per provider."""
    features: list[MapFeature] = []
    for provider in offer_providers():
        features += provider.map_features(language=language, area_code=area_code)
    return features


def offer_area_listing_links(*, area_code: str) -> list[tuple[str, str]]:
    """(text, URL) of the providers' full lists of offers in an area, for the area page's "see all" links."""
    links = []
    for provider in offer_providers():
        link = getattr(provider, "area_listing_link", None)  # optional: not every provider subclasses
        link = link(area_code=area_code) if link else None
        if link:
            links.append((str(link[0]), link[1]))
    return links
