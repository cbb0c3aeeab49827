"""The events as an iCal feed a calendar app can subscribe to (django-ical), one per language."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ical.views import ICalFeed

from .languages import content_locale
from .models import EventPage
from .models.base import absolute_url


class EventFeed(ICalFeed):
    product_id = "-//dmc-engine//events//EN"
    timezone = "Europe/Rome"
    file_name = "events.ics"

    def title(self):
        return str(_("Events"))

    def get_object(self, request, *args, **kwargs):
        """The locale whose events the visitor's language reads (the feed instance is shared: no state)."""
        return content_locale(request)

    def items(self, locale):
        today = timezone.localdate()
        qs = EventPage.objects.live().public().select_related("area").defer_streamfields().filter(locale=locale)
        # Recent and future events (calendar apps keep past ones themselves), with their recurrence rule.
        since = timezone.now() - timezone.timedelta(days=30)
        return [
            e
            for e in qs.order_by("start")
            if (e.recurrence and e.recurrence_until and e.recurrence_until >= today) or (e.end or e.start) >= since
        ]

    def item_guid(self, item):
        return f"event-{item.translation_key}-{item.locale.language_code}@dmc-engine"

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        # The feed instance is shared between requests: absolute URLs come from settings.SITE_URL.
        return absolute_url(None, item.url)

    def item_start_datetime(self, item):
        return item.start

    def item_end_datetime(self, item):
        return item.end or item.start

    def item_rrule(self, item):
        return item.rrule()

    def item_location(self, item):
        return ", ".join(x for x in (item.place, item.area.title if item.area_id else "") if x)

    def item_geolocation(self, item):
        return (item.lat, item.lng) if item.has_location else None

    def item_categories(self, item):
        return [item.get_category_display()]

    def item_updateddate(self, item):
        return item.last_published_at
