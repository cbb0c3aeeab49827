"""The events iCal feed, parsed back with the icalendar library as a calendar app would."""

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation


def _feed(client, language):
    with translation.override(language):
        url = reverse("cms:events-ical")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


@pytest.mark.django_db
def test_feed_lists_one_off_and_recurring_events(client, site_tree):
    calendar = _feed(client, "it")
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Luminara di Santa Croce", "Mercato contadino"}
    luminara = events["Luminara di Santa Croce"]
    assert luminara.decoded("DTSTART") == site_tree["event"].start
    assert str(luminara["URL"]).endswith(site_tree["event"].url)
    assert "Centro storico" in str(luminara["LOCATION"])
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
