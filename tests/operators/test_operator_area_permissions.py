"""Every view of the operator area: an operator reaches only its own objects, whatever the id."""

import datetime as dt

import pytest
from django.urls import reverse

from operators.models import AvailabilityRule, OperatorMembership, OperatorPhoto, Rate, Season, Slot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today().isoformat()

# (url name, how to build its kwargs from an operator's world, method)
OBJECT_VIEWS = [
    ("service-update", lambda w: {"service_pk": w["service"].pk}, "get"),
    ("service-update", lambda w: {"service_pk": w["service"].pk}, "post"),
    ("service-rates", lambda w: {"service_pk": w["service"].pk}, "get"),
    ("service-rates", lambda w: {"service_pk": w["service"].pk}, "post"),
    ("season-delete", lambda w: {"pk": w["season"].pk}, "post"),
    ("season-prices", lambda w: {"pk": w["season"].pk}, "get"),
    ("season-prices", lambda w: {"pk": w["season"].pk}, "post"),
    ("season-copy", lambda w: {"pk": w["season"].pk}, "post"),
    ("service-rules", lambda w: {"service_pk": w["service"].pk}, "get"),
    ("service-rules", lambda w: {"service_pk": w["service"].pk}, "post"),
    ("rule-generate", lambda w: {"pk": w["rule"].pk}, "post"),
    ("rule-delete", lambda w: {"pk": w["rule"].pk}, "post"),
    ("service-calendar", lambda w: {"service_pk": w["service"].pk}, "get"),
    (
        "service-calendar-month",
        lambda w: {"service_pk": w["service"].pk, "year": w["slot"].date.year, "month": w["slot"].date.month},
        "get",
    ),
    ("service-day-update", lambda w: {"service_pk": w["service"].pk, "date": w["slot"].date.isoformat()}, "post"),
    ("service-ical", lambda w: {"service_pk": w["service"].pk}, "get"),
    ("service-ical", lambda w: {"service_pk": w["service"].pk}, "post"),
    ("photo-delete", lambda w: {"pk": w["photo"].pk}, "post"),
    ("member-delete", lambda w: {"pk": w["membership"].pk}, "post"),
]
OWN_VIEWS = [
    "home",
    "profile",
    "photo-create",
    "team",
    "service-list",
    "service-create",
    "booking-list",
    "request-list",
]
STAFF_VIEWS = [("staff-operator-list", lambda w: {}), ("staff-operator-decide", lambda w: {"pk": w["operator"].pk})]


def snapshot():
    return (
        list(Season.objects.values_list("pk", flat=True)),
        list(Rate.objects.values_list("pk", flat=True)),
        list(AvailabilityRule.objects.values_list("pk", flat=True)),
        list(OperatorPhoto.objects.values_list("pk", flat=True)),
        list(OperatorMembership.objects.values_list("pk", flat=True)),
        list(Slot.objects.order_by("pk").values_list("capacity", "closed", "blocked")),
    )


@pytest.mark.parametrize(("name", "kwargs", "method"), OBJECT_VIEWS)
def test_other_operators_objects_are_404_and_untouched(client, world_a, world_b, name, kwargs, method):
    client.force_login(world_a["user"])
    url = reverse(f"operator-area:{name}", kwargs=kwargs(world_b))
    before = snapshot()
    data = {"action": "close", "name": "x", "starts_on": TODAY, "ends_on": TODAY, "capacity": 5,
            "category": "adult", "amount": "1", "price_adult_all": "1", "percent": "5", "name_it": "x", "kind": "ticket", "capacity_model": "freesale",
            "min_party": 1, "cutoff_hours": 0, "infant_max_age": 2, "child_max_age": 12}  # fmt: skip
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert snapshot() == before


def _ics():
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1@example.com\r\n"
        f"DTSTART;VALUE=DATE:{dt.date.today() + dt.timedelta(days=6):%Y%m%d}\r\n"
        f"DTEND;VALUE=DATE:{dt.date.today() + dt.timedelta(days=7):%Y%m%d}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return SimpleUploadedFile("busy.ics", body.encode(), content_type="text/calendar")


# What each POST of OBJECT_VIEWS does to the requesting operator's own object: (data, outcome check).
def _service_named(w, name):
    w["service"].refresh_from_db()
    return w["service"].name_it == name


def _unbooked_slots_deleted(w) -> dict:
    """Before generating again: the rule's unbooked dates are gone (generation must bring them back)."""
    w["slots"] = Slot.objects.filter(rule=w["rule"]).count()
    Slot.objects.filter(rule=w["rule"], reserved=0).delete()
    return {}


TODAY_YEAR = dt.date.today().year


def _season_this_year(w) -> dict:
    """The world's season moved to this year (its default is too far ahead for a copy a year later)."""
    Season.objects.filter(pk=w["season"].pk).update(
        starts_on=dt.date(TODAY_YEAR, 1, 1), ends_on=dt.date(TODAY_YEAR, 3, 31)
    )
    return {"percent": "10"}


