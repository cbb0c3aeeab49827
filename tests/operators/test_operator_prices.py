"""A season's prices on one screen, the copy to next year, rules read by weekday name and never in the
past, what a pending operator may not do, and the history of who changed what (operator and staff)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from operators.models import AvailabilityRule, Operator, Rate, Season, Slot
from operators.prices import season_copy_to_next_year
from tests.factories import UserFactory

from .factories import RateFactory, SeasonFactory

pytestmark = pytest.mark.django_db
THIS_YEAR = dt.date.today().year


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rates(season):
    return sorted(season.rates.values_list("category", "weekdays", "amount"))


def grid_url(season):
    return reverse("operator-area:season-prices", args=[season.pk])


def test_the_grid_saves_every_cell_at_once(client, world_a):
    season = world_a["season"]
    client.force_login(world_a["user"])
    page = client.get(grid_url(season))
    assert page.status_code == 200
    assert set(page.context["form"].fields) >= {"price_adult_all", "price_child_all", "price_infant_all",
                                                "price_senior_all"}  # fmt: skip

    response = client.post(grid_url(season), {"price_adult_all": "32.00", "price_child_all": "15",
                                               "price_senior_all": "", "price_infant_all": ""})  # fmt: skip

    assert response.status_code == 302
    assert rates(season) == [("adult", "", Decimal("32.00")), ("child", "", Decimal("15.00"))]
    # An emptied cell deletes its price.
    client.post(grid_url(season), {"price_adult_all": "32.00", "price_child_all": ""})
    assert rates(season) == [("adult", "", Decimal("32.00"))]


def test_a_wrong_cell_saves_nothing_and_says_which(client, world_a):
    season = world_a["season"]
    before = rates(season)
    client.force_login(world_a["user"])

    response = client.post(grid_url(season), {"price_adult_all": "99", "price_child_all": "-5",
                                               "price_senior_all": "abc"})  # fmt: skip

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"price_child_all", "price_senior_all"}
    assert rates(season) == before  # the good adult cell was not saved either
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_weekday_column_beats_every_day(client, world_a):
    season = world_a["season"]
    client.force_login(world_a["user"])
    page = client.get(grid_url(season), {"add": ["5", "6"]})
    assert "Sat, Sun" in page.content.decode()

    client.post(grid_url(season), {"column": "56", "price_adult_all": "30", "price_adult_56": "36"})

    assert ("adult", "56", Decimal("36.00")) in rates(season)
    assert "Sat, Sun" in client.get(reverse("operator-area:service-rates", args=[season.service_id])).content.decode()


def test_another_operators_season_is_404_and_untouched(client, world_a, world_b):
    season = world_b["season"]
    before = rates(season)
    client.force_login(world_a["user"])
    assert client.get(grid_url(season)).status_code == 404
    assert client.post(grid_url(season), {"price_adult_all": "1"}).status_code == 404
    assert client.post(reverse("operator-area:season-copy", args=[season.pk]), {"percent": "5"}).status_code == 404
    assert rates(season) == before
    assert Season.objects.filter(service=world_b["service"]).count() == 1


def test_copy_to_next_year_changes_prices_by_the_percentage_to_the_cent(client, world_a):
    season = SeasonFactory(service=world_a["service"], name=f"Estate {THIS_YEAR}",
                           starts_on=dt.date(THIS_YEAR, 6, 1), ends_on=dt.date(THIS_YEAR, 8, 31))  # fmt: skip
    RateFactory(season=season, category="adult", amount=Decimal("19.99"))
    RateFactory(season=season, category="child", weekdays="56", amount=Decimal("10.00"))
    client.force_login(world_a["user"])

    response = client.post(reverse("operator-area:season-copy", args=[season.pk]), {"percent": "3"})

    copy = Season.objects.get(service=world_a["service"], starts_on=dt.date(THIS_YEAR + 1, 6, 1))
    assert response["Location"] == grid_url(copy)
    assert (copy.name, copy.ends_on) == (f"Estate {THIS_YEAR + 1}", dt.date(THIS_YEAR + 1, 8, 31))
    assert rates(copy) == [("adult", "", Decimal("20.59")), ("child", "56", Decimal("10.30"))]
    assert rates(season) == [("adult", "", Decimal("19.99")), ("child", "56", Decimal("10.00"))]  # untouched


def test_a_copy_overlapping_a_season_is_refused_with_a_clear_message(client, world_a):
    season = SeasonFactory(service=world_a["service"], name="Spring",
                           starts_on=dt.date(THIS_YEAR, 4, 1), ends_on=dt.date(THIS_YEAR, 5, 31))  # fmt: skip
    SeasonFactory(service=world_a["service"], name="Fair week",
                  starts_on=dt.date(THIS_YEAR + 1, 5, 20), ends_on=dt.date(THIS_YEAR + 1, 5, 27))  # fmt: skip
    count = Season.objects.count()
    client.force_login(world_a["user"])

    response = client.post(reverse("operator-area:season-copy", args=[season.pk]), {"percent": "5"}, follow=True)

    assert Season.objects.count() == count
    page = response.content.decode()
    assert "would overlap the season “Fair week”" in page
    assert f"20 May {THIS_YEAR + 1}" in page


def test_copy_service_refuses_a_price_below_zero(world_a):
    season = SeasonFactory(service=world_a["service"], starts_on=dt.date(THIS_YEAR, 1, 1),
                           ends_on=dt.date(THIS_YEAR, 1, 31))  # fmt: skip
    with pytest.raises(Exception, match="more than 100"):
        season_copy_to_next_year(season=season, percent=Decimal("-150"))


def test_rules_show_weekdays_by_name(client, world_a):
    AvailabilityRule.objects.filter(pk=world_a["rule"].pk).update(weekdays="34")
    client.force_login(world_a["user"])
    page = client.get(reverse("operator-area:service-rules", args=[world_a["service"].pk])).content.decode()
    assert "<td>Thu, Fri</td>" in page
    assert "Thursday" in page  # the form's checkboxes are named days too
    assert "<td>34</td>" not in page


@time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_rule_never_creates_dates_in_the_past(client, world_a):
    client.force_login(world_a["user"])
    url = reverse("operator-area:service-rules", args=[world_a["service"].pk])

    # Started last week: dates from today on only, and today's 10:00 (13:00 in Rome now) is gone.
    client.post(url, {"starts_on": "2027-03-03", "ends_on": "2027-03-12", "start_times": "10:00,18:00",
                      "capacity": 4})  # fmt: skip
    rule = AvailabilityRule.objects.get(service=world_a["service"], starts_on=dt.date(2027, 3, 3))
    slots = list(Slot.objects.filter(rule=rule).values_list("date", "start_time"))
    assert min(slots) == (dt.date(2027, 3, 10), dt.time(18, 0))
    assert len(slots) == 1 + 2 * 2  # today 18:00, then the 11th and 12th twice

    # Over already: refused, no rule saved.
    response = client.post(url, {"starts_on": "2027-03-01", "ends_on": "2027-03-05", "capacity": 4})
    assert response.context["form"].errors["ends_on"]
    assert not AvailabilityRule.objects.filter(starts_on=dt.date(2027, 3, 1)).exists()


@pytest.fixture
def pending(world_a):
    Operator.objects.filter(pk=world_a["operator"].pk).update(status=Operator.Status.PENDING)
    return world_a


def test_a_pending_operator_cannot_invite_get_or_post(client, pending):
    client.force_login(pending["user"])
    page = client.get(reverse("operator-area:team")).content.decode()
    assert "You can invite people once the DMC staff have approved your operator." in page
    assert 'name="email"' not in page

    response = client.post(reverse("operator-area:team"), {"email": "new@example.com", "role": "staff"})

    assert response.status_code == 200
    assert "once the DMC staff have approved it" in response.content.decode()
    assert not pending["operator"].invitations.exists()


def test_a_pending_operator_prepares_services_but_cannot_put_them_on_sale(client, pending):
    client.force_login(pending["user"])
    page = client.get(reverse("operator-area:service-create")).content.decode()
    assert "Your services can go on sale once the DMC staff have approved you." in page

    data = {"name_it": "Degustazione", "kind": "food-wine", "capacity_model": "per_person", "min_party": 1,
            "cutoff_hours": 0, "infant_max_age": 2, "child_max_age": 12, "is_active": "on"}  # fmt: skip
    response = client.post(reverse("operator-area:service-create"), data)

    assert response.status_code == 302
    service = pending["operator"].services.get(name_it="Degustazione")
    assert service.is_active is False  # the ticked box of a forged POST is ignored

    # An existing service on sale is taken off sale when a pending operator saves it.
    client.post(reverse("operator-area:service-update", args=[pending["service"].pk]),
                {**data, "name_it": "Visita"})  # fmt: skip
    pending["service"].refresh_from_db()
    assert pending["service"].is_active is False


def test_the_invitation_answers_the_same_for_an_existing_and_a_new_address(client, world_a):
    UserFactory(email="known@example.com")
    client.force_login(world_a["user"])
    answers = []
    for email in ("known@example.com", "unknown@example.com"):
        response = client.post(reverse("operator-area:team"), {"email": email, "role": "staff"}, follow=True)
        answers.append((response.status_code, response.redirect_chain,
                        [str(m).replace(email, "@") for m in response.context["messages"]]))  # fmt: skip
    assert answers[0] == answers[1]
    assert set(world_a["operator"].invitations.values_list("email", flat=True)) == {
        "known@example.com", "unknown@example.com"}  # fmt: skip


def test_history_shows_who_changed_which_price_to_the_operator_and_to_staff(client, world_a, world_b):
    season = world_a["season"]
    Rate.objects.filter(season=season).delete()
    world_a["user"].first_name, world_a["user"].last_name = "Anna", "Bianchi"
    world_a["user"].save()
    client.force_login(world_a["user"])
    client.post(grid_url(season), {"price_adult_all": "30.00"})
    client.post(grid_url(season), {"price_adult_all": "32.50"})

    page = client.get(reverse("operator-area:service-update", args=[season.service_id])).content.decode()
    assert "Anna Bianchi" in page
    assert "30.00 → 32.50" in page
    assert "Adult" in page
    grid = client.get(grid_url(season)).content.decode()
    assert "30.00 → 32.50" in grid

    # Another operator sees none of it, on its own pages or on ours.
    client.force_login(world_b["user"])
    own = client.get(reverse("operator-area:service-update", args=[world_b["service"].pk])).content.decode()
    assert "32.50" not in own and "Anna Bianchi" not in own
    assert client.get(reverse("operator-area:service-update", args=[season.service_id])).status_code == 404

    # Staff see it on the operator's page.
    client.force_login(UserFactory(role="DMC staff"))
    staff = client.get(reverse("operator-area:staff-operator-decide", args=[world_a["operator"].pk]))
    assert "30.00 → 32.50" in staff.content.decode()
    assert "Anna Bianchi" in staff.content.decode()


def test_changes_outside_a_request_read_as_system(client, world_a):
    from operators.services import slot_update

    slot_update(slot=world_a["slot"], closed=True)  # a task, a command: no request, no actor
    client.force_login(world_a["user"])
    page = client.get(reverse("operator-area:service-update", args=[world_a["service"].pk])).content.decode()
    assert "system" in page
    assert "Closed" in page or "closed" in page


def test_the_menu_reaches_every_page_of_the_area(client, world_a):
    client.force_login(world_a["user"])
    page = client.get(reverse("operator-area:service-list")).content.decode()
    today = dt.date.today()
    for url in (
        reverse("operator-area:home"), reverse("operator-area:booking-list"), reverse("operator-area:request-list"),
        reverse("operator-area:service-list"), reverse("operator-area:team"), reverse("operator-area:profile"),
        reverse("calendars:operator"), reverse("observatory:operator"), reverse("certifications:award-list-mine"),
        reverse("packages:operator-statement", args=[today.year, today.month]),
    ):  # fmt: skip
        assert f'href="{url}"' in page, url
    assert 'aria-controls="area-nav-links"' in page and 'aria-current="page"' in page
