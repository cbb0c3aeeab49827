"""Curated collections: an editorial introduction and an ordered list of offers chosen by DMC staff."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.blocks import BaseStreamBlock, OfferChoiceBlock
from cms.offers import offer_cards_resolve, offer_refs_unavailable

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

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def offer_refs(self) -> list[str]:
        return [block.value for block in self.offers if block.block_type == "offer"]

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
        cards = self.offer_cards()
        if not cards:
            return {}
        return {
            "mainEntity": {
                "@type": "ItemList",
                "numberOfItems": len(cards),
                "itemListElement": [
                    {"@type": "ListItem", "position": i, "name": card.title, "url": card.url}
                    for i, card in enumerate(cards, start=1)
                ],
            }
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cards = self.offer_cards()
        # "?label=<scheme slug>": filter on the labels the cards carry today (no extra query); the
        # options are the labels present in this collection.
        options = {badge.slug: badge.name for card in cards for badge in card.labels if badge.slug}
        label = request.GET.get("label", "")
        if label in options:
            cards = [card for card in cards if any(badge.slug == label for badge in card.labels)]
        context.update(cards=cards, label_options=sorted(options.items(), key=lambda o: o[1]), label=label)
        return context


def collection_list_featured(*, locale):
    return listing_queryset(CollectionPage, locale=locale).filter(show_on_home=True).defer_streamfields()
