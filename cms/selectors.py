"""Reads for the destination pages: one query per list, whatever its length (STYLE.md §4)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from marketplace.core.origin import public_url

from .models import AreaPage, EventPage, PointOfInterestPage
from .models.base import listing_queryset
from .offers import offer_map_features


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


def _feature(*, id_: str, name: str, lng: float, lat: float, url: str, kind: str, kind_label: str, **extra) -> dict:
    """A GeoJSON Feature (RFC 7946: [longitude, latitude]). `title` repeats `name` for the consumers that
    read the endpoint before `name` existed; a provider's extra properties never replace these."""
    core = {"name": name, "title": name, "kind": kind, "kind_label": str(kind_label), "url": url}
    return {
        "type": "Feature",
        "id": id_,
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {**extra.pop("properties", {}), **extra, **core},
    }


def map_feature_list(*, locale: Locale, request, area: AreaPage | None = None) -> list[dict]:
    """The destination's points as GeoJSON features, in the visitor's language (`locale`).

    Without `area`: every area, every point of interest and every provider's points (operators,
    packages' start points), for the regional digital ecosystem. With `area`: that area's own points of
    interest (its child pages), and the providers' points located in it (`area_code`): what its map shows.
    A fixed number of queries whatever the number of points (one per list; URLs come from the site's
    cached root paths). Points of interest come in the editors' order, the providers' by name.
    """

    features = []
    pois = PointOfInterestPage.objects.live().public().filter(lat__isnull=False, lng__isnull=False)
    if area is None:
        areas = AreaPage.objects.live().public().filter(locale=locale, lat__isnull=False, lng__isnull=False)
        for a in areas.defer_streamfields().order_by("path"):
            features.append(
                _feature(
                    id_=f"area:{a.area_code}",
                    name=a.title,
                    lng=a.lng,
                    lat=a.lat,
                    url=public_url(a.get_url(request)),
                    kind="area",
                    kind_label=a.get_kind_display(),
                    area_code=a.area_code,
                )
            )
        pois = pois.filter(locale=locale)
    else:
        pois = pois.child_of(area)
    for poi in pois.defer_streamfields().order_by("path"):
        features.append(
            _feature(
                id_=f"poi:{poi.translation_key}",
                name=poi.title,
                lng=poi.lng,
                lat=poi.lat,
                url=public_url(poi.get_url(request)),
                kind="point_of_interest",
                kind_label=poi.get_kind_display(),
                category=poi.kind,
                summary=poi.summary,
            )
        )
    area_code = area.area_code if area is not None else ""
    for point in offer_map_features(language=locale.language_code, area_code=area_code):
        features.append(
            _feature(
                id_=point.id,
                name=point.title,
                lng=point.lng,
                lat=point.lat,
                url=public_url(point.url),
                kind=point.kind,
                kind_label=point.kind_label or _("Place"),
                properties=point.properties,
            )
        )
    return features


def area_get_by_code(*, area_code: str, locale: Locale) -> AreaPage | None:
    """The live area page for a code in a language (falling back to any language): for other apps' links."""
    qs = AreaPage.objects.live().filter(area_code=area_code)
    return qs.filter(locale=locale).first() or qs.first()
