"""What every iCalendar (RFC 5545) feed of the site shares: the UID host and the VTIMEZONE of a zone.

Used by the destination's events feed (cms/feeds.py, django-ical) and the partners' and operators'
feeds (marketplace/calendars/ical.py, written as text).

Why not icalendar's `Timezone.from_tzid` / `Calendar.add_missing_timezones`: (icalendar 7.3) they write
each observance's DTSTART as the wall-clock time *after* the change, so Europe/Rome's spring change
reads `DTSTART:20270328T030000` with `TZOFFSETFROM:+0100`, that is 02:00 UTC, an hour late (RFC 5545
§3.6.5: the onset is local time in the TZOFFSETFROM offset, `…T020000`, as the IANA-derived zones of
tzurl.org and Outlook write it). A client that reads the VTIMEZONE rather than its own copy of the zone
database would put events of the small hours of that Sunday an hour off. Here the transitions are found
in the zone database (zoneinfo) to the second and written with their onset in the offset before.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from urllib.parse import urlsplit

from .origin import public_origin

_STEP = dt.timedelta(days=7)  # no zone changes twice within a week (Europe: twice a year)


def uid_host() -> str:
    """The public origin's host name, the right part of every UID ("event-…@www.example.com"), so UIDs
    are globally unique (RFC 5545 §3.8.4.7) and stay the same whatever host served the feed."""
    return urlsplit(public_origin()).hostname or "dmc-engine"


def _state(zone: zoneinfo.ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta, dt.timedelta, str]:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.dst(), local.tzname()


def _change(zone, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """The first instant (to the second) in (lo, hi] whose offset, DST or name differs from lo's."""
    before = _state(zone, lo)
    while hi - lo > dt.timedelta(seconds=1):
        middle = lo + (hi - lo) / 2
        middle = middle.replace(microsecond=0)
        if _state(zone, middle) == before:
            lo = middle
        else:
            hi = middle
    return hi


def _offset(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _fold(line: str) -> str:
    """Lines of more than 75 octets folded with CRLF + space (VTIMEZONE lines are ASCII)."""
    return "\r\n ".join(line[i : i + (75 if i == 0 else 74)] for i in [0, *range(75, len(line), 74)])


@functools.lru_cache(maxsize=16)
def vtimezone(tzid: str, first: dt.date, last: dt.date) -> str:
    """The VTIMEZONE of `tzid` (an IANA name) valid from `first` to `last` (CRLF lines, no final CRLF).

    One STANDARD or DAYLIGHT observance per (offset from, offset to, name, DST) with the first onset as
    DTSTART and the others as RDATE, all in local time of the offset before the change, as RFC 5545 wants.
    """
    zone = zoneinfo.ZoneInfo(tzid)
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    offset, dst, name = _state(zone, start)
    # (offset from, offset to, name, is daylight) -> onsets in local time of the offset before
    observances: dict[tuple, list[dt.datetime]] = {
        (offset, offset, name, bool(dst)): [start.astimezone(zone).replace(tzinfo=None)]
    }
    lo = start
    while lo < end:
        hi = min(lo + _STEP, end)
        if _state(zone, hi) == _state(zone, lo):
            lo = hi
            continue
        instant = _change(zone, lo, hi)
        before, (after, after_dst, after_name) = _state(zone, lo)[0], _state(zone, instant)
        onset = (instant + before).replace(tzinfo=None)
        observances.setdefault((before, after, after_name, bool(after_dst)), []).append(onset)
        lo = instant
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for (before, after, name, daylight), onsets in observances.items():
        kind = "DAYLIGHT" if daylight else "STANDARD"
        lines += [f"BEGIN:{kind}", f"DTSTART:{onsets[0]:%Y%m%dT%H%M%S}"]
        if onsets[1:]:
            lines.append(_fold("RDATE:" + ",".join(f"{onset:%Y%m%dT%H%M%S}" for onset in onsets[1:])))
        lines += [f"TZOFFSETFROM:{_offset(before)}", f"TZOFFSETTO:{_offset(after)}", f"TZNAME:{name}", f"END:{kind}"]
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines)
