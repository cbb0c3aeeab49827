"""A single service's page (a city walk with four departures a day) as the visitor reads it: the day's
departure times as radios in the booking form (the chosen one ticked, a full one disabled), the choice
kept by the party form and the calendar's links, the walk booked at that time and shown with it on the
basket and in the confirmation; no "Day by day" itinerary but its kind, duration and operator. Packages
assembled by staff and all-day services get no radios."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from operators.models import Hold, Service, Slot
from packages.order_lines import package_line
from packages.services import service_package_sync
from tests.packages.conftest import buy
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def page_url(package, **params):
    url = package.product.get_absolute_url().replace("/it/", "/en/", 1)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def radios(html):
    """The departure radios of the page: (value, checked, disabled) each."""
    found = re.findall(r'<input class="form-check-input" type="radio" name="start_time"[^>]*>', html)
    return [(re.search(r'value="([^"]+)"', tag).group(1), " checked" in tag, " disabled" in tag) for tag in found]


def test_a_timed_service_offers_the_day_s_departures_the_first_with_room_ticked(client, walk, today):
    _service, package, _guide = walk
    on = today + dt.timedelta(days=10)

    html = client.get(page_url(package, date=on.isoformat())).content.decode()

    assert "<legend" in html and "Departure time</legend>" in html
    assert radios(html) == [("10:00", True, False), ("11:30", False, False), ("15:00", False, False),
                            ("17:00", False, False)]  # fmt: skip
    assert 'for="id_start_time_3">15:00' in html  # each radio has its label


def test_the_chosen_departure_is_ticked_and_kept_by_the_party_form_and_the_links(client, walk, today):
    _service, package, _guide = walk
    on = today + dt.timedelta(days=10)

    html = client.get(page_url(package, date=on.isoformat(), start_time="15:00")).content.decode()

    assert [value for value, checked, _ in radios(html) if checked] == ["15:00"]
    party_form = html.split('class="package-party')[1].split("</form>")[0]
    assert '<input type="hidden" name="start_time" value="15:00">' in party_form
    assert "start_time=15%3A00" in html  # the calendar's day links keep it
    assert "15:00 departure chosen" in html  # what the status region reads out


def test_the_booking_box_alone_keeps_the_departure_chosen(client, walk, today):
    _service, package, _guide = walk
    on = today + dt.timedelta(days=10)
    with translation.override("en"):
        url = reverse("packages:booking-box", kwargs={"pk": package.pk})

    html = client.get(url, {"date": on.isoformat(), "adults": 2, "start_time": "17:00"}).content.decode()

    assert [value for value, checked, _ in radios(html) if checked] == ["17:00"]


def test_a_full_departure_is_disabled_and_said_full(client, walk, today):
    service, package, _guide = walk
    on = today + dt.timedelta(days=10)
    Slot.objects.filter(service=service, date=on, start_time=dt.time(10, 0)).update(reserved=11)

    html = client.get(page_url(package, date=on.isoformat(), adults=2, start_time="10:00")).content.decode()

    assert radios(html) == [("10:00", False, True), ("11:30", True, False), ("15:00", False, False),
                            ("17:00", False, False)]  # fmt: skip
    assert 'for="id_start_time_1">10:00 <small class="text-muted">(full)</small>' in html


def test_staff_packages_and_all_day_services_offer_no_departure_times(client, walk, today):
    service, _package, _guide = walk
    staff = make_package(services=[service], title="Mura e torri")
    night = priced_service(name="Camera con vista", kind=Service.Kind.ACCOMMODATION, times=())
    stay = service_package_sync(service=night)
    on = (today + dt.timedelta(days=10)).isoformat()

    for package in (staff, stay):
        html = client.get(page_url(package, date=on)).content.decode()
        assert "Total" in html, package  # the day can be booked, only without a time to choose
        assert radios(html) == [] and "Departure time" not in html

    assert "1 night" in client.get(page_url(stay)).content.decode()


def test_the_walk_s_page_shows_its_kind_duration_and_operator_not_an_itinerary(client, walk):
    _service, package, _guide = walk

    html = client.get(page_url(package)).content.decode()

    assert "Day by day" not in html
    assert 'Guided tour or experience</span> · <span class="package-service-length">2 h 30 min</span>' in html
    assert 'by <a href="/en/local/guide-lucca/">Guide di Lucca</a>' in html
    assert '<a href="/en/shop/catalogue/?kind=single">Experiences</a>' in html
    assert "Included</h2>" not in html and "Not included</h2>" not in html  # nothing to list


def test_a_staff_package_keeps_its_itinerary_and_lists(client, walk):
    service, _package, _guide = walk
    staff = make_package(services=[service], title="Mura e torri")
    staff.included, staff.excluded = "Guide", ""
    staff.save()

    html = client.get(page_url(staff)).content.decode()

    assert "Day by day" in html
    assert "Included</h2>" in html and "Not included</h2>" not in html
    assert "?kind=single" not in html.split("</nav>")[0]


def test_the_walk_is_booked_at_the_time_chosen_and_shows_it_to_the_end(
    client, walk, today, django_capture_on_commit_callbacks
):
    service, package, _guide = walk
    on = today + dt.timedelta(days=20)

    client.post(
        reverse("packages:basket-add", kwargs={"pk": package.pk}),
        {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0, "start_time": "17:00"},
    )

    assert Hold.objects.get(status=Hold.Status.ACTIVE).slot.start_time == dt.time(17, 0)
    with translation.override("en"):
        basket = client.get(reverse("basket:summary")).content.decode()
    day = f"{on.day} {on:%B} {on.year}"
    assert f'Departure <strong>{day}, <span class="package-line-time">17:00</span></strong>' in basket

    buy(client, package, on, django_capture_on_commit_callbacks, add=False)

    confirmation = [m for m in mail.outbox if "giulia@example.com" in m.to][0]
    assert "17:00" in confirmation.body
    assert Slot.objects.get(service=service, date=on, start_time=dt.time(17, 0)).reserved == 2


def test_without_javascript_update_the_total_keeps_the_departure(client, walk, today):
    _service, package, _guide = walk
    on = today + dt.timedelta(days=10)

    response = client.post(
        reverse("packages:basket-add", kwargs={"pk": package.pk}),
        {"date": on.isoformat(), "adults": 2, "start_time": "11:30", "action": "update"},
        follow=True,
    )

    assert [value for value, checked, _ in radios(response.content.decode()) if checked] == ["11:30"]
    assert not Hold.objects.exists()


def test_an_order_shows_the_departure_taken_when_none_was_chosen(
    client, walk, today, django_capture_on_commit_callbacks
):
    _service, package, _guide = walk
    on = today + dt.timedelta(days=20)

    order = buy(client, package, on, django_capture_on_commit_callbacks)  # no start_time: the first with room

    assert package_line(order.lines.get()).start_time == dt.time(10, 0)
