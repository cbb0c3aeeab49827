"""The events iCal feed, parsed back with the icalendar library as a calendar app would."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from dateutil import rrule
from django.urls import reverse
from django.utils import translation

from cms.models import EventPage
from tests.calendars.rfc5545 import check_feed, check_vtimezone

from .factories import add

ROME = zoneinfo.ZoneInfo("Europe/Rome")
ORIGIN = "https://www.terredilucca.example"


def _feed(client, language):
    with translation.override(language):
        url = reverse("cms:events-ical")
    return check_feed(client.get(url))


@pytest.mark.django_db
def test_feed_lists_one_off_and_recurring_events(client, site_tree):
    calendar = _feed(client, "it")
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Luminara di Santa Croce", "Mercato contadino"}
    luminara = events["Luminara di Santa Croce"]
    assert luminara.decoded("DTSTART") == site_tree["event"].start
    assert str(luminara["URL"]).endswith(site_tree["event"].url)
    assert str(luminara["LOCATION"]) == "Centro storico, Lucca"
    market = events["Mercato contadino"]
    assert market["RRULE"]["FREQ"] == ["WEEKLY"]
    assert "UNTIL" in market["RRULE"]


@pytest.mark.django_db
def test_feed_speaks_the_visitors_language(client, site_tree):
    calendar = _feed(client, "en")
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert titles == {"Luminara of the Holy Cross"}
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert len(uids) == 1


@pytest.mark.django_db
def test_feed_is_on_the_public_origin_whatever_host_asked(client, site_tree, settings):
    settings.SITE_URL = ORIGIN + "/"
    response = client.get("/en/events.ics", HTTP_HOST="testserver")
    calendar = check_feed(response)  # UIDs @www.terredilucca.example, URL and links on the origin
    (event,) = calendar.walk("VEVENT")
    with translation.override("en"):
        page = ORIGIN + site_tree["event_en"].url
    assert str(event["URL"]) == page and page in str(event["DESCRIPTION"])
    assert str(event["UID"]).endswith("-en@www.terredilucca.example")
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Rome"
    assert b"DTSTART;TZID=Europe/Rome:" in response.content


@pytest.mark.django_db
def test_location_names_each_locality_once(client, site_tree):
    event = site_tree["event"]
    for place, expected in (
        ("Lucca", "Lucca"),  # the place is the town: not "Lucca, Lucca"
        ("Piazza San Michele, Lucca", "Piazza San Michele, Lucca"),
        ("Mura e piazze di Lucca", "Mura e piazze di Lucca"),
        ("Villa Reale di Marlia", "Villa Reale di Marlia, Lucca"),
        ("", "Lucca"),
    ):
        event.place = place
        event.save_revision().publish()
        (luminara,) = [e for e in _feed(client, "it").walk("VEVENT") if "RRULE" not in e]
        assert str(luminara["LOCATION"]) == expected


@pytest.mark.django_db
def test_an_event_without_an_end_has_no_dtend(client, site_tree):
    event = site_tree["event"]
    event.end = None
    event.save_revision().publish()
    (luminara,) = [e for e in _feed(client, "it").walk("VEVENT") if "RRULE" not in e]
    assert "DTEND" not in luminara and luminara.decoded("DTSTART") == event.start


def _saturday_market(site_tree) -> EventPage:
    """Every Saturday at 08:00 in Lucca from 6 March to 17 April 2027: the clocks go forward on 28 March."""
    return add(
        site_tree["events"],
        EventPage,
        title="Mercato del sabato",
        slug="mercato-sabato",
        category="market",
        start=dt.datetime(2027, 3, 6, 8, 0, tzinfo=ROME),
        end=dt.datetime(2027, 3, 6, 13, 0, tzinfo=ROME),
        recurrence="weekly",
        recurrence_until=dt.date(2027, 4, 17),
        place="Piazza San Michele",
        area=site_tree["area"],
    )


@pytest.mark.django_db
def test_a_saturday_market_stays_at_eight_after_the_clocks_change(client, site_tree):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=True):
        _saturday_market(site_tree)
        response = client.get("/it/events.ics")
        calendar = check_feed(response)
    (market,) = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Mercato del sabato"]
    assert b"DTSTART;TZID=Europe/Rome:20270306T080000" in response.content
    start = market.decoded("DTSTART")
    assert start.tzinfo is not None and start.replace(tzinfo=None) == dt.datetime(2027, 3, 6, 8, 0)
    # UNTIL: the end of 17 April in Rome, in UTC
    assert market["RRULE"]["UNTIL"] == [dt.datetime(2027, 4, 17, 21, 59, 59, tzinfo=dt.UTC)]
    rule = rrule.rrulestr(market["RRULE"].to_ical().decode(), dtstart=start)
    occurrences = list(rule)
    assert [o.date() for o in occurrences] == [dt.date(2027, 3, 6) + dt.timedelta(weeks=n) for n in range(7)]
    assert all(o.astimezone(ROME).weekday() == 5 and o.astimezone(ROME).time() == dt.time(8, 0) for o in occurrences)
    utc = [o.astimezone(dt.UTC).time() for o in occurrences]
    assert utc == [dt.time(7, 0)] * 4 + [dt.time(6, 0)] * 3  # CET up to 27 March, CEST from 3 April

    # A client that reads the feed's VTIMEZONE, not its own copy of the zone database, agrees.
    vtimezone = check_vtimezone(calendar)
    text = vtimezone.to_ical().decode().replace("\r\n ", "")
    assert "DTSTART:20270328T020000" in text and "TZOFFSETFROM:+0100" in text  # 02:00 CET, not 03:00
    own = icalendar.Timezone.from_ical(vtimezone.to_ical().replace(b"Europe/Rome", b"X-Feed-Zone"))
    feed_zone = own.to_tz(lookup_tzid=False)
    assert [o.replace(tzinfo=feed_zone).astimezone(dt.UTC).time() for o in occurrences] == utc
