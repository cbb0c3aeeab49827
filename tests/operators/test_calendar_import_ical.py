"""Importing an external iCal blocks its dates; re-import replaces; malformed changes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from operators.capacity import capacity_hold
from operators.exceptions import SoldOut
from operators.models import ExternalCalendar, Slot
from operators.services import ICalError, calendar_import_ical, rule_generate_slots

from .factories import RuleFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def ics(*events):
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{i}@channel.example\r\nDTSTAMP:20300101T000000Z\r\n{e}\r\nSUMMARY:Booked\r\nEND:VEVENT\r\n"
        for i, e in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Channel//EN\r\n{body}END:VCALENDAR\r\n".encode()


@pytest.fixture
def room():
    service = ServiceFactory(kind="accommodation", capacity_model="per_unit", max_occupancy=2)
    rule_generate_slots(rule=RuleFactory(service=service, starts_on=dt.date(2030, 6, 1), ends_on=dt.date(2030, 6, 30),
                                         weekdays="", start_times="", capacity=1))  # fmt: skip
    return service


def blocked(service):
    return sorted(d.day for d in Slot.objects.filter(service=service, blocked=True).values_list("date", flat=True))


def test_import_blocks_listed_nights_and_reimport_replaces_them(room):
    calendar = ExternalCalendar.objects.create(service=room)
    content = ics(
        "DTSTART;VALUE=DATE:20300605\r\nDTEND;VALUE=DATE:20300608", "DTSTART:20300620T150000Z\r\nDTEND:20300621T100000Z"
    )
    assert calendar_import_ical(calendar=calendar, content=content) == 2
    assert blocked(room) == [5, 6, 7, 20, 21]
    slot = Slot.objects.get(service=room, date=dt.date(2030, 6, 6))
    with pytest.raises(SoldOut):
        capacity_hold(items=[(slot, 1)], reference="basket-line:1")

    calendar_import_ical(calendar=calendar, content=ics("DTSTART;VALUE=DATE:20300610\r\nDTEND;VALUE=DATE:20300611"))
    assert blocked(room) == [10]


def test_events_at_the_edge_of_the_calendar_are_ignored_not_a_crash(room):
    calendar = ExternalCalendar.objects.create(service=room)
    content = ics(
        "DTSTART;VALUE=DATE:99991231",
        "DTSTART:99991231T233000Z\r\nDTEND:99991231T235900Z",
        "DTSTART;VALUE=DATE:20300605\r\nDTEND;VALUE=DATE:20300606",
    )
    assert calendar_import_ical(calendar=calendar, content=content) == 1
    assert blocked(room) == [5]


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ics("SUMMARY:no start"),
    ],
)
def test_malformed_ical_raises_a_clear_error_and_keeps_the_previous_block(room, content):
    calendar = ExternalCalendar.objects.create(service=room)
    calendar_import_ical(calendar=calendar, content=ics("DTSTART;VALUE=DATE:20300605\r\nDTEND;VALUE=DATE:20300606"))
    with pytest.raises(ICalError) as error:
        calendar_import_ical(calendar=calendar, content=content)
    assert str(error.value)
    assert blocked(room) == [5]
    assert calendar.blocks.count() == 1


def test_slots_generated_after_an_import_are_blocked_too():
    service = ServiceFactory()
    calendar = ExternalCalendar.objects.create(service=service)
    calendar_import_ical(calendar=calendar, content=ics("DTSTART;VALUE=DATE:20300702\r\nDTEND;VALUE=DATE:20300703"))
    rule_generate_slots(rule=RuleFactory(service=service, starts_on=dt.date(2030, 7, 1), ends_on=dt.date(2030, 7, 3),
                                         weekdays=""))  # fmt: skip
    assert {s.date.day for s in Slot.objects.filter(service=service, blocked=True)} == {2}


def test_view_imports_a_file_and_shows_errors(client, world_a):
    client.force_login(world_a["user"])
    url = reverse("operator-area:service-ical", args=[world_a["service"].pk])
    day = world_a["slot"].date
    good = ics(f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\nDTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}")
    response = client.post(url, {"file": SimpleUploadedFile("cal.ics", good, "text/calendar")})
    assert response.status_code == 302
    assert Slot.objects.filter(service=world_a["service"], date=day, blocked=True).exists()
    response = client.post(url, {"file": SimpleUploadedFile("cal.ics", b"garbage", "text/calendar")})
    assert response.status_code == 200
    assert "non è un calendario iCal valido" in str(response.context["form"].non_field_errors())
    assert Slot.objects.filter(service=world_a["service"], date=day, blocked=True).exists()


@pytest.fixture
def ical_server(settings):
    """A local HTTP server serving whatever bytes the test puts in `served["body"]` (private
    addresses are refused outside tests: ICAL_ALLOW_PRIVATE_HOSTS lets this one through)."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    settings.ICAL_ALLOW_PRIVATE_HOSTS = True
    served = {"body": b""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/hop"):  # /hop3 -> /hop2 -> /hop1 -> /calendar.ics
                hops = int(self.path[4:] or 1)
                self.send_response(302)
                self.send_header("Location", f"/hop{hops - 1}" if hops > 1 else "/calendar.ics")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            self.wfile.write(served["body"])

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served["url"] = f"http://127.0.0.1:{server.server_port}/calendar.ics"
    yield served
    server.shutdown()


def test_view_imports_from_a_url_and_reimport_replaces(client, world_a, ical_server):
    client.force_login(world_a["user"])
    url = reverse("operator-area:service-ical", args=[world_a["service"].pk])
    day = world_a["slot"].date
    ical_server["body"] = ics(
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\nDTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}"
    )
    assert client.post(url, {"url": ical_server["url"]}).status_code == 302
    assert set(Slot.objects.filter(service=world_a["service"], blocked=True).values_list("date", flat=True)) == {day}
    ical_server["body"] = ics("DTSTART;VALUE=DATE:20300101\r\nDTEND;VALUE=DATE:20300102")
    client.post(url, {"url": ical_server["url"]})
    assert not Slot.objects.filter(service=world_a["service"], blocked=True).exists()
    assert ExternalCalendar.objects.filter(service=world_a["service"], url=ical_server["url"]).count() == 1


