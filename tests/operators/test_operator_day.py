"""The operator's day through the operator area: bookings of every channel that read like bookings
(filters, pages, CSV), the day's manifest (and its CSV), check-in by voucher code (once; a second time
says who and when; another operator's voucher is "not yours"), what staff, the partner and the OCTO API
see of a check-in, and the landing dashboard. Every booking is made by the real booking services."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from oscar.templatetags.currency_filters import currency

from marketplace.octo.keys import api_key_create
from marketplace.trade.models import TradeBookingPart
from operators.views_bookings import BookingListView
from packages.models import PackageBookingPart
from packages.statements import operator_statement
from tests.factories import UserFactory
from tests.octo.helpers import get

from .day_world import day_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, django_capture_on_commit_callbacks):
    return day_world(settings, django_capture_on_commit_callbacks)


def page(client, name, **params):
    with translation.override("en"):
        response = client.get(reverse(f"operator-area:{name}"), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def check_in(client, code):
    with translation.override("en"):
        response = client.post(reverse("operator-area:checkin"), {"code": code})
    assert response.status_code == 200
    return response.content.decode()


# --- bookings ----------------------------------------------------------------------------------------


def test_bookings_read_like_bookings_and_only_the_operators_own(client, world):
    client.force_login(world.guide.user)
    html = page(client, "booking-list")
    for text in ("Giulia Bianchi", "Mura e colline", world.web.number, "1 child", "Web shop",
                 "Hans Müller", "Toskana Reisen GmbH", "TR-17", "3 adults, 1 infant", world.portal.code,
                 "Emma Jones", "Toskana Reisen GmbH (API)", "Karl Storno", "Cancelled", "15:00"):  # fmt: skip
        assert text in html, text
    assert "order-line:" not in html and "trade:" not in html
    assert "Luca Neri" not in html and "Degustazione" not in html  # the winery's


def test_filters_narrow_the_list_and_bad_input_is_a_field_error(client, world):
    client.force_login(world.guide.user)
    html = page(client, "booking-list", q="müller")
    assert "Hans Müller" in html and "Giulia Bianchi" not in html
    html = page(client, "booking-list", q=world.web.number)
    assert "Giulia Bianchi" in html and "Hans Müller" not in html
    html = page(client, "booking-list", via="api")
    assert "Emma Jones" in html and "Hans Müller" not in html and "Giulia" not in html
    html = page(client, "booking-list", via="partner", state="cancelled")
    assert "Karl Storno" in html and "Hans Müller" not in html
    tomorrow = world.today + dt.timedelta(days=1)
    html = page(client, "booking-list", start=tomorrow.isoformat(), end=tomorrow.isoformat())
    assert "Karl Storno" in html and "Giulia Bianchi" not in html
    html = page(client, "booking-list", start="31/31/2026", service="999999", state="nonsense")
    assert "Enter a valid date." in html and "Giulia Bianchi" in html  # the defaults, never a 500


def test_a_list_is_paginated_and_the_pages_keep_the_filters(client, world, monkeypatch):
    monkeypatch.setattr(BookingListView, "paginate_by", 2)
    client.force_login(world.guide.user)
    first = page(client, "booking-list", q="toskana")
    assert "Page 1 of 2" in first and "q=toskana&amp;page=2" in first
    second = page(client, "booking-list", q="toskana", page=2)
    assert "Page 2 of 2" in second


def test_the_csv_is_the_filtered_list(client, world):
    client.force_login(world.guide.user)
    response = client.get(reverse("operator-area:booking-list"), {"format": "csv", "q": "toskana"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert {r["guest"] for r in rows} == {"Hans Müller", "Emma Jones", "Karl Storno"}
    hans = next(r for r in rows if r["guest"] == "Hans Müller")
    assert (hans["adults"], hans["children"], hans["infants"], hans["time"]) == ("3", "0", "1", "10:00")
    assert (hans["channel"], hans["sold_by"], hans["partner_reference"], hans["state"]) == (
        "partner", "Toskana Reisen GmbH", "TR-17", "booked")  # fmt: skip
    assert hans["reference"] == world.portal.code and hans["notes"] == "Two walking sticks"


# --- the manifest ------------------------------------------------------------------------------------


def test_the_manifest_lists_who_comes_by_departure(client, world):
    client.force_login(world.guide.user)
    html = page(client, "manifest")
    assert html.index("10:00 · Lucca dentro le Mura") < html.index("15:00 · Lucca dentro le Mura")
    for text in ("Giulia Bianchi", "+39 0583 123456", f"Order {world.web.number}", "Hans Müller", "+49 30 1234",
                 "Two walking sticks", "TR-17", "Emma Jones", "3 bookings, 9 guests in all."):  # fmt: skip
        assert text in html, text
    assert "Karl Storno" not in html  # cancelled, and tomorrow
    assert "Luca Neri" not in html
    only = page(client, "manifest", date=world.today.isoformat(), time="15:00")
    assert "Emma Jones" in only and "Hans Müller" not in only


def test_the_day_pages_write_dates_as_the_rest_of_the_area(client, world):
    """One date format per language (marketplace.core.dates: "7 Dec 2026"), never 07/12/2026."""
    from marketplace.core.dates import format_day, format_day_long

    client.force_login(world.guide.user)
    numeric = world.today.strftime("%d/%m/%Y")
    manifest, bookings = page(client, "manifest"), page(client, "booking-list")
    with translation.override("en"):
        assert f"Who is coming on {format_day_long(world.today)}" in manifest
        assert format_day(world.today) in bookings
    assert numeric not in manifest and numeric not in bookings


def test_the_manifest_csv_parses_back(client, world):
    client.force_login(world.guide.user)
    response = client.get(reverse("operator-area:manifest-csv"), {"date": world.today.isoformat()})
    rows = csv_rows(response)
    assert [(r["time"], r["guest"]) for r in rows] == [
        ("10:00", "Giulia Bianchi"), ("10:00", "Hans Müller"), ("15:00", "Emma Jones")]  # fmt: skip
    giulia = rows[0]
    assert (giulia["adults"], giulia["children"], giulia["reference"], giulia["channel"]) == (
        "2", "1", world.web.number, "web")  # fmt: skip


def test_another_operator_sees_only_its_own_manifest(client, world):
    client.force_login(world.winery.user)
    html = page(client, "manifest")
    assert "Luca Neri" in html and "Giulia Bianchi" in html  # both web orders include its tasting
    assert "Hans Müller" not in html and "Emma Jones" not in html and "Lucca dentro le Mura" not in html
    rows = csv_rows(client.get(reverse("operator-area:manifest-csv")))
    assert sorted(r["guest"] for r in rows) == ["Giulia Bianchi", "Luca Neri"]
    assert {r["service"] for r in rows} == {"Degustazione"}
    listed = csv_rows(client.get(reverse("operator-area:booking-list"), {"format": "csv", "q": "toskana"}))
    assert listed == []
    # the guide's service id in the winery's filter is not a choice: a field error, and only its own rows
    html = page(client, "booking-list", service=str(world.walk.pk))
    assert "Select a valid choice." in html and "Hans Müller" not in html


def test_the_operator_area_needs_a_login_and_an_operator(client, world):
    for name in ("home", "booking-list", "manifest", "manifest-csv", "checkin"):
        assert client.get(reverse(f"operator-area:{name}")).status_code == 302
    client.force_login(UserFactory())
    response = client.get(reverse("operator-area:manifest"))
    assert response.status_code == 302 and "signup" in response["Location"]


# --- check-in ----------------------------------------------------------------------------------------


def test_a_typed_code_checks_in_once_and_a_second_time_says_who_and_when(client, world):
    client.force_login(world.guide.user)
    html = check_in(client, f"  {world.web.number} ")
    assert "Checked in" in html and "Giulia Bianchi" in html and "Lucca dentro le Mura" in html
    part = PackageBookingPart.objects.get(booking__order_line__order=world.web, operator=world.guide.operator)
    assert part.redeemed_by == world.guide.user and abs(part.redeemed_at - timezone.now()).total_seconds() < 60
    theirs = PackageBookingPart.objects.get(booking__order_line__order=world.web, operator=world.winery.operator)
    assert theirs.redeemed_at is None  # the winery's tasting is the winery's to check in

    again = check_in(client, world.web.number)
    local = timezone.localtime(part.redeemed_at)
    assert "Already used" in again and f"at {local:%H:%M} by Paolo Guida" in again
    assert PackageBookingPart.objects.get(pk=part.pk).redeemed_at == part.redeemed_at

    listed = page(client, "booking-list", state="checked_in")
    assert "Giulia Bianchi" in listed and "Paolo Guida" in listed and "Hans Müller" not in listed


def test_the_qr_text_and_a_lower_case_partner_code_check_in(client, world, settings):
    client.force_login(world.guide.user)
    assert "Checked in" in check_in(client, f"{settings.DMC_NAME}|trade|{world.portal.code}")
    assert "Checked in" in check_in(client, world.api.code.lower())
    assert (
        TradeBookingPart.objects.filter(booking__in=[world.portal, world.api], redeemed_at__isnull=False).count() == 2
    )


def test_another_operators_voucher_is_not_yours_and_tells_nothing(client, world):
    client.force_login(world.guide.user)
    html = check_in(client, world.wine.number)
    assert "This voucher is not for your services." in html
    assert "Luca Neri" not in html and "Degustazione" not in html
    assert not PackageBookingPart.objects.filter(redeemed_at__isnull=False).exists()
    assert "No booking has this code." in check_in(client, "NOPE-123")
    assert "Type the voucher" in check_in(client, "|||")


def test_a_cancelled_booking_is_refused(client, world):
    client.force_login(world.guide.user)
    html = check_in(client, world.gone.code)
    assert "Cancelled booking" in html and "do not let it in" in html
    assert not TradeBookingPart.objects.filter(redeemed_at__isnull=False).exists()


# --- who else sees it --------------------------------------------------------------------------------


def test_octo_reports_redeemed_once_every_part_is_checked_in(client, world, settings):
    _key, secret = api_key_create(partner=world.partner, name="Res system")
    path = f"/bookings/{world.api.uuid}"
    before = get(client, path, secret).json()
    assert before["status"] == "CONFIRMED" and before["utcRedeemedAt"] is None
    operator_client = client_class_login(world.guide.user)
    assert "Checked in" in check_in(operator_client, world.api.code)
    after = get(client, path, secret).json()
    assert after["status"] == "REDEEMED" and after["utcRedeemedAt"].endswith("Z")
    assert after["voucher"]["utcRedeemedAt"] == after["utcRedeemedAt"]
    assert {u["status"] for u in after["unitItems"]} == {"REDEEMED"}


def client_class_login(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_staff_and_the_partner_see_the_check_in(client, world):
    from marketplace.core.roles import Role
    from marketplace.trade.models import PartnerMembership

    operator_client = client_class_login(world.guide.user)
    check_in(operator_client, world.portal.code)
    check_in(operator_client, world.web.number)

    staff = UserFactory(is_staff=True, is_superuser=True, role=Role.STAFF)
    client.force_login(staff)
    with translation.override("en"):
        order_page = client.get(reverse("dashboard:order-detail", kwargs={"number": world.web.number})).content.decode()
    assert "Checked in" in order_page and world.guide.user.email in order_page

    member = PartnerMembership.objects.create(user=UserFactory(role=Role.PARTNER), partner=world.partner,
                                              role=PartnerMembership.Role.ADMIN)  # fmt: skip
    client.force_login(member.user)
    with translation.override("en"):
        portal = client.get(reverse("trade:booking-detail", kwargs={"uuid": world.portal.uuid})).content.decode()
    assert "used on" in portal and "Paolo" not in portal


# --- the dashboard -----------------------------------------------------------------------------------


def test_the_dashboard_shows_arrivals_waiting_and_the_months_money(client, world):
    client.force_login(world.guide.user)
    html = page(client, "home")
    with translation.override("en"):
        manifest = reverse("operator-area:manifest")
    assert "Today" in html and "Tomorrow" in html and f'href="{manifest}?date={world.today.isoformat()}' in html
    assert "10:00 · Lucca dentro le Mura" in html and "15:00 · Lucca dentro le Mura" in html
    statement = operator_statement(operator=world.guide.operator, month=world.today)
    assert statement.gross > 0
    assert "This month&#x27;s money" in html
    with translation.override("en"):
        assert currency(statement.net) in html and currency(statement.gross) in html
    assert "Check in a voucher" in html


def test_octo_keeps_a_package_confirmed_until_every_operator_checked_in(
    client, world, django_capture_on_commit_callbacks
):
    import time_machine

    from .day_world import early_today, partner_booking

    with time_machine.travel(early_today(), tick=True), django_capture_on_commit_callbacks(execute=True):
        booking = partner_booking(world.partner, world.package, world.today, first="Olga", last="Pacchetto",
                                  channel="api")  # fmt: skip
    _key, secret = api_key_create(partner=world.partner, name="Res system")
    check_in(client_class_login(world.guide.user), booking.code)
    assert get(client, f"/bookings/{booking.uuid}", secret).json()["status"] == "CONFIRMED"
    check_in(client_class_login(world.winery.user), booking.code)
    assert get(client, f"/bookings/{booking.uuid}", secret).json()["status"] == "REDEEMED"


def test_the_dashboard_shows_labels_about_to_expire(client, world):
    from certifications.services import award_grant
    from marketplace.core.roles import Role
    from tests.certifications.factories import SchemeFactory

    staff = UserFactory(role=Role.STAFF)
    award_grant(scheme=SchemeFactory(name="Marchio Ospitalità"), subject=world.guide.operator, user=staff,
                expires_on=world.today + dt.timedelta(days=20))  # fmt: skip
    client.force_login(world.guide.user)
    html = page(client, "home")
    assert "Labels expiring soon" in html and "Marchio Ospitalità" in html
    client.force_login(world.winery.user)
    assert "Marchio Ospitalità" not in page(client, "home")


def test_a_guest_name_never_becomes_a_spreadsheet_formula(client, world):
    from marketplace.trade.models import TradeBooking

    TradeBooking.objects.filter(pk=world.portal.pk).update(lead_first_name='=HYPERLINK("http://x.example")',
                                                          notes="@SUM(A1)")  # fmt: skip
    client.force_login(world.guide.user)
    rows = csv_rows(client.get(reverse("operator-area:manifest-csv")))
    hans = next(r for r in rows if r["reference"] == world.portal.code)
    assert hans["guest"].startswith("'=HYPERLINK") and hans["notes"] == "'@SUM(A1)"
    assert hans["phone"] == "+49 30 1234"  # a phone number stays a phone number


def test_the_list_the_manifest_and_the_dashboard_cost_the_same_queries_for_more_bookings(
    client, world, django_capture_on_commit_callbacks
):
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .day_world import early_today, partner_booking

    client.force_login(world.guide.user)

    def cost():
        counts = []
        for name in ("booking-list", "manifest", "home"):
            with CaptureQueriesContext(connection) as queries:
                page(client, name)
            counts.append(len(queries))
        return counts

    cost()  # the first requests fill the site's caches
    before = cost()
    with time_machine.travel(early_today(), tick=True), django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            partner_booking(world.partner, world.walk, world.today, first=f"Guest{n}", last="Extra",
                            start_time=dt.time(15, 0))  # fmt: skip
    assert "Guest3 Extra" in page(client, "booking-list")
    assert cost() == before
