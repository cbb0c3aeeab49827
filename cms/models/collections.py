"""Curated collections: an editorial introduction and an ordered list of offers chosen by DMC staff."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.blocks import BaseStreamBlock, OfferChoiceBlock
from cms.offers import offer_cards_resolve, offer_refs_unavailable
from marketplace.core.origin import public_url

from .base import DestinationPage, listing_queryset


class CollectionIndexPage(DestinationPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CollectionPage"]
    max_count_per_parent = 1
    json_ld_type = "CollectionPage"

    class Meta:
        verbose_name = _("collections index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["collections"] = listing_queryset(CollectionPage, parent=self).defer_streamfields()
        return context


class CollectionPage(DestinationPage):
    """ "Wine and villas of the Lucca hills": offers resolved live through the offer providers (cms/offers.py)."""

    intro = RichTextField(_("introduction"), blank=True)
    offers = StreamField(
        [("offer", OfferChoiceBlock())],
        verbose_name=_("offers"),
        blank=True,
        help_text=_("In the order visitors see them. Withdrawn or sold-out offers are hidden automatically."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("more"), blank=True)
    show_on_home = models.BooleanField(_("feature on the home page"), default=False)

    content_panels = DestinationPage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("offers"),
        FieldPanel("body"),
        FieldPanel("show_on_home"),
    ]
    search_fields = DestinationPage.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.CollectionIndexPage"]
    api_fields = DestinationPage.api_fields + [APIField("intro"), APIField("offers"), APIField("body")]
    subpage_types: list[str] = []
    json_ld_type = "CollectionPage"
    offers_per_page = 24

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def offer_refs(self) -> list[str]:
        # The raw JSON, not the StreamValue: a 1,000-offer collection need not build 1,000 blocks.
        return [block["value"] for block in self.offers.raw_data if block["type"] == "offer"]

    def offer_cards_page(self, request=None):
        """The requested page of the collection (?page=N), with its available cards in `.cards`.

        References are paginated BEFORE they are resolved, so a page costs one `cards()` call per provider
        for at most `offers_per_page` offers whether the collection holds 10 or 1,000: an unavailable offer
        leaves its page one card short rather than pulling in the next page's first. Memoised per
        instance, language and page: the template and the JSON-LD share it."""
        language = translation.get_language()
        number = request.GET.get("page") if request is not None else None
        memo = self.__dict__.setdefault("_offer_cards_page", {})
        if (language, number) not in memo:
            page = Paginator(self.offer_refs(), self.offers_per_page).get_page(number)
            page.cards = offer_cards_resolve(refs=page.object_list, language=language)
            memo[(language, number)] = page
        return memo[(language, number)]

    def offer_cards(self, language: str | None = None):
        """Resolved once per page instance and language: the template and the JSON-LD share it."""
        language = language or translation.get_language()
        memo = self.__dict__.setdefault("_offer_cards", {})
        if language not in memo:
            memo[language] = offer_cards_resolve(refs=self.offer_refs(), language=language)
        return memo[language]

    def unavailable_offer_refs(self) -> list[str]:
        return offer_refs_unavailable(refs=self.offer_refs(), language=translation.get_language())

    def json_ld_extra(self, request=None) -> dict:
        """The ItemList of the offers shown on this page of the collection (positions count from the
        collection's start)."""
        page = self.offer_cards_page(request)
        cards = page.cards
        if not cards:
            return {}
        return {
            "mainEntity": {
                "@type": "ItemList",
                "numberOfItems": len(cards),
                "itemListElement": [
                    {"@type": "ListItem", "position": i, "name": card.title, "url": public_url(card.url)}
                    for i, card in enumerate(cards, start=page.start_index())
                ],
            }
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page = self.offer_cards_page(request)
        context.update(cards=page.cards, cards_page=page)
        # "?label=<scheme slug>" looks at the whole collection (a filtered list is short, so it is not
        # paginated); the buttons offer the labels present on the cards shown without a filter.
        label = request.GET.get("label", "")
        everything = self.offer_cards() if label else page.cards
        options = {badge.slug: badge.name for card in everything for badge in card.labels if badge.slug}
        if label in options:
            cards = [card for card in everything if any(badge.slug == label for badge in card.labels)]
            context.update(cards=cards, cards_page=None)
        context.update(label_options=sorted(options.items(), key=lambda o: o[1]), label=label)
        return context


def collection_list_featured(*, locale):
    return listing_queryset(CollectionPage, locale=locale).filter(show_on_home=True).defer_streamfields()
