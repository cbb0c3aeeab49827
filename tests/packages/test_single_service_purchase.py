"""A tourist books a single service (a city walk at the departure they choose) through the shop: the
service page's "Book" leads to its automatic package, the basket, the demo payment; the order is a
normal PackageBooking with the operator's part, its voucher and its cancellation policy."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.apps.basket.models import Line

from operators.models import Hold, Slot
from operators.pricing import Party
from packages.models import PackageBooking
from packages.pages import package_page
from packages.products import bookable
from packages.services import package_order_cancel_by_customer, service_package_sync
from tests.operators.factories import MembershipFactory
from tests.packages.conftest import DEPARTURES, buy
from tests.packages.factories import priced_service

pytestmark = pytest.mark.django_db


def test_the_service_page_and_the_operator_page_lead_to_the_booking_page(client, walk):
    service, package, _guide = walk

    page = client.get(f"/en/local/guide-lucca/{service.pk}/")
    operator_page = client.get("/en/local/guide-lucca/")

    booking_url = package.product.get_absolute_url()
    assert "Choose a date and book" in page.content.decode()
    assert f'href="{booking_url.replace("/it/", "/en/")}"' in page.content.decode()
    assert "€20.00" in page.content.decode()  # the site's one money format
    assert 'aria-label="Book Lucca dentro le Mura"' in operator_page.content.decode()
    assert client.get(booking_url).status_code == 200


def test_a_withdrawn_service_shows_no_book_button(client, walk, django_capture_on_commit_callbacks):
    service, _package, _guide = walk
    other = priced_service(operator=service.operator, name="Torri e campanili", adult="15.00")
    service_package_sync(service=other)
    with django_capture_on_commit_callbacks(execute=True):
        other.is_active = False
        other.save()

    page = client.get("/en/local/guide-lucca/").content.decode()
    assert 'aria-label="Book Lucca dentro le Mura"' in page and "Book Torri e campanili" not in page


def test_the_package_page_offers_the_day_s_departures_and_prices_as_the_trade_channel(walk, today):
    service, package, _guide = walk
    on = today + dt.timedelta(days=20)
    party = {"date": on.isoformat(), "adults": "2", "children_ages": "8", "start_time": "15:00"}

    page = package_page(package=package, data=party)

    assert page["single_service"] == service
    assert [d.start_time for d in page["departures"]] == list(DEPARTURES)
    assert all(d.is_available and d.free == 12 for d in page["departures"])
    assert page["start_time"] == dt.time(15, 0)
    trade_price = bookable(service=service).price(
        on=on, party=Party(adults=2, children_ages=(8,)), start_time=dt.time(15, 0)
    )
    assert page["price"].total == trade_price.total == Decimal("50.00")


def test_a_tourist_buys_the_walk_at_the_departure_chosen(client, walk, today, django_capture_on_commit_callbacks):
    service, package, guide = walk
    on = today + dt.timedelta(days=20)

    with translation.override("en"):  # the messages in English
        add_url = reverse("packages:basket-add", kwargs={"pk": package.pk})
    response = client.post(
        add_url,
        {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0, "start_time": "15:00"},
    )
    assert response.status_code == 302 and response.url == reverse("basket:summary")
    held = Hold.objects.get(status=Hold.Status.ACTIVE)
    assert held.slot.start_time == dt.time(15, 0) and held.quantity == 2

    order = buy(client, package, on, django_capture_on_commit_callbacks, add=False)

    assert (
        order.total_incl_tax == bookable(service=service).price(on=on, party=Party(adults=2)).total == Decimal("40.00")
    )
    booking = PackageBooking.objects.get(order_line__order=order)
    [part] = booking.parts.all()
    assert (part.operator, part.service, part.date, part.start_time, part.places, part.amount) == (
        guide.operator, service, on, dt.time(15, 0), 2, Decimal("40.00"),
    )  # fmt: skip
    assert Slot.objects.get(service=service, date=on, start_time=dt.time(15, 0)).reserved == 2
    assert Slot.objects.get(service=service, date=on, start_time=dt.time(10, 0)).reserved == 0
    assert f"voucher-{order.number}.pdf" in [a[0] for m in mail.outbox for a in m.attachments]

    client.force_login(guide.user)
    parts_page = client.get(reverse("packages:operator-parts-month", kwargs={"year": on.year, "month": on.month}))
    assert "Lucca dentro le Mura" in parts_page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        refund = package_order_cancel_by_customer(order=order)  # 20 days before: free cancellation (2 days)
    assert refund == Decimal("40.00")
    assert Slot.objects.get(service=service, date=on, start_time=dt.time(15, 0)).reserved == 0


def test_a_full_departure_is_refused_by_name_and_leaves_the_basket_empty(client, walk, today):
    service, package, _guide = walk
    on = today + dt.timedelta(days=20)
    Slot.objects.filter(service=service, date=on, start_time=dt.time(15, 0)).update(reserved=11)

    with translation.override("en"):  # the messages in English
        add_url = reverse("packages:basket-add", kwargs={"pk": package.pk})
    response = client.post(
        add_url,
        {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0, "start_time": "15:00"},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any("15:00 departure cannot be booked" in m for m in messages), messages
    assert not Line.objects.exists() and not Hold.objects.exists()


def test_a_staff_package_refuses_a_departure_time(client, walk, today):
    from tests.packages.factories import make_package

    service, _package, _guide = walk
    staff = make_package(services=[service], title="Mura e torri")

    with translation.override("en"):  # the messages in English
        add_url = reverse("packages:basket-add", kwargs={"pk": staff.pk})
    response = client.post(
        add_url,
        {"date": (today + dt.timedelta(days=20)).isoformat(), "adults": 2, "start_time": "15:00"},
        follow=True,
    )

    assert not Line.objects.exists()
    assert any("departure times are set" in str(m) for m in response.context["messages"])


def test_operator_b_does_not_see_operator_a_s_single_service_bookings(
    client, walk, today, django_capture_on_commit_callbacks
):
    service, package, guide = walk
    other = MembershipFactory(operator__name="Fattoria Colle Verde")
    on = today + dt.timedelta(days=20)
    buy(client, package, on, django_capture_on_commit_callbacks)

    client.force_login(other.user)
    url = reverse("packages:operator-parts-month", kwargs={"year": on.year, "month": on.month})
    assert "Lucca dentro le Mura" not in client.get(url).content.decode()
    statement = client.get(reverse("packages:operator-statement", kwargs={"year": on.year, "month": on.month}))
    assert "Lucca dentro le Mura" not in statement.content.decode()

    assert "Lucca dentro le Mura" not in client.get(reverse("operator-area:booking-list")).content.decode()

    client.force_login(guide.user)
    assert "Lucca dentro le Mura" in client.get(url).content.decode()
    assert "Lucca dentro le Mura" in client.get(reverse("operator-area:booking-list")).content.decode()
    assert "Lucca dentro le Mura" in statement_of(client, on)


def statement_of(client, on) -> str:
    return client.get(
        reverse("packages:operator-statement", kwargs={"year": on.year, "month": on.month})
    ).content.decode()
