"""The observatory's figures against totals computed by hand, and who sees what, on one small set of real
bookings made once for the module (web shop orders through the checkout, trade bookings through the
trade booking service), turned into facts by the facts module.

The data set (T = today, E = the last day of the month 40 days from now):

- a hotel in Lucca (Piana di Lucca), accommodation, 100 € an adult, 50 € a child, 10 places a day;
- a winery in Bibbiena (Casentino), food and wine, 30 € an adult, 10 € a child, 10 places a day;
- package P: hotel night on day 1 and day 2, winery on day 3, markup 10 %.

| booking | channel            | travel            | party                         | status    |
|---------|--------------------|-------------------|-------------------------------|-----------|
| W1      | web, origin IT     | P from E-1 (E+1)  | 2 adults, child 8, 1 infant   | confirmed |
| W2      | web                | P from E+10       | 2 adults                      | cancelled |
| T1      | portal, partner X  | winery on E+5     | 2 adults, child 5             | confirmed |
| T2      | API, partner Y     | P from E+3        | 3 adults                      | confirmed |
| T3      | portal, partner X  | hotel on E+6      | 1 adult                       | cancelled |

W1 crosses a month: its two nights (E-1, E) fall in E's month, its winery day (E+1) in the next.
Partner X is German (DE), partner Y American (US); trade bookings take the partner's country.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.order.models import Order

from marketplace.observatory.facts import facts_rebuild
from marketplace.observatory.figures import Filters, FiltersForm, Scope, dashboard, table
from marketplace.observatory.models import BookingFact, OfficialFlow
from marketplace.trade.bookings import TradeRequest, trade_book, trade_cancel
from marketplace.trade.models import TradeBooking
from operators.models import Service
from operators.pricing import Party
from packages.services import package_order_cancel_by_customer
from tests.operators.factories import OperatorFactory
from tests.packages.factories import make_package, priced_service
from tests.payments.conftest import TRAVELLERS, place_order
from tests.trade.factories import ContractFactory, TradePartnerFactory

D = Decimal


def _buy(client, package, on, *, adults=2, children_ages="", infants=0) -> Order:
    client.post(
        reverse("packages:basket-add", kwargs={"pk": package.pk}),
        {"date": on.isoformat(), "adults": adults, "children_ages": children_ages, "infants": infants},
    )
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"), TRAVELLERS)
    client.get(reverse("checkout:payment-details"), follow=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = place_order(client)
    assert response.status_code == 302, response.content[:500]
    return Order.objects.order_by("-pk").first()


def _ask(product, on, party):
    return TradeRequest(product=product, on=on, party=party, lead_first_name="Anna", lead_last_name="Schmidt")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The data set above, made once and rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(STRIPE_SECRET_KEY=""), translation.override("en"):
        outer = transaction.atomic()
        outer._from_testcase = True  # as Django's TestCase does: the payment's durable blocks may nest in it
        with outer:
            today = timezone.localdate()
            later = today + dt.timedelta(days=40)
            end = (later.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            hotel_operator = OperatorFactory(name="Hotel Lucca", municipality="lucca", email="hotel@example.com")
            winery_operator = OperatorFactory(name="Cantina Bibbiena", municipality="bibbiena",
                                              email="cantina@example.com")  # fmt: skip
            hotel = priced_service(operator=hotel_operator, name="Camera", adult="100.00", child="50.00", days=120,
                                   kind=Service.Kind.ACCOMMODATION)  # fmt: skip
            winery = priced_service(operator=winery_operator, name="Degustazione", adult="30.00", child="10.00",
                                    days=120, kind=Service.Kind.FOOD_WINE)  # fmt: skip
            package = make_package(services=[hotel, hotel, winery], days=[1, 2, 3], markup="10")
            client = Client()
            w1 = _buy(client, package, end - dt.timedelta(days=1), children_ages="8", infants=1)
            w1.travellers.country = "IT"
            w1.travellers.save()
            w2 = _buy(client, package, end + dt.timedelta(days=10))
            with TestCase.captureOnCommitCallbacks(execute=True):
                package_order_cancel_by_customer(order=w2)
            x = TradePartnerFactory(legal_name="Reisen X", country="DE")
            y = TradePartnerFactory(legal_name="Travel Y", country="US")
            ContractFactory(partner=x, valid_to=today + dt.timedelta(days=365))
            ContractFactory(partner=y, valid_to=today + dt.timedelta(days=365))
            t1 = trade_book(
                partner=x,
                user=None,
                request=_ask(winery, end + dt.timedelta(days=5), Party(adults=2, children_ages=(5,))),
            )
            t2 = trade_book(partner=y, user=None, request=_ask(package, end + dt.timedelta(days=3), Party(adults=3)),
                            channel=TradeBooking.Channel.API)  # fmt: skip
            t3 = trade_book(partner=x, user=None, request=_ask(hotel, end + dt.timedelta(days=6), Party(adults=1)))
            trade_cancel(booking=t3)
            facts_rebuild()
            assert BookingFact.objects.count() == 5
            yield {
                "today": today, "end": end, "hotel": hotel_operator, "winery": winery_operator, "x": x, "y": y,
                "package": package, "t1": t1, "t2": t2, "w1": w1,
                "period": Filters(start=today, end=end + dt.timedelta(days=60)),
            }  # fmt: skip
            transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def summary_of(scope, filters):
    return {row["key"]: row["value"] for row in table(scope, filters, "summary").rows}


def rows_by(tbl, key="label"):
    return {row[key]: row for row in tbl.rows}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_facts_are_the_bookings_hand_priced(world):
    facts = {(f.channel, f.status, f.adults, f.children, f.infants): f for f in BookingFact.objects.all()}
    # W1: hotel 2 × (2 × 100 + 50 + 0) = 500, winery 2 × 30 + 10 = 70; 570 + 10 % = 627.00.
    assert facts[("web", "confirmed", 2, 1, 1)].gross == D("627.00")
    # T1: winery alone at retail, 2 × 30 + 10 = 70.00.
    assert facts[("portal", "confirmed", 2, 1, 0)].gross == D("70.00")
    # T2: P for 3 adults: hotel 2 × 300 + winery 90 = 690, + 10 % = 759.00.
    assert facts[("api", "confirmed", 3, 0, 0)].gross == D("759.00")


def test_summary_equals_the_hand_totals(world):
    s = summary_of(Scope(), world["period"])
    # Live bookings W1, T1, T2; cancelled W2, T3: 2 of 5 = 40 %.
    assert (s["bookings"], s["cancelled"], s["cancellation_rate"]) == (3, 2, 40.0)
    # Adults 2 + 2 + 3, children 1 + 1 + 0, infants 1 + 0 + 0.
    assert (s["adults"], s["children"], s["infants"], s["guests"]) == (7, 2, 1, 10)
    # Guest-nights: W1 2 nights × 4, T2 2 nights × 3, T1 none.
    assert s["nights"] == 14
    # Gross 627 + 70 + 759; margin + owed = gross on the web, trade net + ... the facts' own split.
    assert s["gross"] == D("1456.00")
    live = BookingFact.objects.exclude(status="cancelled")
    assert s["owed"] == sum(f.owed for f in live) and s["margin"] == sum(f.margin for f in live)
    assert s["trade_net"] == sum(f.trade_net or 0 for f in live)
    # Mean stay over bookings with accommodation: (2 + 2) / 2.
    assert s["stay"] == 2.0


def test_a_booking_crossing_a_month_counts_in_its_first_month_and_its_nights_where_they_fall(world):
    end = world["end"]
    rows = rows_by(table(Scope(), world["period"], "by-month"), "month")
    month, following = end.strftime("%Y-%m"), (end + dt.timedelta(days=1)).strftime("%Y-%m")
    # E's month: W1 (travel from E-1), its 4 guests and its 2 nights × 4.
    assert (rows[month]["bookings"], rows[month]["guests"], rows[month]["nights"]) == (1, 4, 8)
    # The next month: T1 and T2 (W1's winery day has no night), 3 + 3 guests, T2's 2 nights × 3.
    assert (rows[following]["bookings"], rows[following]["guests"], rows[following]["nights"]) == (2, 6, 6)


def test_areas_municipalities_operators_and_kinds_count_a_booking_once_each(world):
    areas = rows_by(table(Scope(), world["period"], "by-area"), "label")
    # Piana di Lucca (the hotel): W1 and T2, 4 + 3 guests, 14 nights; Casentino (winery): W1, T1, T2.
    assert (areas["Piana di Lucca"]["bookings"], areas["Piana di Lucca"]["guests"]) == (2, 7)
    assert areas["Piana di Lucca"]["nights"] == 14
    assert (areas["Casentino"]["bookings"], areas["Casentino"]["guests"], areas["Casentino"]["nights"]) == (3, 10, 0)
    municipalities = table(Scope(), world["period"], "by-municipality")
    assert municipalities.chart == "map"
    assert {row["code"]: row["guests"] for row in municipalities.rows} == {"lucca": 7, "bibbiena": 10}
    operators = rows_by(table(Scope(), world["period"], "by-operator"))
    assert (operators["Hotel Lucca"]["bookings"], operators["Cantina Bibbiena"]["bookings"]) == (2, 3)
    kinds = rows_by(table(Scope(), world["period"], "by-kind"))
    assert (kinds["Accommodation"]["guests"], kinds["Food and wine"]["guests"]) == (7, 10)


def test_channels_origins_lead_time_and_stay(world):
    channels = {
        row["key"]: (row["bookings"], row["guests"]) for row in table(Scope(), world["period"], "by-channel").rows
    }
    assert channels == {"web": (1, 4), f"partner:{world['x'].pk}": (1, 3), f"partner:{world['y'].pk}": (1, 3)}
    origins = {row["code"]: row["guests"] for row in table(Scope(), world["period"], "by-origin").rows}
    assert origins == {"IT": 4, "DE": 3, "US": 3}  # W2 (Italy too) is cancelled: it adds no guests
    with translation.override("it"):
        names = {row["code"]: row["label"] for row in table(Scope(), world["period"], "by-origin").rows}
    assert names["DE"] == "Germania"
    stays = {row["label"]: row["bookings"] for row in table(Scope(), world["period"], "length-of-stay").rows}
    assert (stays["0"], stays["2"], sum(stays.values())) == (1, 2, 3)  # T1 no night; W1 and T2 two nights
    leads = {row["label"]: row["bookings"] for row in table(Scope(), world["period"], "lead-time").rows}
    assert sum(leads.values()) == 3 and leads["0-7"] == 0  # every booking is 40 days ahead or more


def test_occupancy_is_places_booked_over_places_offered(world):
    period = world["period"]
    days = (period.end - period.start).days + 1  # both services have an open 10-place slot every day
    rows = {row["kind"]: row for row in table(Scope(), period, "occupancy").rows}
    # Hotel: W1 2 nights × 3 places (the infant takes none) + T2 2 nights × 3 = 12.
    assert (rows["accommodation"]["booked"], rows["accommodation"]["offered"]) == (12, 10 * days)
    # Winery: W1 3, T1 3, T2 3.
    assert rows["food-wine"]["booked"] == 9
    assert rows["food-wine"]["occupancy"] == round(9 * 100 / (10 * days), 1)


def test_compare_gives_the_year_before(world):
    period = world["period"]
    compared = Filters(start=period.start, end=period.end, compare=True)
    rows = {row["key"]: row for row in table(Scope(), compared, "summary").rows}
    assert (rows["bookings"]["value"], rows["bookings"]["previous"], rows["bookings"]["change"]) == (3, 0, None)
    assert Filters(start=dt.date(2028, 2, 29), end=dt.date(2028, 3, 31)).previous().start == dt.date(2027, 2, 28)
    # Every table of every scope takes the comparison; the year before has nothing here.
    for scope in (Scope(), Scope(operator_id=world["hotel"].pk), Scope(partner_id=world["x"].pk)):
        for tbl in dashboard(scope, compared):
            assert all(not row.get("bookings_prev") for row in tbl.rows), tbl.key
    months = rows_by(table(Scope(), compared, "by-month"), "month")
    following = (world["end"] + dt.timedelta(days=1)).strftime("%Y-%m")
    assert (months[following]["guests"], months[following]["guests_prev"]) == (6, 0)


def test_an_operator_sees_only_its_own_services_whatever_the_filters(world):
    hotel = Scope(operator_id=world["hotel"].pk)
    s = summary_of(hotel, world["period"])
    # Bookings touching the hotel: W1, T2 (W2, T3 cancelled); guests 4 + 3; nights 8 + 6.
    assert (s["bookings"], s["cancelled"], s["guests"], s["nights"]) == (2, 2, 7, 14)
    # Revenue: the hotel's components only (W1 500, T2 600 at the components' prices).
    hotel_gross = sum(d.gross for f in BookingFact.objects.exclude(status="cancelled") for d in f.days.all()
                      if d.operator_id == world["hotel"].pk)  # fmt: skip
    assert s["gross"] == hotel_gross and "margin" not in s and "trade_net" not in s
    keys = [t.key for t in dashboard(hotel, world["period"])]
    assert "official-flows" not in keys and "by-operator" not in keys
    channels = table(hotel, world["period"], "by-channel")
    assert all("Reisen" not in row["label"] and "Travel" not in row["label"] for row in channels.rows)
    # The other operator's area, kind or a partner's channel give nothing of the winery.
    for other in ({"area": "casentino"}, {"kind": "food-wine"}):
        assert (
            summary_of(hotel, Filters(start=world["period"].start, end=world["period"].end, **other))["bookings"] == 0
        )
    form = FiltersForm({"area": "casentino"}, scope=hotel)
    assert not form.is_valid() and form.filters().area == ""
    assert [c[0] for c in form.fields["area"].choices] == ["", "piana-di-lucca"]


def test_a_partner_sees_only_its_own_bookings_whatever_the_filters(world):
    x, y = world["x"], world["y"]
    s = summary_of(Scope(partner_id=x.pk), world["period"])
    assert (s["bookings"], s["cancelled"], s["guests"], s["gross"], s["trade_net"]) == (1, 1, 3, D("70.00"), D("56.00"))
    assert "owed" not in s and "margin" not in s
    other = Filters(start=world["period"].start, end=world["period"].end, channel=f"partner:{y.pk}")
    for tbl in dashboard(Scope(partner_id=x.pk), other):
        assert not tbl.totals or not tbl.totals.get("bookings"), tbl.key
    assert summary_of(Scope(partner_id=y.pk), world["period"])["guests"] == 3
    keys = [t.key for t in dashboard(Scope(partner_id=x.pk), world["period"])]
    assert {"by-operator", "occupancy", "official-flows", "by-area"}.isdisjoint(keys)
    with pytest.raises(KeyError):
        table(Scope(partner_id=x.pk), world["period"], "by-operator")
    form = FiltersForm({"channel": f"partner:{y.pk}"}, scope=Scope(partner_id=x.pk))
    assert not form.is_valid() and form.filters().channel == ""


def test_staff_filters_narrow_and_the_query_count_is_fixed(world, django_assert_max_num_queries):
    period = world["period"]
    web = Filters(start=period.start, end=period.end, channel="web")
    assert summary_of(Scope(), web)["bookings"] == 1
    casentino = Filters(start=period.start, end=period.end, area="casentino")
    assert summary_of(Scope(), casentino)["bookings"] == 3  # W1, T1, T2 touch the winery
    # By booking date: everything was booked today, the nights with it.
    booked_today = summary_of(Scope(), Filters(start=world["today"], end=world["today"], by="booked"))
    assert (booked_today["bookings"], booked_today["cancelled"], booked_today["nights"]) == (3, 2, 14)
    form = FiltersForm({"start": "not a date", "by": "booked", "channel": f"partner:{world['y'].pk}"})
    filters = form.filters()
    assert "start" in form.errors and filters.by == "booked" and filters.channel == f"partner:{world['y'].pk}"
    with django_assert_max_num_queries(14):  # 11 figures queries, SET LOCAL, its savepoint and release
        dashboard(Scope(), period)


def test_official_flows_beside_our_nights_for_staff_only(world):
    month = world["end"].replace(day=1)
    OfficialFlow.objects.create(municipality="lucca", month=month, origin_kind="country", origin="DE", arrivals=60,
                                nights=200)  # fmt: skip
    OfficialFlow.objects.create(municipality="lucca", month=month, origin_kind="region", origin="Toscana",
                                arrivals=40, nights=200)  # fmt: skip
    rows = {(row["code"], row["month"]): row for row in table(Scope(), world["period"], "official-flows").rows}
    lucca = rows[("lucca", month.strftime("%Y-%m"))]
    # Official: 60 + 40 arrivals, 200 + 200 nights. Ours in Lucca that month: W1's party of 4 and its 2 nights × 4
    # (T2's nights fall in the next month): 8 of 400 nights = 2 %.
    assert (lucca["arrivals"], lucca["official_nights"], lucca["guests"], lucca["nights"]) == (100, 400, 4, 8)
    assert lucca["share"] == 2.0
    for scope in (Scope(operator_id=world["hotel"].pk), Scope(partner_id=world["x"].pk)):
        with pytest.raises(KeyError):
            table(scope, world["period"], "official-flows")


def test_the_label_filter_keeps_bookings_of_labelled_operators(world):
    from django.contrib.contenttypes.models import ContentType

    from certifications.models import Award
    from operators.models import Operator
    from tests.certifications.factories import SchemeFactory

    scheme = SchemeFactory()
    Award.objects.create(scheme=scheme, subject_type=ContentType.objects.get_for_model(Operator),
                         subject_id=world["winery"].pk, subject_name="Cantina Bibbiena", status=Award.Status.VERIFIED,
                         awarded_on=world["today"] - dt.timedelta(days=1))  # fmt: skip
    period = world["period"]
    labelled = Filters(start=period.start, end=period.end, label=scheme.pk)
    # W1, T1, T2 book the labelled winery; the hotel's own day rows are not counted by kind and area.
    assert summary_of(Scope(), labelled)["bookings"] == 3
    assert {row["key"] for row in table(Scope(), labelled, "by-area").rows} == {"casentino"}
    assert summary_of(Scope(operator_id=world["hotel"].pk), labelled)["bookings"] == 0
