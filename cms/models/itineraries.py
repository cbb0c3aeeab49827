"""Itineraries: ordered stages with text, photos and map points; a GPX track generated from the stages."""

from decimal import Decimal
from xml.etree import ElementTree as ET

from django.db import models
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import BaseStreamBlock, ItineraryStageBlock

from .base import DestinationPage, listing_queryset

GPX_NS = "http://www.topografix.com/GPX/1/1"


class ItineraryIndexPage(DestinationPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ItineraryPage"]
    max_count_per_parent = 1
    json_ld_type = "CollectionPage"

    class Meta:
        verbose_name = _("itineraries index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["itineraries"] = listing_queryset(ItineraryPage, parent=self).defer_streamfields()
        return context


class ItineraryPage(RoutablePageMixin, DestinationPage):
    class Mode(models.TextChoices):
        WALK = "walk", _("On foot")
        BIKE = "bike", _("By bike")
        CAR = "car", _("By car")

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MODERATE = "moderate", _("Moderate")
        HARD = "hard", _("Demanding")

    mode = models.CharField(_("on"), max_length=10, choices=Mode.choices, default=Mode.WALK)
    distance_km = models.DecimalField(_("distance (km)"), max_digits=6, decimal_places=1, default=Decimal("0"))
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.EASY)
    duration = models.CharField(_("duration"), max_length=60, blank=True, help_text=_("e.g. '4 hours', '2 days'"))
    season = models.CharField(_("best season"), max_length=100, blank=True)
    area = models.ForeignKey(
        "cms.AreaPage", verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stages = StreamField([("stage", ItineraryStageBlock())], verbose_name=_("stages"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("more"), blank=True)

    content_panels = DestinationPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("mode"),
                FieldPanel("distance_km"),
                FieldPanel("difficulty"),
                FieldPanel("duration"),
                FieldPanel("season"),
                FieldPanel("area"),
            ],
            heading=_("The route"),
        ),
        FieldPanel("stages"),
        FieldPanel("body"),
    ]
    search_fields = DestinationPage.search_fields + [index.SearchField("stages"), index.SearchField("body")]
    parent_page_types = ["cms.ItineraryIndexPage"]
    api_fields = DestinationPage.api_fields + [
        APIField(name) for name in ("mode", "distance_km", "difficulty", "duration", "season", "area", "stages", "body")
    ]
    subpage_types: list[str] = []
    json_ld_type = "TouristTrip"

    class Meta:
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")

    @property
    def area_codes(self) -> list[str]:
        return [self.area.area_code] if self.area_id else []

    def stage_points(self) -> list[dict]:
        return [
            {"title": s.value["title"], "lat": s.value["lat"], "lng": s.value["lng"]}
            for s in self.stages
            if s.block_type == "stage"
        ]

    def gpx(self) -> bytes:
        """A GPX 1.1 document: one waypoint per stage and a route through them in order."""
        ET.register_namespace("", GPX_NS)
        root = ET.Element(f"{{{GPX_NS}}}gpx", version="1.1", creator="dmc-engine")
        metadata = ET.SubElement(root, f"{{{GPX_NS}}}metadata")
        ET.SubElement(metadata, f"{{{GPX_NS}}}name").text = self.title
        if self.summary:
            ET.SubElement(metadata, f"{{{GPX_NS}}}desc").text = self.summary
        points = self.stage_points()
        for point in points:
            wpt = ET.SubElement(root, f"{{{GPX_NS}}}wpt", lat=f"{point['lat']:.6f}", lon=f"{point['lng']:.6f}")
            ET.SubElement(wpt, f"{{{GPX_NS}}}name").text = point["title"]
        rte = ET.SubElement(root, f"{{{GPX_NS}}}rte")
        ET.SubElement(rte, f"{{{GPX_NS}}}name").text = self.title
        for point in points:
            rtept = ET.SubElement(rte, f"{{{GPX_NS}}}rtept", lat=f"{point['lat']:.6f}", lon=f"{point['lng']:.6f}")
            ET.SubElement(rtept, f"{{{GPX_NS}}}name").text = point["title"]
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    @path("")
    def itinerary(self, request):
        # RoutablePageMixin.serve bypasses PageMetadataMixin.serve: the same rendering, called from here.
        return self.render_cached(request)

    @path("gpx/", name="gpx")
    def gpx_download(self, request):
        response = HttpResponse(self.gpx(), content_type="application/gpx+xml")
        response["Content-Disposition"] = f'attachment; filename="{slugify(self.title) or "itinerary"}.gpx"'
        response.cms_cacheable = True
        return response

    def json_ld_extra(self, request=None) -> dict:
        stops = self.stage_points()
        data = {"touristType": self.get_mode_display()}
        if stops:
            data["itinerary"] = {
                "@type": "ItemList",
                "numberOfItems": len(stops),
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": i,
                        "item": {
                            "@type": "Place",
                            "name": stop["title"],
                            "geo": {"@type": "GeoCoordinates", "latitude": stop["lat"], "longitude": stop["lng"]},
                        },
                    }
                    for i, stop in enumerate(stops, start=1)
                ],
            }
        return data
