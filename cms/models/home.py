"""The destination's home page, one per language (Wagtail localisation)."""

from itertools import zip_longest

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock

from .base import PageMetadataMixin


class HomePage(PageMetadataMixin, Page):
    """Hero, featured collections, upcoming events and the map of the areas."""

    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_credit = models.CharField(_("hero photo credit"), max_length=120, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image"), FieldPanel("hero_credit")],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text"), index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    api_fields = [APIField(name) for name in ("hero_title", "hero_text", "hero_image", "hero_credit", "intro", "body")]
    subpage_types = [
        "cms.AreaIndexPage",
        "cms.ItineraryIndexPage",
        "cms.EventIndexPage",
        "cms.CollectionIndexPage",
        "cms.ArticleIndexPage",
        "cms.TouristOfficeIndexPage",
        "cms.LegalPage",
    ]
    json_ld_type = "TouristDestination"

    class Meta:
        verbose_name = _("destination home page")

    def get_summary(self) -> str:
        return self.search_description or self.hero_text

    def get_social_image(self):
        return self.hero_image

    def json_ld_extra(self, request=None) -> dict:
        from .areas import AreaPage

        areas = AreaPage.objects.live().filter(locale_id=self.locale_id).order_by("path")
        return {
            "alternateName": settings.DMC_NAME,
            "containsPlace": [
                {"@type": "TouristDestination", "name": a.title, "url": a.get_full_url(request)} for a in areas
            ],
        }

    home_offers = 6

    def bookable_cards(self, collections) -> list:
        """Live offers from the featured collections, a few from each in turn, so that the home page shows
        something to book. One query for the collections' offers, one `cards()` call per provider."""
        from cms.offers import offer_cards_resolve

        from .collections import CollectionPage

        pks = [collection.pk for collection in collections]
        by_pk = {page.pk: page.offer_refs() for page in CollectionPage.objects.filter(pk__in=pks).only("offers")}
        lists = [by_pk.get(pk, []) for pk in pks]
        refs = [ref for row in zip_longest(*lists) for ref in row if ref]  # round robin over the collections
        return offer_cards_resolve(refs=refs, language=translation.get_language())[: self.home_offers]

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import area_list_for_map, event_list_upcoming

        from .collections import collection_list_featured

        context = super().get_context(request, *args, **kwargs)
        context["featured_collections"] = collection_list_featured(locale=self.locale)[:6]
        context["offer_cards"] = self.bookable_cards(context["featured_collections"])
        context["upcoming_events"] = event_list_upcoming(locale=self.locale, limit=6)
        context["areas"] = area_list_for_map(locale=self.locale, request=request)
        context["sections"] = {
            # Deferred specific pages (no extra query) so that their links follow the visitor's language.
            p.specific_class.__name__: p
            for p in self.get_children().live().filter(locale_id=self.locale_id).specific(defer=True)
            if p.specific_class.__name__ != "LegalPage"  # the footer links them, on every page
        }
        return context
