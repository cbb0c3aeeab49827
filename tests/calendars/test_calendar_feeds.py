"""iCal feeds on secret URLs: availability per product and bookings of a partner, bookings of an operator.

Every feed is parsed back with the icalendar library; URLs are fetched through the whole middleware stack
(no language prefix, a 200 on the exact URL, a plain 404 for an unknown or rotated token)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.calendars.models import CalendarFeedToken
from marketplace.calendars.tokens import feed_token, feed_token_find, feed_token_rotate
from marketplace.core.ical import uid_host
from marketplace.core.origin import public_origin
from marketplace.trade.allotments import allotment_create
from marketplace.trade.bookings import TradeRequest, trade_book, trade_cancel
from marketplace.trade.models import PartnerMembership
from operators.capacity import capacity_book
from operators.models import Slot
from operators.pricing import Party
from tests.operators.factories import MembershipFactory, OperatorFactory
from tests.packages.factories import make_package, priced_service

from ..trade.factories import ContractFactory, PartnerMembershipFactory, TradePartnerFactory
from .rfc5545 import check_feed, check_vtimezone

pytestmark = pytest.mark.django_db
Kind = CalendarFeedToken.Kind


def day(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def world():
    operator = OperatorFactory()
    service = priced_service(
        operator=operator, adult="50.00", capacity=8, days=40, times=(dt.time(10, 0), dt.time(15, 0))
    )
    contract = ContractFactory(commission_percent=Decimal("20.00"), valid_to=day(400))
    admin = PartnerMembershipFactory(partner=contract.partner)
    booker = PartnerMembershipFactory(partner=contract.partner, role=PartnerMembership.Role.BOOKER)
    owner = MembershipFactory(operator=operator)
    return {
        "operator": operator, "service": service, "contract": contract, "partner": contract.partner,
        "admin": admin.user, "booker": booker.user, "owner": owner.user,
    }  # fmt: skip


def parse(response) -> list:
    """The feed's VEVENTs, the feed checked against RFC 5545 first (tests/calendars/rfc5545.py)."""
    return check_feed(response).walk("VEVENT")


def local(path_or_url: str) -> str:
    """A feed URL shown on the public origin, as the test client fetches it."""
    return path_or_url.removeprefix(public_origin())


def feed_url(name, *args):
    return reverse(f"calendar-feeds:{name}", args=args)


def book(world, days, adults=2, **kwargs):
    return trade_book(
        partner=world["partner"], user=world["admin"],
        request=TradeRequest(product=world["service"], on=day(days), party=Party(adults=adults),
                             lead_first_name="Anna", lead_last_name="Schmidt", partner_reference="TR-1", **kwargs),
    )  # fmt: skip


def test_feed_urls_are_not_language_prefixed():
    token = "x" * 43
    assert feed_url("partner-bookings", token) == f"/trade/feeds/{token}/bookings.ics"
    assert feed_url("availability", token, "service-7") == f"/trade/feeds/{token}/availability/service-7.ics"
    assert feed_url("operator-bookings", token) == f"/operators/feeds/{token}/bookings.ics"


def test_service_availability_feed_has_a_slot_per_departure_with_places_and_net(client, world):
    token = feed_token(kind=Kind.AVAILABILITY, partner=world["partner"]).token
    url = feed_url("availability", token, f"service-{world['service'].pk}")
    first = parse(client.get(url))
    # 40 days × 2 departures, but those already started today (no cut-off set)
    now = timezone.now()
    future = [s for s in Slot.objects.filter(service=world["service"]) if s.starts_at > now]
    assert len(first) == len(future) >= 78
    event = next(e for e in first if e.decoded("dtstart").date() == day(5) and e.decoded("dtstart").hour == 15)
    assert event.decoded("dtstart").tzinfo is not None and str(event["dtstart"].params["TZID"]) == "Europe/Rome"
    description = str(event["description"])
    assert "8" in description and "40,00" in description or "40.00" in description  # 50 − 20 %, one adult
    assert str(event["uid"]).startswith(f"availability-service-{world['service'].pk}-")
    second = parse(client.get(url))
    assert [str(e["uid"]) for e in first] == [str(e["uid"]) for e in second]
    assert len({str(e["uid"]) for e in first}) == len(first)


