"""Reads for the destination pages: one query per list, whatever its length (STYLE.md §4)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from .models import AreaPage, EventPage, PointOfInterestPage
from .models.base import listing_queryset


def event_list_upcoming(
    *,
    locale: Locale,
    area: AreaPage | None = None,
    category: str | None = None,
    month: str | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
) -> list[EventPage]:
    """Live events still to come (or running), soonest first; each gets `.next` (its next start).

    Recurring events are expanded in Python from their rule, so the database is asked once. `area`
    matches the area in any language (events may point at the Italian area page from their English copy).
    `month` is "YYYY-MM": events with an occurrence in that month.
    """
    now = now or timezone.now()
    qs = (
        listing_queryset(EventPage, locale=locale)
        .select_related("area")
        .defer_streamfields()
        .filter(
            Q(recurrence="", start__gte=now)
            | Q(recurrence="", end__gte=now)
            | (~Q(recurrence="") & Q(recurrence_until__gte=timezone.localdate(now)))
        )
    )
    if area is not None:
        qs = qs.filter(area__translation_key=area.translation_key)
    if category:
        qs = qs.filter(category=category)
    if limit and not month:
        # Only the soonest are needed: one-off events come sorted and cut by the database; recurring ones
        # (few) are expanded in Python. The page then costs the same with 10 or 10,000 events.
        candidates = [*qs.filter(recurrence="").order_by("start")[:limit], *qs.exclude(recurrence="")]
    else:
        candidates = qs
    events = []
    for event in candidates:
        if month:
            year, mon = (int(x) for x in month.split("-"))
            first = timezone.make_aware(dt.datetime(year, mon, 1))
            upcoming = [
                s for s in event.occurrences(after=max(now, first), limit=40) if (s.year, s.month) == (year, mon)
            ]
        else:
            upcoming = event.occurrences(after=now, limit=1)
        if upcoming:
            event.next = upcoming[0]
            events.append(event)
    events.sort(key=lambda e: e.next)
    return events[:limit] if limit else events


def area_list_for_map(*, locale: Locale, request=None) -> list[dict]:
    """The areas of a language as map points with their URL (the home page's map)."""
    areas = AreaPage.objects.live().public().filter(locale=locale, lat__isnull=False).defer_streamfields()
    return [
        {
            "title": a.title,
            "lat": a.lat,
            "lng": a.lng,
            "url": a.get_url(request),
            "summary": a.summary,
            "radius": 16000 if a.kind == AreaPage.Kind.VALLEY else 4000,  # metres: a rough extent on the map
        }
        for a in areas.order_by("path")
    ]


def poi_list_for_map(*, locale: Locale, request=None) -> list[PointOfInterestPage]:
    return list(listing_queryset(PointOfInterestPage, locale=locale).filter(lat__isnull=False).defer_streamfields())


def area_get_by_code(*, area_code: str, locale: Locale) -> AreaPage | None:
    """The live area page for a code in a language (falling back to any language): for other apps' links."""
    qs = AreaPage.objects.live().filter(area_code=area_code)
    return qs.filter(locale=locale).first() or qs.first()
