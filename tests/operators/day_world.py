"""The operator's day as tests and the browser journey build it, through the real booking services: a
guide's walk sold on the web shop (inside a package with another operator's tasting) and by a trade
partner from its portal and from its system (API), all for today, plus the same for another operator.

Bookings for today's 10:00 departure are made "at 06:00 today" (time_machine), whatever the hour the
suite runs at, so a departure already past its cut-off never refuses the booking."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order

from marketplace.trade.bookings import TradeRequest, trade_book, trade_cancel
from marketplace.trade.models import TradeBooking
from operators.models import ROME
from operators.pricing import Party
from tests.operators.factories import MembershipFactory
from tests.packages.factories import make_package, priced_service
from tests.payments.conftest import TRAVELLERS, place_order
from tests.trade.factories import ContractFactory

WALK_TIMES = (dt.time(10, 0), dt.time(15, 0))


def early_today() -> dt.datetime:
    return dt.datetime.combine(timezone.localdate(), dt.time(6, 0), tzinfo=ROME)


def shop_order(package, on: dt.date, *, first="Giulia", last="Bianchi", phone="+39 0583 123456", adults=2,
               children_ages="", start_time: dt.time | None = None) -> Order:  # fmt: skip
    """A paid web-shop order of `package` (demo payment, guest checkout) through the shop's views."""
    client = Client()
    data = {"date": on.isoformat(), "adults": adults, "children_ages": children_ages, "infants": 0}
    if start_time is not None:
        data["start_time"] = start_time.strftime("%H:%M")
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}), data)
    client.post(reverse("checkout:index"), {"username": f"{first.lower()}@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"),
                {**TRAVELLERS, "lead_first_name": first, "lead_last_name": last, "lead_phone": phone})  # fmt: skip
    client.get(reverse("checkout:payment-details"), follow=True)
    before = Order.objects.count()
    response = place_order(client)
    assert response.status_code == 302 and Order.objects.count() == before + 1, response.content[:500]
    return Order.objects.order_by("-pk").first()


def partner_booking(partner, product, on, *, first, last, channel=TradeBooking.Channel.PORTAL, **fields):
    request = TradeRequest(product=product, on=on, party=fields.pop("party", Party(adults=2)),
                           lead_first_name=first, lead_last_name=last, **fields)  # fmt: skip
    return trade_book(partner=partner, user=None, request=request, channel=channel)


def day_world(settings, django_capture_on_commit_callbacks) -> SimpleNamespace:
    """Guide di Lucca's walk today at 10:00: Giulia Bianchi (web, a package with Fattoria Colle Verde's
    tasting at 12:00), Hans Müller (Toskana Reisen GmbH's portal, reference TR-17, notes), Emma Jones (the
    partner's API, 15:00); a cancelled portal booking tomorrow; Fattoria Colle Verde's own web order."""
    settings.STRIPE_SECRET_KEY = ""
    guide = MembershipFactory(operator__name="Guide di Lucca", operator__slug="guide-lucca",
                              user__first_name="Paolo", user__last_name="Guida")  # fmt: skip
    winery = MembershipFactory(operator__name="Fattoria Colle Verde", operator__slug="colle-verde",
                               user__first_name="Carla", user__last_name="Verdi")  # fmt: skip
    walk = priced_service(operator=guide.operator, name="Lucca dentro le Mura", adult="20.00", child="10.00",
                          times=WALK_TIMES, capacity=20)  # fmt: skip
    tasting = priced_service(operator=winery.operator, name="Degustazione", adult="30.00", child="10.00",
                             times=(dt.time(12, 0),))  # fmt: skip
    package = make_package(services=[walk, tasting], days=[1, 1], title="Mura e colline")
    wine_only = make_package(services=[tasting], days=[1], title="Solo vino", slug="solo-vino")
    contract = ContractFactory(partner__legal_name="Toskana Reisen GmbH")
    today = timezone.localdate()
    with time_machine.travel(early_today(), tick=True), django_capture_on_commit_callbacks(execute=True):
        web = shop_order(package, today, children_ages="8")
        wine = shop_order(wine_only, today, first="Luca", last="Neri", phone="+39 333 000")
        portal = partner_booking(contract.partner, walk, today, first="Hans", last="Müller", start_time=dt.time(10, 0),
                                 partner_reference="TR-17", notes="Two walking sticks", lead_phone="+49 30 1234",
                                 party=Party(adults=3, infants=1))  # fmt: skip
        api = partner_booking(contract.partner, walk, today, first="Emma", last="Jones", start_time=dt.time(15, 0),
                              channel=TradeBooking.Channel.API, partner_reference="API-9")  # fmt: skip
        gone = partner_booking(contract.partner, walk, today + dt.timedelta(days=1), first="Karl", last="Storno",
                               start_time=dt.time(10, 0))  # fmt: skip
    trade_cancel(booking=gone, by=None)
    return SimpleNamespace(guide=guide, winery=winery, walk=walk, tasting=tasting, package=package, web=web,
                           wine=wine, portal=portal, api=api, gone=gone, partner=contract.partner, today=today)  # fmt: skip
