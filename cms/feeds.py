"""The events as an iCal feed a calendar app can subscribe to (django-ical), one per language.

RFC 5545 as calendar apps read it (tests/cms/test_events_feed.py parses it back with icalendar):
- times in the destination's zone, `DTSTART;TZID=Europe/Rome:20270320T080000`, with the zone's VTIMEZONE
  (marketplace.core.ical.vtimezone): a weekly market at 08:00 stays at 08:00 after the clocks change,
  which a start in UTC (`…Z`) repeated weekly would not;
- the recurrence's UNTIL in UTC (`UNTIL=…Z`, required when DTSTART has a TZID): the end of its last day;
- DTSTAMP: when the feed was written, in UTC (django-ical's default is a naive local time);
- URLs on the public origin, UIDs `event-<translation key>-<locale>@<public host>`.
"""

import datetime as dt
import re
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ical.feedgenerator import ICal20Feed
from django_ical.views import ICalFeed
from icalendar import Timezone

from marketplace.core.ical import uid_host, vtimezone
from marketplace.core.origin import public_url

from .languages import content_locale
from .models import EventPage


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class EventCalendar(ICal20Feed):
    """django-ical's writer, with one DTSTAMP for the whole feed and the VTIMEZONE its times refer to."""

    def write_items(self, calendar):
        super().write_items(calendar)
        events = calendar.walk("VEVENT")
        stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
        instants = []
        for event in events:
            event.DTSTAMP = stamp
            instants += [event.decoded(name) for name in ("DTSTART", "DTEND") if name in event]
            until = event["RRULE"].get("UNTIL") if "RRULE" in event else None
            instants += until if isinstance(until, list) else [until] if until else []
        days = [timezone.localtime(x, _zone()).date() for x in instants if isinstance(x, dt.datetime)]
        if days:
            first, last = dt.date(min(days).year, 1, 1), dt.date(max(days).year + 1, 1, 1)
            calendar.subcomponents.insert(0, Timezone.from_ical(vtimezone(settings.TIME_ZONE, first, last)))


def event_location(event: EventPage) -> str:
    """The venue, then the area, each locality once: "Centro storico, Lucca" (never "Centro storico,
    Lucca, Lucca"), "Mura e piazze di Lucca" (never "…, Lucca"): a part the earlier ones already name,
    as whole words, is left out."""
    parts: list[str] = []
    for value in (event.place, event.area.title if event.area_id else ""):
        for part in (p.strip() for p in value.split(",")):
            named = re.compile(rf"(?<!\w){re.escape(part)}(?!\w)", re.IGNORECASE)
            if part and not any(named.search(earlier) for earlier in parts):
                parts.append(part)
    return ", ".join(parts)


class EventFeed(ICalFeed):
    feed_type = EventCalendar
    product_id = "-//dmc-engine//events//EN"
    file_name = "events.ics"

    def timezone(self):
        return settings.TIME_ZONE  # X-WR-TIMEZONE

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
        return f"event-{item.translation_key}-{item.locale.language_code}@{uid_host()}"

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Calendar apps that ignore URL (Google Calendar) show the description: the page's link ends it.
        return "\n\n".join(x for x in (item.summary, self.item_link(item)) if x)

    def item_link(self, item):
        return public_url(item.url)

    def item_start_datetime(self, item):
        return timezone.localtime(item.start, _zone())

    def item_end_datetime(self, item):
        # No DTEND without an end: RFC 5545 wants it later than DTSTART (without one the event is an instant).
        return timezone.localtime(item.end, _zone()) if item.end and item.end > item.start else None

    def item_rrule(self, item):
        rule = item.rrule()
        if rule is None:
            return None
        # The end of the last day in Rome, written in UTC (RFC 5545 §3.3.10, DTSTART having a TZID).
        last = dt.datetime.combine(item.recurrence_until, dt.time(23, 59, 59), tzinfo=_zone())
        return {**rule, "until": last.astimezone(dt.UTC)}

    def item_location(self, item):
        return event_location(item)

    def item_geolocation(self, item):
        return (item.lat, item.lng) if item.has_location else None

    def item_categories(self, item):
        return [item.get_category_display()]

    def item_updateddate(self, item):
        return item.last_published_at