def test_availability_counts_the_partners_allotment_and_leaves_sold_out_slots_out(client, world):
    service = world["service"]
    allotment_create(contract=world["contract"], service=service, starts_on=day(20), ends_on=day(20), quantity=3,
                     release_days=1, by=None)  # fmt: skip
    other = ContractFactory(partner=TradePartnerFactory(), valid_to=day(400))
    trade_book(partner=other.partner, user=None, request=TradeRequest(
        product=service, on=day(25), start_time=dt.time(10, 0), party=Party(adults=8), lead_first_name="A",
        lead_last_name="B"))  # fmt: skip
    token = feed_token(kind=Kind.AVAILABILITY, partner=world["partner"]).token
    with translation.override("en"):
        events = parse(client.get(feed_url("availability", token, f"service-{service.pk}")))
    starts = {(e.decoded("dtstart").date(), e.decoded("dtstart").hour): e for e in events}
    assert (day(25), 10) not in starts and (day(25), 15) in starts  # sold out to another partner
    # the allotment's 3 places are out of general sale (5 left) but are this partner's: 8 it can book
    assert "Places you can book: 8 places" in str(starts[(day(20), 10)]["description"])


def test_package_feed_has_an_all_day_event_per_start_day(client, world):
    package = make_package(services=[world["service"]], days=[1])
    token = feed_token(kind=Kind.AVAILABILITY, partner=world["partner"]).token
    with translation.override("en"):
        events = parse(client.get(feed_url("availability", token, f"package-{package.pk}")))
    assert events and all(isinstance(e.decoded("dtstart"), dt.date) and not isinstance(e.decoded("dtstart"), dt.datetime)
                          for e in events)  # fmt: skip
    first = events[0]
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(days=3)  # the package's duration
    assert "Your net price for one adult" in str(first["description"])


def test_availability_feed_queries_do_not_grow_with_the_slots(client, world):
    token = feed_token(kind=Kind.AVAILABILITY, partner=world["partner"]).token
    short = priced_service(adult="40.00", capacity=5, days=5)
    url_short = feed_url("availability", token, f"service-{short.pk}")
    url_long = feed_url("availability", token, f"service-{world['service'].pk}")
    client.get(url_short)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url_short).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(url_long).status_code == 200
    assert len(few) == len(many) <= 16


def test_unknown_rotated_or_foreign_product_answers_404_not_a_redirect(client, world):
    row = feed_token(kind=Kind.AVAILABILITY, partner=world["partner"])
    product = f"service-{world['service'].pk}"
    assert client.get(feed_url("availability", "nope" * 10, product)).status_code == 404
    assert client.get(feed_url("availability", row.token, "service-999999")).status_code == 404
    assert client.get(feed_url("availability", row.token, "junk")).status_code == 404
    # a bookings token is not an availability token
    bookings = feed_token(kind=Kind.PARTNER_BOOKINGS, partner=world["partner"]).token
    assert client.get(feed_url("availability", bookings, product)).status_code == 404
    old = row.token
    assert client.get(feed_url("availability", old, product)).status_code == 200
    new = feed_token_rotate(kind=Kind.AVAILABILITY, partner=world["partner"]).token
    assert new != old and feed_token_find(token=old, kind=Kind.AVAILABILITY) is None
    assert client.get(feed_url("availability", old, product)).status_code == 404
    assert client.get(feed_url("availability", new, product)).status_code == 200


def test_a_suspended_partners_feeds_answer_404(client, world):
    token = feed_token(kind=Kind.PARTNER_BOOKINGS, partner=world["partner"]).token
    world["partner"].status = "suspended"
    world["partner"].save()
    assert client.get(feed_url("partner-bookings", token)).status_code == 404


