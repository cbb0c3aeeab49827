"""Articles (stories, news) and the tourist information offices (IAT)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.blocks import BaseStreamBlock
from marketplace.core.json_ld import organization_ref, postal_address

from .base import DestinationPage, GeoMixin, listing_queryset


class ArticleIndexPage(DestinationPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count_per_parent = 1
    json_ld_type = "CollectionPage"

    class Meta:
        verbose_name = _("articles index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = listing_queryset(ArticlePage, parent=self).defer_streamfields().order_by("-date")
        return context


class ArticlePage(DestinationPage):
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.CharField(_("author"), max_length=120, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = DestinationPage.content_panels + [FieldPanel("date"), FieldPanel("author"), FieldPanel("body")]
    search_fields = DestinationPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["cms.ArticleIndexPage"]
    api_fields = DestinationPage.api_fields + [APIField("date"), APIField("author"), APIField("body")]
    subpage_types: list[str] = []
    json_ld_type = "Article"
    # A person's name is not translated: synced from the source page (translators may override it).
    override_translatable_fields = [SynchronizedField("author")]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def json_ld_extra(self, request=None) -> dict:
        data = {
            "headline": self.title[:110],
            "datePublished": self.date.isoformat(),
            "publisher": organization_ref(),
        }
        if self.author:
            data["author"] = {"@type": "Person", "name": self.author}
        return data


class TouristOfficeIndexPage(DestinationPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TouristOfficePage"]
    max_count_per_parent = 1
    json_ld_type = "CollectionPage"

    class Meta:
        verbose_name = _("tourist offices index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["offices"] = listing_queryset(TouristOfficePage, parent=self).select_related("area")
        return context


class TouristOfficePage(GeoMixin, DestinationPage):
    """An IAT (Informazioni e Accoglienza Turistica) office."""

    address = models.CharField(_("address"), max_length=250)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    area = models.ForeignKey(
        "cms.AreaPage", verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = DestinationPage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("area"), FieldPanel("lat"), FieldPanel("lng")], heading=_("Where")
        ),
        FieldPanel("opening_hours"),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")], heading=_("Contact")),
    ]
    search_fields = DestinationPage.search_fields + [index.SearchField("address")]
    parent_page_types = ["cms.TouristOfficeIndexPage"]
    api_fields = DestinationPage.api_fields + [
        APIField(name) for name in ("address", "opening_hours", "phone", "email", "website", "area", "lat", "lng")
    ]
    subpage_types: list[str] = []
    json_ld_type = "TouristInformationCenter"
    # Address and phone number read the same in every language: synced from the source page.
    override_translatable_fields = [SynchronizedField("address"), SynchronizedField("phone")]

    class Meta:
        verbose_name = _("tourist office")
        verbose_name_plural = _("tourist offices")

    @property
    def area_codes(self) -> list[str]:
        return [self.area.area_code] if self.area_id else []

    def json_ld_extra(self, request=None) -> dict:
        data = {
            "address": postal_address(street=self.address, locality=self.area.title if self.area_id else ""),
            **self.json_ld_geo(),
        }
        if self.phone:
            data["telephone"] = self.phone
        if self.email:
            data["email"] = self.email
        if self.opening_hours:
            data["openingHours"] = self.opening_hours.replace("\n", "; ")
        return data