def test_unreachable_url_is_a_form_error(client, world_a, settings):
    settings.ICAL_ALLOW_PRIVATE_HOSTS = True
    client.force_login(world_a["user"])
    url = reverse("operator-area:service-ical", args=[world_a["service"].pk])
    response = client.post(url, {"url": "http://127.0.0.1:9/nothing.ics"})
    assert response.status_code == 200
    assert "Non è stato possibile scaricare il calendario" in str(response.context["form"].non_field_errors())


def test_hourly_refresh_task_reimports_url_calendars_and_records_failures(room, ical_server):
    from operators.tasks import calendars_refresh_task

    good = ExternalCalendar.objects.create(service=room, url=ical_server["url"])
    broken = ExternalCalendar.objects.create(service=room, url="http://127.0.0.1:9/gone.ics")
    ExternalCalendar.objects.create(service=room)  # an uploaded file: nothing to refresh
    ical_server["body"] = ics("DTSTART;VALUE=DATE:20300615\r\nDTEND;VALUE=DATE:20300616")

    assert calendars_refresh_task.delay().get() == 2

    assert blocked(room) == [15]
    good.refresh_from_db()
    broken.refresh_from_db()
    assert good.last_imported_at and not good.last_error
    assert "Non è stato possibile scaricare il calendario" in broken.last_error


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000/cal.ics", "http://10.0.0.5/cal.ics", "http://[::1]/x.ics",
                                     "http://169.254.169.254/latest/meta-data"])  # fmt: skip
def test_addresses_on_the_internal_network_are_refused(client, world_a, address):
    client.force_login(world_a["user"])
    response = client.post(reverse("operator-area:service-ical", args=[world_a["service"].pk]), {"url": address})
    assert response.status_code == 200
    assert "non è raggiungibile su internet" in str(response.context["form"].non_field_errors())
    assert not ExternalCalendar.objects.filter(url=address).exists()


def test_fetch_follows_a_few_redirects_checking_each_hop(ical_server, settings):
    from operators.services import calendar_fetch

    ical_server["body"] = ics("DTSTART;VALUE=DATE:20300615")
    base = ical_server["url"].rsplit("/", 1)[0]
    assert calendar_fetch(url=f"{base}/hop3") == ical_server["body"]
    with pytest.raises(ICalError, match="troppi reindirizzamenti"):
        calendar_fetch(url=f"{base}/hop4")
    settings.ICAL_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(ICalError, match="raggiungibile su internet"):
        calendar_fetch(url=f"{base}/hop1")