def test_partner_bookings_feed_shows_only_its_own_with_status(client, world):
    confirmed = book(world, 10, start_time=dt.time(10, 0))
    cancelled = book(world, 12)
    trade_cancel(booking=cancelled, by=world["admin"])
    other = ContractFactory(partner=TradePartnerFactory(), valid_to=day(400))
    theirs = trade_book(partner=other.partner, user=None, request=TradeRequest(
        product=world["service"], on=day(11), party=Party(adults=1), lead_first_name="Not", lead_last_name="Mine"))  # fmt: skip
    token = feed_token(kind=Kind.PARTNER_BOOKINGS, partner=world["partner"]).token
    with translation.override("en"):
        events = parse(client.get(feed_url("partner-bookings", token)))
    host = uid_host()  # the public origin's host (SITE_URL)
    by_uid = {str(e["uid"]): e for e in events}
    assert set(by_uid) == {f"trade-booking-{confirmed.uuid}@{host}", f"trade-booking-{cancelled.uuid}@{host}"}
    assert f"trade-booking-{theirs.uuid}@{host}" not in by_uid
    mine = by_uid[f"trade-booking-{confirmed.uuid}@{host}"]
    assert str(mine["status"]) == "CONFIRMED" and confirmed.code in str(mine["summary"])
    assert "2 adults" in str(mine["summary"]) and "TR-1" in str(mine["description"])
    assert mine.decoded("dtstart") == timezone.make_aware(dt.datetime.combine(day(10), dt.time(10, 0)))
    gone = by_uid[f"trade-booking-{cancelled.uuid}@{host}"]
    assert str(gone["status"]) == "CANCELLED" and gone.decoded("dtstart") == day(12)  # no departure chosen: all day


def test_operator_bookings_feed_shows_shop_and_trade_bookings_of_its_own_services_only(client, world):
    trade = book(world, 10)
    slot = Slot.objects.get(service=world["service"], date=day(14), start_time=dt.time(15, 0))
    capacity_book(items=[(slot, 2)], reference="order-line:777")
    stranger = priced_service(adult="30.00", capacity=5, days=20)
    capacity_book(items=[(Slot.objects.filter(service=stranger, date=day(3)).first(), 1)], reference="order-line:778")
    token = feed_token(kind=Kind.OPERATOR_BOOKINGS, operator=world["operator"]).token
    with translation.override("en"):
        events = parse(client.get(feed_url("operator-bookings", token)))
    descriptions = [str(e["description"]) for e in events]
    assert len(events) == 2
    assert any(f"trade:{trade.pk}" in d for d in descriptions)
    with translation.override(settings.LANGUAGE_CODE):  # the operator's feed is in the site's language
        web_shop = translation.gettext("Web shop")
    assert any("order-line:777" in d and web_shop in d for d in descriptions)
    assert not any("order-line:778" in d for d in descriptions)
    uids = [str(e["uid"]) for e in events]
    assert uids == [str(e["uid"]) for e in parse(client.get(feed_url("operator-bookings", token)))]
    # another operator's token shows its own booking and nothing of this operator's
    other = feed_token(kind=Kind.OPERATOR_BOOKINGS, operator=stranger.operator).token
    theirs = parse(client.get(feed_url("operator-bookings", other)))
    assert len(theirs) == 1 and "order-line:778" in str(theirs[0]["description"])


def test_operator_feed_shows_requests_waiting_for_an_answer_as_tentative(client, world):
    world["service"].on_request = True
    world["service"].save()
    pending = book(world, 9)
    assert pending.status == "pending"
    token = feed_token(kind=Kind.OPERATOR_BOOKINGS, operator=world["operator"]).token
    events = parse(client.get(feed_url("operator-bookings", token)))
    assert [str(e["status"]) for e in events] == ["TENTATIVE"] and pending.code in str(events[0]["description"])


def test_feeds_are_on_the_public_origin_with_utc_stamps_and_the_zones_vtimezone(client, world, settings):
    """Whatever host the feed is fetched from: UIDs at the public host, URLs on the public origin
    (check_feed), DTSTAMP now in UTC, timed events in Europe/Rome with a VTIMEZONE that says what the
    zone database says."""
    settings.SITE_URL = "https://www.terredilucca.example/"
    booking = book(world, 10, start_time=dt.time(10, 0))
    token = feed_token(kind=Kind.PARTNER_BOOKINGS, partner=world["partner"]).token
    with translation.override("en"):
        response = client.get(feed_url("partner-bookings", token), HTTP_HOST="testserver")
    calendar = check_feed(response)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"trade-booking-{booking.uuid}@www.terredilucca.example"
    with translation.override("en"):  # the partner's language (its country: the US)
        assert str(event["URL"]) == "https://www.terredilucca.example" + reverse(
            "trade:booking-detail", args=[booking.uuid]
        )
    assert b"DTSTART;TZID=Europe/Rome:" in response.content
    check_vtimezone(calendar)
    operator = feed_token(kind=Kind.OPERATOR_BOOKINGS, operator=world["operator"]).token
    (reservation,) = parse(client.get(feed_url("operator-bookings", operator)))
    assert str(reservation["URL"]).startswith("https://www.terredilucca.example/")
    availability = feed_token(kind=Kind.AVAILABILITY, partner=world["partner"]).token
    check_vtimezone(check_feed(client.get(feed_url("availability", availability, f"service-{world['service'].pk}"))))


