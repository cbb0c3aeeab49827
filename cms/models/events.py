"""Events: one-off or recurring, with a filtered listing and an iCal feed (cms/feeds.py)."""

import datetime as dt

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from marketplace.core.json_ld import IN_STOCK, organization_ref, postal_address

from .base import DestinationPage, GeoMixin


class EventIndexPage(DestinationPage):
    """The events listing: filters by area, category and month; links to the iCal feed."""

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count_per_parent = 1
    json_ld_type = "CollectionPage"
    events_per_page = 12

    class Meta:
        verbose_name = _("events index")

    def get_context(self, request, *args, **kwargs):
        from cms.forms import EventFilterForm
        from cms.selectors import event_list_upcoming

        context = super().get_context(request, *args, **kwargs)
        form = EventFilterForm(request.GET or None, locale=self.locale)
        filters = form.cleaned_data if form.is_valid() else {}
        events = event_list_upcoming(
            locale=self.locale,
            area=filters.get("area"),
            category=filters.get("category") or None,
            month=filters.get("month") or None,
        )
        context["filter_form"] = form
        context["events"] = Paginator(events, self.events_per_page).get_page(request.GET.get("page"))
        return context


class EventPage(GeoMixin, DestinationPage):
    class Category(models.TextChoices):
        FESTIVAL = "festival", _("Festival")
        MUSIC = "music", _("Music")
        FOOD = "food", _("Food and wine")
        EXHIBITION = "exhibition", _("Exhibition")
        TRADITION = "tradition", _("Tradition and religious feast")
        MARKET = "market", _("Market")
        SPORT = "sport", _("Sport and outdoors")

    class Recurrence(models.TextChoices):
        NONE = "", _("Does not repeat")
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.FESTIVAL)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    recurrence = models.CharField(_("repeats"), max_length=10, choices=Recurrence.choices, blank=True)
    recurrence_until = models.DateField(_("repeats until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    area = models.ForeignKey(
        "cms.AreaPage", verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_free = models.BooleanField(_("free"), default=False)
    price = models.DecimalField(_("price (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True)
    price_note = models.CharField(_("price note"), max_length=200, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = DestinationPage.content_panels + [
        FieldPanel("category"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldRowPanel([FieldPanel("recurrence"), FieldPanel("recurrence_until")]),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("area"), FieldPanel("lat"), FieldPanel("lng")], heading=_("Where")
        ),
        MultiFieldPanel([FieldPanel("is_free"), FieldPanel("price"), FieldPanel("price_note")], heading=_("Price")),
        FieldPanel("body"),
    ]
    search_fields = DestinationPage.search_fields + [
        index.SearchField("place"),
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("start"),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    api_fields = DestinationPage.api_fields + [
        APIField(name)
        for name in (
            "category",
            "start",
            "end",
            "recurrence",
            "recurrence_until",
            "place",
            "area",
            "is_free",
            "price",
            "price_note",
            "lat",
            "lng",
            "body",
        )
    ]
    subpage_types: list[str] = []
    json_ld_type = "Event"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})
        if self.recurrence and not self.recurrence_until:
            raise ValidationError({"recurrence_until": _("Say until when the event repeats.")})

    @property
    def duration(self) -> dt.timedelta:
        return (self.end - self.start) if self.end else dt.timedelta(0)

    @property
    def area_codes(self) -> list[str]:
        return [self.area.area_code] if self.area_id else []

    def rrule(self) -> dict | None:
        """The recurrence in django-ical's `item_rrule` shape (None for a one-off event)."""
        if not self.recurrence:
            return None
        until = timezone.make_aware(dt.datetime.combine(self.recurrence_until, dt.time(23, 59)))
        return {"freq": self.recurrence.upper(), "until": until}

    def occurrences(self, *, after: dt.datetime | None = None, limit: int = 10) -> list[dt.datetime]:
        """Start times of the next occurrences still running at `after` (default: now)."""
        after = after or timezone.now()
        if not self.recurrence:
            return [self.start] if (self.end or self.start) >= after else []
        freq = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}[self.recurrence]
        local_start = timezone.localtime(self.start)
        until = dt.datetime.combine(self.recurrence_until, dt.time(23, 59), tzinfo=local_start.tzinfo)
        starts = rrule.rrule(freq, dtstart=local_start.replace(tzinfo=None), until=until.replace(tzinfo=None))
        result = []
        for naive in starts:
            start = timezone.make_aware(naive)
            if start + self.duration >= after:
                result.append(start)
                if len(result) >= limit:
                    break
        return result

    @property
    def next_start(self) -> dt.datetime | None:
        occurrences = self.occurrences(limit=1)
        return occurrences[0] if occurrences else None

    def json_ld_extra(self, request=None) -> dict:
        """The next occurrence (or the first, once all are past) as a schema.org Event: dates in Rome's
        time with their offset, the place with its address, the site's Organization as organizer (it
        publishes the event; the pages have no organizer of their own), and an Offer when the page says
        the price (or that it is free)."""
        start = self.next_start or self.start
        local_start = timezone.localtime(start)
        locality = self.area.title if self.area_id else ""
        data = {
            "startDate": local_start.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {
                "@type": "Place",
                "name": self.place or locality or self.title,
                "address": postal_address(street=self.place, locality=locality),
                **self.json_ld_geo(),
            },
            "organizer": organization_ref(),
        }
        if self.end:
            data["endDate"] = timezone.localtime(start + self.duration).isoformat()
        if self.is_free or self.price is not None:
            data["isAccessibleForFree"] = self.is_free
            offer = {
                "@type": "Offer",
                "price": "0" if self.is_free else f"{self.price:.2f}",
                "priceCurrency": "EUR",
                "availability": IN_STOCK if self.next_start else "https://schema.org/Discontinued",
                "url": self.get_full_url(request),
            }
            published = self.first_published_at or self.latest_revision_created_at
            if published is not None:
                offer["validFrom"] = timezone.localtime(published).replace(microsecond=0).isoformat()
            data["offers"] = offer
        return data
