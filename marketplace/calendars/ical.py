"""Writing iCalendar (RFC 5545) text for the feeds.

Why not django-ical's ICalFeed (cms/feeds.py uses it for the events) or icalendar's writer: a year of a
service with two departures a day is ~730 events, and icalendar takes ~190 ms to write them (it builds
and type-checks an object per property), django's syndication Feed adds an `inspect.signature` per
attribute per item on top. The feeds need a handful of properties of known types, so they are written
here as text (a few ms) and the tests parse every feed back with the icalendar library.

Times: timed events in Europe/Rome (`DTSTART;TZID=Europe/Rome:...`) with the zone's VTIMEZONE over the
events' years (marketplace.core.ical.vtimezone), all-day events as DATE values (DTEND the day after the
last, as RFC 5545 wants); DTSTAMP and LAST-MODIFIED in UTC. UIDs end in the public host.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from marketplace.core.ical import uid_host, vtimezone

PRODID = "-//dmc-engine//calendar feeds//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    summary: str
    start: dt.date | dt.datetime  # a date: all-day; an aware datetime: timed
    end: dt.date | dt.datetime
    description: str = ""
    status: str = "CONFIRMED"  # CONFIRMED | TENTATIVE | CANCELLED
    transparent: bool = False  # availability: free time, not a busy block
    url: str = ""
    last_modified: dt.datetime | None = None


def uid_domain() -> str:
    """The public host, the right part of every UID ("trade-booking-<uuid>@<host>")."""
    return uid_host()


def _text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded with CRLF + space, never inside a UTF-8 character."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while len(raw) - start > limit:
        end = start + limit
        while raw[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        parts.append(raw[start:end])
        start, limit = end, 74  # continuation lines begin with a space
    parts.append(raw[start:])
    return b"\r\n ".join(parts).decode()


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value, _zone())
        return f"{name};TZID={settings.TIME_ZONE}:{local:%Y%m%dT%H%M%S}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


@functools.cache
def _zone():
    import zoneinfo

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _vtimezone(events: list[FeedEvent]) -> str:
    """The VTIMEZONE of settings.TIME_ZONE over the years of the timed events (cached per span)."""
    timed = [when for e in events for when in (e.start, e.end) if isinstance(when, dt.datetime)]
    first, last = (timezone.localtime(when, _zone()).year for when in (min(timed), max(timed)))
    return vtimezone(settings.TIME_ZONE, dt.date(first, 1, 1), dt.date(last + 1, 1, 1))


def calendar_ics(*, name: str, events: list[FeedEvent], now: dt.datetime | None = None) -> bytes:
    """The VCALENDAR of `events`, named `name` in calendar apps (X-WR-CALNAME)."""
    now = now or timezone.now()
    stamp = _utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _fold(f"X-WR-CALNAME:{_text(name)}"),
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    if any(isinstance(e.start, dt.datetime) for e in events):
        lines.append(_vtimezone(events))
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            _fold(f"UID:{event.uid}"),
            f"DTSTAMP:{stamp}",
            _when("DTSTART", event.start),
            _when("DTEND", event.end),
            _fold(f"SUMMARY:{_text(event.summary)}"),
        ]
        if event.description:
            lines.append(_fold(f"DESCRIPTION:{_text(event.description)}"))
        if event.url:
            lines.append(_fold(f"URL:{event.url}"))
        if event.last_modified is not None:
            lines.append(f"LAST-MODIFIED:{_utc(event.last_modified)}")
        lines.append(f"STATUS:{event.status}")
        lines.append(f"TRANSP:{'TRANSPARENT' if event.transparent else 'OPAQUE'}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