def test_tokens_are_one_per_owner_and_kind_and_random(world):
    a = feed_token(kind=Kind.AVAILABILITY, partner=world["partner"])
    assert feed_token(kind=Kind.AVAILABILITY, partner=world["partner"]).pk == a.pk
    b = feed_token(kind=Kind.PARTNER_BOOKINGS, partner=world["partner"])
    assert a.token != b.token and len(a.token) >= 43
    with pytest.raises(ValueError):
        feed_token(kind=Kind.OPERATOR_BOOKINGS, partner=world["partner"])


# --- the pages ---------------------------------------------------------------------------------------


def test_partner_calendars_page_lists_the_feeds_and_bookers_cannot_rotate(client, world):
    client.force_login(world["booker"])
    with translation.override("en"):
        page = client.get(reverse("calendars:partner"))
        rotate = reverse("calendars:partner-rotate")
    assert page.status_code == 200
    html = page.content.decode()
    bookings = CalendarFeedToken.objects.get(partner=world["partner"], kind=Kind.PARTNER_BOOKINGS)
    availability = CalendarFeedToken.objects.get(partner=world["partner"], kind=Kind.AVAILABILITY)
    # on the public origin (SITE_URL), not the request's host: the URL is copied into calendar apps
    assert f"{public_origin()}/trade/feeds/{bookings.token}/bookings.ics" in html
    assert f"/trade/feeds/{availability.token}/availability/service-{world['service'].pk}.ics" in html
    assert rotate not in html
    assert client.post(rotate, {"kind": "partner_bookings"}).status_code == 403
    assert CalendarFeedToken.objects.get(pk=bookings.pk).token == bookings.token


def test_partner_admin_rotates_from_the_page_with_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["admin"])
    with translation.override("en"):
        page = client.get(reverse("calendars:partner"))
        rotate = reverse("calendars:partner-rotate")
    old = CalendarFeedToken.objects.get(partner=world["partner"], kind=Kind.PARTNER_BOOKINGS).token
    assert client.post(rotate, {"kind": "partner_bookings"}).status_code == 403  # no CSRF token
    csrf = page.cookies["csrftoken"].value
    response = client.post(rotate, {"kind": "partner_bookings", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    new = CalendarFeedToken.objects.get(partner=world["partner"], kind=Kind.PARTNER_BOOKINGS)
    assert new.token != old and new.rotated_at is not None
    assert client.get(feed_url("partner-bookings", old)).status_code == 404
    assert client.get(feed_url("partner-bookings", new.token)).status_code == 200
    assert client.post(rotate, {"kind": "bogus", "csrfmiddlewaretoken": csrf}).status_code == 400


def test_operator_calendars_page_shows_its_own_feed_and_only_owners_rotate(client, world):
    staff = MembershipFactory(operator=world["operator"], role="staff").user
    stranger = MembershipFactory().user
    with translation.override("en"):
        url, rotate = reverse("calendars:operator"), reverse("calendars:operator-rotate")
    client.force_login(stranger)
    client.get(url)
    client.force_login(staff)
    page = client.get(url)
    token = CalendarFeedToken.objects.get(operator=world["operator"]).token
    assert page.status_code == 200 and f"/operators/feeds/{token}/bookings.ics" in page.content.decode()
    assert CalendarFeedToken.objects.filter(kind=Kind.OPERATOR_BOOKINGS).count() == 2
    assert client.post(rotate).status_code == 403
    client.force_login(world["owner"])
    assert client.post(rotate).status_code == 302
    assert CalendarFeedToken.objects.get(operator=world["operator"]).token != token
    assert client.get(feed_url("operator-bookings", token)).status_code == 404


def test_nav_tabs_link_the_calendars_pages(client, world):
    client.force_login(world["admin"])
    with translation.override("en"):
        assert reverse("calendars:partner") in client.get(reverse("trade:home")).content.decode()
    client.force_login(world["owner"])
    with translation.override("en"):
        assert reverse("calendars:operator") in client.get(reverse("operator-area:home")).content.decode()
