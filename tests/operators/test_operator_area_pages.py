"""The operator area's pages do their job: services, prices, rules, calendar, bookings."""

import datetime as dt

import pytest
from django.urls import reverse

from operators.models import AvailabilityRule, Rate, Service, Slot

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year + 2  # a season planned ahead, inside the window a date input accepts


def test_service_create_and_update(client, world_a):
    client.force_login(world_a["user"])
    data = {"name_it": "Bici elettriche", "name_en": "E-bikes", "kind": "rental", "capacity_model": "per_unit",
            "min_party": 1, "cutoff_hours": 2, "infant_max_age": 2, "child_max_age": 12, "is_active": "on"}  # fmt: skip
    response = client.post(reverse("operator-area:service-create"), data)
    assert response.context["form"].errors["max_occupancy"]
    response = client.post(reverse("operator-area:service-create"), {**data, "max_occupancy": 1})
    service = Service.objects.get(name_it="Bici elettriche")
    assert service.operator == world_a["operator"]
    assert response["Location"] == reverse("operator-area:service-rates", args=[service.pk])


def test_season_and_weekday_rate(client, world_a):
    client.force_login(world_a["user"])
    service = world_a["service"]
    response = client.post(reverse("operator-area:service-rates", args=[service.pk]),
                           {"name": "Estate", "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR}-05-01"})  # fmt: skip
    assert response.context["form"].errors["ends_on"]
    client.post(reverse("operator-area:service-rates", args=[service.pk]),
                {"name": "Estate", "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR}-08-31"})  # fmt: skip
    season = service.seasons.get(name="Estate")
    # A weekend column opened on the grid, then its price saved with the grid.
    assert client.get(reverse("operator-area:season-prices", args=[season.pk]), {"add": ["6", "5"]}).status_code == 200
    client.post(reverse("operator-area:season-prices", args=[season.pk]),
                {"column": "56", "price_adult_56": "60.00"})  # fmt: skip
    assert Rate.objects.get(season=season).weekdays == "56"


def test_rule_form_generates_slots_and_validates(client, world_a):
    client.force_login(world_a["user"])
    service = world_a["service"]
    url = reverse("operator-area:service-rules", args=[service.pk])
    bad = client.post(url, {"starts_on": f"{YEAR}-04-01", "ends_on": f"{YEAR}-10-31", "start_times": "10:00, 25:00",
                            "capacity": 12})  # fmt: skip
    assert bad.context["form"].errors["start_times"]
    client.post(url, {"starts_on": f"{YEAR}-04-01", "ends_on": f"{YEAR}-10-31", "weekdays": ["5", "6"],
                      "start_times": "15:00,10", "capacity": 12})  # fmt: skip
    rule = AvailabilityRule.objects.get(service=service, starts_on=dt.date(YEAR, 4, 1))
    assert rule.start_times == "10:00,15:00"
    weekend_days = sum(1 for n in range(214) if (dt.date(YEAR, 4, 1) + dt.timedelta(days=n)).weekday() in (5, 6))
    assert Slot.objects.filter(rule=rule).count() == 2 * weekend_days


def test_calendar_shows_capacity_held_booked_free_and_closes_days(client, world_a):
    client.force_login(world_a["user"])
    slot = world_a["slot"]
    url = reverse("operator-area:service-calendar-month", args=[world_a["service"].pk, slot.date.year, slot.date.month])
    response = client.get(url)
    day = next(c["day"] for week in response.context["weeks"] for c in week if c["date"] == slot.date)
    assert (day.capacity, day.reserved, day.held) == (24, 2, 0)  # two slots of 12, two places booked

    update = reverse("operator-area:service-day-update", args=[world_a["service"].pk, slot.date.isoformat()])
    client.post(update, {"action": "capacity", "capacity": 1})  # below the 2 booked: refused, nothing changes
    assert set(Slot.objects.filter(service=world_a["service"], date=slot.date).values_list("capacity", flat=True)) == {
        12
    }
    client.post(update, {"action": "close"})
    assert set(Slot.objects.filter(service=world_a["service"], date=slot.date).values_list("closed", flat=True)) == {
        True
    }
    assert "chiuso" in client.get(url).content.decode()


def test_bookings_list_never_shows_the_capacity_tables_references(client, world_a):
    """The list reads the channels' bookings (tests/operators/test_operator_day.py): a bare capacity
    reservation's internal reference ("order-line:…") is never shown."""
    client.force_login(world_a["user"])
    response = client.get(reverse("operator-area:booking-list"))
    assert response.status_code == 200 and "order-line:" not in response.content.decode()


def test_one_slot_of_a_day_can_be_closed_and_reopened(client, world_a, world_b):
    client.force_login(world_a["user"])
    slot = world_a["slot"]
    update = reverse("operator-area:service-day-update", args=[world_a["service"].pk, slot.date.isoformat()])
    client.post(update, {"action": "close", "slot": slot.pk})
    closed = dict(Slot.objects.filter(service=world_a["service"], date=slot.date).values_list("pk", "closed"))
    assert closed[slot.pk] is True and list(closed.values()).count(True) == 1
    client.post(update, {"action": "open", "slot": slot.pk})
    assert not Slot.objects.filter(service=world_a["service"], closed=True).exists()
    # another operator's slot id on one's own service and date is a 404
    assert client.post(update, {"action": "close", "slot": world_b["slot"].pk}).status_code == 404
    assert not Slot.objects.filter(closed=True).exists()


def test_calendar_months_out_of_range_are_404(client, world_a):
    client.force_login(world_a["user"])
    for year, month in [(2030, 13), (9999, 12), (1999, 1)]:
        url = reverse("operator-area:service-calendar-month", args=[world_a["service"].pk, year, month])
        assert client.get(url).status_code == 404


def test_a_service_with_dates_cannot_switch_to_freesale(client, world_a):
    client.force_login(world_a["user"])
    service = world_a["service"]
    data = {"name_it": service.name, "kind": service.kind, "capacity_model": "freesale", "min_party": 1,
            "cutoff_hours": 0, "infant_max_age": 2, "child_max_age": 12, "is_active": "on"}  # fmt: skip
    response = client.post(reverse("operator-area:service-update", args=[service.pk]), data)
    assert response.context["form"].errors["capacity_model"]
    service.refresh_from_db()
    assert service.capacity_model == "per_person"
