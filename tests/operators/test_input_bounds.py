"""Dates and numbers at the edges of what Python and the database hold: the operator area answers a
field error, a message or a 404, never a 500, and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from marketplace.core.dates import date_window
from operators.models import AvailabilityRule, Season, Slot

pytestmark = pytest.mark.django_db

EDGE_DATES = ["0001-01-01", "9999-12-31"]


def _slots():
    return list(Slot.objects.order_by("pk").values_list("pk", "capacity", "closed"))


@pytest.mark.parametrize("edge", EDGE_DATES)
@pytest.mark.parametrize("field", ["starts_on", "ends_on"])
def test_rule_at_the_edge_of_the_calendar_is_a_field_error(client, world_a, edge, field):
    client.force_login(world_a["user"])
    today = dt.date.today()
    data = {"starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=7)).isoformat(),
            "start_times": "10:00", "capacity": 5, field: edge}  # fmt: skip
    before = (AvailabilityRule.objects.count(), _slots())

    response = client.post(reverse("operator-area:service-rules", args=[world_a["service"].pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert (AvailabilityRule.objects.count(), _slots()) == before


@pytest.mark.parametrize("edge", EDGE_DATES)
def test_season_at_the_edge_of_the_calendar_is_a_field_error(client, world_a, edge):
    client.force_login(world_a["user"])
    before = Season.objects.count()
    response = client.post(reverse("operator-area:service-rates", args=[world_a["service"].pk]),
                           {"name": "Sempre", "starts_on": dt.date.today().isoformat(), "ends_on": edge})  # fmt: skip
    assert response.context["form"].errors["ends_on"]
    assert Season.objects.count() == before


def test_rule_form_bounds_the_date_picker(client, world_a):
    client.force_login(world_a["user"])
    first, last = date_window()
    page = client.get(reverse("operator-area:service-rules", args=[world_a["service"].pk])).content.decode()
    assert f'min="{first.isoformat()}"' in page and f'max="{last.isoformat()}"' in page


@pytest.mark.parametrize("capacity", [1099511627776, 10000])
def test_huge_capacity_on_the_calendar_day_is_refused(client, world_a, capacity):
    client.force_login(world_a["user"])
    slot = world_a["slot"]
    before = _slots()

    response = client.post(
        reverse("operator-area:service-day-update", args=[world_a["service"].pk, slot.date.isoformat()]),
        {"action": "capacity", "capacity": capacity, "slot": slot.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert any("9999" in str(m) for m in response.context["messages"])
    assert _slots() == before


def test_huge_numbers_on_the_service_form_are_field_errors(client, world_a):
    client.force_login(world_a["user"])
    service = world_a["service"]
    data = {"name_it": "Visita", "kind": service.kind, "capacity_model": service.capacity_model,
            "max_occupancy": service.max_occupancy or "", "min_party": 1,
            "cutoff_hours": 2**31 - 1, "duration_minutes": 2**31 - 1, "infant_max_age": 2, "child_max_age": 12,
            "is_active": "on"}  # fmt: skip
    response = client.post(reverse("operator-area:service-update", args=[service.pk]), data)
    assert set(response.context["form"].errors) == {"cutoff_hours", "duration_minutes"}
    service.refresh_from_db()
    assert service.cutoff_hours != 2**31 - 1


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2026-02-30", "x"])
def test_calendar_day_outside_the_window_is_404(client, world_a, date):
    client.force_login(world_a["user"])
    before = _slots()
    url = reverse("operator-area:service-day-update", args=[world_a["service"].pk, date])
    assert client.post(url, {"action": "close"}).status_code == 404
    assert _slots() == before


@pytest.mark.parametrize(("year", "month"), [(1, 1), (9999, 12), (9999, 13), (2026, 0)])
def test_calendar_month_outside_the_window_is_404(client, world_a, year, month):
    client.force_login(world_a["user"])
    url = reverse("operator-area:service-calendar-month", args=[world_a["service"].pk, year, month])
    assert client.get(url).status_code == 404


def test_calendar_month_at_the_window_end_has_no_link_further(client, world_a):
    client.force_login(world_a["user"])
    last = date_window()[1]
    response = client.get(
        reverse("operator-area:service-calendar-month", args=[world_a["service"].pk, last.year, last.month])
    )
    assert response.status_code == 200 and response.context["next"] is None


@pytest.mark.parametrize("slot", [2**70, -1])
def test_a_slot_id_beyond_any_row_changes_nothing(client, world_a, slot):
    client.force_login(world_a["user"])
    day = world_a["slot"].date
    before = _slots()
    response = client.post(
        reverse("operator-area:service-day-update", args=[world_a["service"].pk, day.isoformat()]),
        {"action": "close", "slot": slot},
    )
    assert response.status_code in (302, 404)
    assert _slots() == before


@pytest.mark.parametrize("edge", EDGE_DATES)
def test_staff_admin_refuses_a_rule_at_the_edge_of_the_calendar(admin_client, world_a, edge):
    before = AvailabilityRule.objects.count()
    response = admin_client.post(
        reverse("admin:operators_availabilityrule_add"),
        {"service": world_a["service"].pk, "starts_on": edge, "ends_on": edge, "weekdays": "",
         "start_times": "", "capacity": 5},
    )  # fmt: skip
    assert response.status_code == 200
    assert "starts_on" in response.context["adminform"].form.errors
    assert AvailabilityRule.objects.count() == before
