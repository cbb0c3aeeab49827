"""What every iCal feed of the site must be (RFC 5545), checked on a response by parsing it with icalendar
as a calendar app would. Shared by tests/calendars and tests/cms."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import icalendar
from django.utils import timezone

from marketplace.core.origin import public_origin

URL = re.compile(r"https?://[^\s\\,;]+")


def _is_utc(value) -> bool:
    return isinstance(value, dt.datetime) and value.utcoffset() == dt.timedelta(0)


def _raw_lines(body: bytes) -> list[str]:
    """The content lines, unfolded; every physical line ends in CRLF and is at most 75 octets."""
    assert body.endswith(b"\r\n")
    physical = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical), [line for line in physical if len(line) > 75]
    return body.replace(b"\r\n ", b"").decode().split("\r\n")[:-1]


def check_feed(response) -> icalendar.Calendar:
    """The feed's calendar, after asserting what every feed must be:

    - a 200 in text/calendar, CRLF lines folded at 75 octets, VERSION 2.0 and a PRODID;
    - every VEVENT with a UID at the public host, a DTSTAMP in UTC (…Z) taken now, a DTSTART, a DTEND
      (if any) of the same type and later;
    - every timed DTSTART/DTEND with a TZID the calendar defines in a VTIMEZONE;
    - a recurrence's UNTIL in UTC (RFC 5545 §3.3.10, DTSTART having a TZID);
    - URL and every link in DESCRIPTION on the public origin; no locality twice in LOCATION.
    """
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    lines = _raw_lines(body)
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    host = urlsplit(public_origin()).hostname
    origin = public_origin() + "/"
    tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    now = timezone.now()
    stamps = [line for line in lines if line.startswith("DTSTAMP")]
    assert all(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in stamps), stamps
    events = calendar.walk("VEVENT")
    assert len(stamps) == len(events)
    for event in events:
        assert str(event["UID"]).endswith(f"@{host}"), event["UID"]
        stamp = event.decoded("DTSTAMP")
        # real UTC: a local time labelled Z would be an hour or two off in Rome
        assert _is_utc(stamp) and abs(stamp - now) < dt.timedelta(minutes=2), (stamp, now)
        assert "DTSTART" in event
        for name in ("DTSTART", "DTEND"):
            if name in event and isinstance(event.decoded(name), dt.datetime):
                assert str(event[name].params.get("TZID")) in tzids, (name, event[name].params, tzids)
        if "DTEND" in event:  # RFC 5545 §3.8.2.2: later than DTSTART, of the same value type
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert type(start) is type(end) and end > start, (start, end)
        if "RRULE" in event:
            assert all(_is_utc(until) for until in event["RRULE"].get("UNTIL", [])), event["RRULE"]
        if "URL" in event:
            assert str(event["URL"]).startswith(origin), event["URL"]
        for link in URL.findall(str(event.get("DESCRIPTION", ""))):
            assert link.startswith(origin), link
        if "LOCATION" in event:
            parts = [p.strip().casefold() for p in str(event["LOCATION"]).split(",")]
            for i, part in enumerate(parts):  # no part an earlier one already names ("Lucca, Lucca")
                named = re.compile(rf"(?<!\w){re.escape(part)}(?!\w)")
                assert not any(named.search(earlier) for earlier in parts[:i]), event["LOCATION"]
    return calendar


def check_vtimezone(calendar: icalendar.Calendar, tzid: str = "Europe/Rome") -> icalendar.Timezone:
    """The calendar's VTIMEZONE of `tzid`, read as a client without its own zone database reads it (the
    TZID renamed, so icalendar cannot look it up), gives the zone database's offset every half hour of
    the years it covers: RFC 5545 §3.6.5 wants each onset in local time of the offset before the change
    (Europe/Rome: DAYLIGHT from 02:00 CET, STANDARD from 03:00 CEST)."""
    import zoneinfo

    (vtimezone,) = [tz for tz in calendar.walk("VTIMEZONE") if str(tz["TZID"]) == tzid]
    own = icalendar.Timezone.from_ical(vtimezone.to_ical().replace(tzid.encode(), b"X-Feed-Zone"))
    feed_zone, zone = own.to_tz(lookup_tzid=False), zoneinfo.ZoneInfo(tzid)
    onsets = [sub.decoded("DTSTART") for sub in vtimezone.subcomponents]
    instant = min(onsets).replace(tzinfo=zone).astimezone(dt.UTC) + dt.timedelta(days=1)
    end = instant.replace(year=instant.year + 1)
    wrong = []
    while instant < end:
        if instant.astimezone(feed_zone).utcoffset() != instant.astimezone(zone).utcoffset():
            wrong.append(instant)
        instant += dt.timedelta(minutes=30)
    assert wrong == [], wrong[:4]
    return vtimezone
