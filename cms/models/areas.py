"""Areas (municipalities and valleys) and their points of interest: the heritage of every kind."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.blocks import BaseStreamBlock
from cms.offers import offer_area_listing_links, offer_cards_for_area
from marketplace.core.json_ld import postal_address

from .base import DestinationPage, GeoMixin, listing_queryset
from .events import EventIndexPage


class AreaIndexPage(DestinationPage):
    """ "Territori": the list of areas with a map."""

    intro = RichTextField(_("introduction"), blank=True)
    content_panels = DestinationPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.AreaPage"]
    max_count_per_parent = 1
    json_ld_type = "CollectionPage"

    class Meta:
        verbose_name = _("areas index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["areas"] = listing_queryset(AreaPage, parent=self)
        return context


class AreaPage(GeoMixin, DestinationPage):
    """A municipality or a valley. `area_code` is how other apps point at it (operators' municipality)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        VALLEY = "valley", _("Valley")

    area_code = models.SlugField(
        _("area code"),
        max_length=40,
        help_text=_(
            "Stable code other parts of the site use for this area (e.g. 'lucca', 'casentino'). "
            "Translations keep the same code."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("what to see"), blank=True)
    practical_info = RichTextField(_("practical information"), blank=True)
    zoom = models.PositiveSmallIntegerField(_("map zoom"), default=12)

    content_panels = DestinationPage.content_panels + [
        MultiFieldPanel([FieldPanel("area_code"), FieldPanel("kind")], heading=_("Area")),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("practical_info"),
        MultiFieldPanel([FieldPanel("lat"), FieldPanel("lng"), FieldPanel("zoom")], heading=_("Map")),
    ]
    search_fields = DestinationPage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("practical_info"),
        index.FilterField("area_code"),
    ]
    parent_page_types = ["cms.AreaIndexPage"]
    api_fields = DestinationPage.api_fields + [
        APIField(name) for name in ("area_code", "kind", "intro", "body", "practical_info", "lat", "lng", "zoom")
    ]
    subpage_types = ["cms.PointOfInterestPage"]
    json_ld_type = "TouristDestination"
    # wagtail-localize would offer a SlugField's text to translators: the code is how other apps find the
    # area in every language, so translations take it from the Italian page and cannot change it.
    override_translatable_fields = [SynchronizedField("area_code", overridable=False)]
    # How many of each listing the page shows (ordered: points of interest as the editors sort them,
    # offers as the providers rank them, events soonest first); the rest is one link away.
    pois_shown = 6
    offers_shown = 6
    events_shown = 4

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def clean(self):
        super().clean()
        clash = AreaPage.objects.filter(locale_id=self.locale_id, area_code=self.area_code).exclude(
            translation_key=self.translation_key
        )
        if self.area_code and clash.exists():
            raise ValidationError({"area_code": _("Another area already uses this code.")})

    @property
    def area_codes(self) -> list[str]:
        return [self.area_code]

    def json_ld_extra(self, request=None) -> dict:
        # Straight from the specific table (not get_children().type().specific(): two queries, the
        # second over every child's content type). The points the page shows, no more: the page keeps
        # its size whatever the area holds; the GeoJSON endpoint and the places list have them all.
        pois = (
            PointOfInterestPage.objects.child_of(self).live().defer_streamfields().order_by("path")[: self.pois_shown]
        )
        data = self.json_ld_geo()
        if pois:
            data["includesAttraction"] = [
                {"@type": "TouristAttraction", "name": p.title, "url": p.get_full_url(request)} for p in pois
            ]
        return data

    def get_context(self, request, *args, **kwargs):
        """The first few of each listing, with links to the full lists: the page's size and query count
        stay the same whether the area has 10 or 1,000 points of interest, offers or events. The map's
        points are not in the page either: its script loads them from the GeoJSON endpoint."""
        from cms.selectors import event_list_upcoming

        context = super().get_context(request, *args, **kwargs)
        pois = list(listing_queryset(PointOfInterestPage, parent=self).order_by("path")[: self.pois_shown + 1])
        context["pois"], context["pois_more"] = pois[: self.pois_shown], len(pois) > self.pois_shown
        context["map_url"] = f"{reverse('cms:points-geojson')}?{urlencode({'area': self.area_code})}"
        context["places_url"] = f"{reverse('cms:places')}?{urlencode({'area': self.area_code})}"
        context["events"] = event_list_upcoming(locale=self.locale, area=self, limit=self.events_shown)
        context["events_index"] = EventIndexPage.objects.live().filter(locale=self.locale).first()
        language = translation.get_language()
        context["offers"] = offer_cards_for_area(area_code=self.area_code, language=language, limit=self.offers_shown)
        context["offer_listings"] = offer_area_listing_links(area_code=self.area_code)
        return context


class PointOfInterestPage(GeoMixin, DestinationPage):
    """Heritage of every kind: monuments and villas, but also stories, legends, food and crafts."""

    class Kind(models.TextChoices):
        MONUMENT = "monument", _("Monument")
        CHURCH = "church", _("Church or monastery")
        VILLA = "villa", _("Villa and garden")
        CASTLE = "castle", _("Castle or fortress")
        MUSEUM = "museum", _("Museum")
        NATURE = "nature", _("Nature")
        STORY = "story", _("Story or legend")
        TRADITION = "tradition", _("Tradition")
        FOOD = "food", _("Food and wine")
        CRAFT = "craft", _("Craft")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MONUMENT)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    opening_hours = models.TextField(_("opening times"), blank=True)
    accessibility = models.TextField(
        _("accessibility"), blank=True, help_text=_("Steps, ramps, toilets, guide dogs, audio guides…")
    )
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    free_entry = models.BooleanField(_("free entry"), default=False)

    content_panels = DestinationPage.content_panels + [
        FieldPanel("kind"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("lat"),
                FieldPanel("lng"),
                FieldPanel("opening_hours"),
                FieldPanel("free_entry"),
            ],
            heading=_("Visit"),
        ),
        MultiFieldPanel([FieldPanel("wheelchair_accessible"), FieldPanel("accessibility")], heading=_("Access")),
    ]
    search_fields = DestinationPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("address"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["cms.AreaPage"]
    api_fields = DestinationPage.api_fields + [
        APIField(name)
        for name in (
            "kind",
            "body",
            "address",
            "lat",
            "lng",
            "opening_hours",
            "accessibility",
            "wheelchair_accessible",
            "free_entry",
        )
    ]
    subpage_types: list[str] = []
    json_ld_type = "TouristAttraction"
    # A street address reads the same in every language: synced from the source page (translators may override).
    override_translatable_fields = [SynchronizedField("address")]

    class Meta:
        verbose_name = _("point of interest")
        verbose_name_plural = _("points of interest")

    @property
    def area_codes(self) -> list[str]:
        parent = self.get_parent().specific
        return [getattr(parent, "area_code", "")]

    def json_ld_extra(self, request=None) -> dict:
        data = self.json_ld_geo()
        if self.address:
            data["address"] = postal_address(street=self.address, locality=self.get_parent().title)
        if self.free_entry:
            data["isAccessibleForFree"] = True
        if self.wheelchair_accessible:
            data["amenityFeature"] = {
                "@type": "LocationFeatureSpecification",
                "name": "Wheelchair accessible",
                "value": True,
            }
        return data