OWN_POSTS = {
    "service-update": (
        lambda w: {"name_it": "Visita rinominata", "kind": w["service"].kind,
                   "capacity_model": w["service"].capacity_model, "max_occupancy": w["service"].max_occupancy or "",
                   "min_party": 1, "cutoff_hours": 0, "infant_max_age": 2, "child_max_age": 12, "is_active": "on"},
        lambda w: _service_named(w, "Visita rinominata"),
    ),
    "service-rates": (
        lambda w: {"name": "Nuova", "starts_on": TODAY, "ends_on": TODAY},
        lambda w: w["service"].seasons.filter(name="Nuova").exists(),
    ),
    "season-delete": (lambda w: {}, lambda w: not Season.objects.filter(pk=w["season"].pk).exists()),
    "season-prices": (
        lambda w: {"price_senior_all": "12.00", "price_adult_all": str(w["rate"].amount)},
        lambda w: Rate.objects.filter(season=w["season"], category="senior", amount="12.00").exists(),
    ),
    "season-copy": (_season_this_year, lambda w: w["service"].seasons.filter(starts_on__year=TODAY_YEAR + 1).exists()),
    "service-rules": (
        lambda w: {"starts_on": TODAY, "ends_on": TODAY, "start_times": "18:00", "capacity": 3},
        lambda w: AvailabilityRule.objects.filter(service=w["service"]).count() == 2,
    ),
    "rule-generate": (_unbooked_slots_deleted, lambda w: Slot.objects.filter(rule=w["rule"]).count() == w["slots"]),
    "rule-delete": (lambda w: {}, lambda w: not AvailabilityRule.objects.filter(pk=w["rule"].pk).exists()),
    "service-day-update": (
        lambda w: {"action": "close"},
        lambda w: all(s.closed for s in Slot.objects.filter(service=w["service"], date=w["slot"].date)),
    ),
    "service-ical": (lambda w: {"file": _ics()}, lambda w: w["service"].external_calendars.count() == 2),
    "photo-delete": (lambda w: {}, lambda w: not OperatorPhoto.objects.filter(pk=w["photo"].pk).exists()),
    # The only owner cannot leave: refused with a message, the membership stays.
    "member-delete": (lambda w: {}, lambda w: OperatorMembership.objects.filter(pk=w["membership"].pk).exists()),
}  # fmt: skip


@pytest.mark.parametrize(("name", "kwargs", "method"), OBJECT_VIEWS)
def test_own_objects_are_reachable(client, world_a, name, kwargs, method):
    client.force_login(world_a["user"])
    url = reverse(f"operator-area:{name}", kwargs=kwargs(world_a))
    if method == "get":
        assert client.get(url).status_code == 200
        return
    data, done = OWN_POSTS[name]
    response = client.post(url, data(world_a))
    assert response.status_code == 302
    assert done(world_a)


@pytest.mark.parametrize("name", OWN_VIEWS)
def test_area_pages_show_only_the_users_operator(client, world_a, world_b, name):
    client.force_login(world_a["user"])
    response = client.get(reverse(f"operator-area:{name}"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world_a["operator"].name in page
    assert world_b["operator"].name not in page
    assert world_b["service"].name not in page
    assert "order-line:Guide del Casentino" not in page


@pytest.mark.parametrize("name", OWN_VIEWS + [n for n, _, _ in OBJECT_VIEWS])
def test_anonymous_visitors_are_sent_to_login(client, world_a, name):
    kwargs = dict(OBJECT_VIEWS_BY_NAME[name](world_a)) if name in OBJECT_VIEWS_BY_NAME else {}
    response = client.get(reverse(f"operator-area:{name}", kwargs=kwargs))
    assert response.status_code == 302
    assert "login" in response["Location"]


OBJECT_VIEWS_BY_NAME = {name: kwargs for name, kwargs, _ in OBJECT_VIEWS}


@pytest.mark.parametrize("name", OWN_VIEWS + [n for n, _, _ in OBJECT_VIEWS])
def test_users_without_an_operator_are_sent_to_the_signup(client, world_a, name):
    client.force_login(UserFactory())
    kwargs = dict(OBJECT_VIEWS_BY_NAME[name](world_a)) if name in OBJECT_VIEWS_BY_NAME else {}
    response = client.get(reverse(f"operator-area:{name}", kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"] == reverse("operator-area:signup")


@pytest.mark.parametrize(("name", "kwargs"), STAFF_VIEWS)
def test_staff_screens_are_forbidden_to_operators_and_open_to_staff(client, world_a, name, kwargs):
    url = reverse(f"operator-area:{name}", kwargs=kwargs(world_a))
    client.force_login(world_a["user"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "suspended", "reason": "x"}).status_code == 403
    client.force_login(UserFactory(role="DMC staff"))
    assert client.get(url).status_code == 200
