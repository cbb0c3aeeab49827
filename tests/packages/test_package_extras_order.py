"""The whole journey with an optional extra, through Django's test client and the demo payment: page,
add, checkout, order, the extra's reservation, the operator's part, email and area, the voucher, the
statement, and a cancellation that gives the extra's place back and refunds the whole paid price."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.apps.order.models import Order

from operators.models import Hold, Reservation, Slot
from packages.models import PackageBooking, PackageBookingPart
from packages.views import order_cancel_token
from packages.voucher import booking_voucher_pdf
from tests.operators.factories import MembershipFactory
from tests.payments.conftest import TRAVELLERS, place_order

pytestmark = pytest.mark.django_db


def test_a_package_bought_with_an_extra_books_delivers_and_cancels_the_extra_too(
    client, extras, today, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""  # the demo payment
    on = today + dt.timedelta(days=10)  # the policy refunds 50 % from 3 to 13 days before
    ebike_slot = Slot.objects.get(service_id=extras.ebike.service_id, date=on + dt.timedelta(days=1))
    cooking_slot = Slot.objects.get(service_id=extras.cooking.service_id, date=on)

    page = client.get(extras.package.product.get_absolute_url(),
                      {"adults": 2, "date": on.isoformat(), "extra": extras.ebike.pk})  # fmt: skip
    assert "319,00" in page.content.decode()
    response = client.post(reverse("packages:basket-add", kwargs={"pk": extras.package.pk}),
                           {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0,
                            "extra": extras.ebike.pk})  # fmt: skip
    assert response.status_code == 302 and response.url == reverse("basket:summary")
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"), TRAVELLERS)
    client.get(reverse("checkout:payment-details"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = place_order(client)
    assert response.status_code == 302, response.content[:500]

    # The order: the line's price includes the extra, its holds became reservations with the rest.
    order = Order.objects.get()
    line = order.lines.get()
    assert line.line_price_incl_tax == Decimal("319.00")
    reservations = Reservation.objects.filter(reference=f"order-line:{line.pk}", status=Reservation.Status.ACTIVE)
    assert {r.slot_id: r.quantity for r in reservations}[ebike_slot.pk] == 2
    assert reservations.count() == 3
    ebike_slot.refresh_from_db()
    cooking_slot.refresh_from_db()
    assert (ebike_slot.held, ebike_slot.reserved) == (0, 2)
    assert (cooking_slot.held, cooking_slot.reserved) == (0, 0)  # not chosen, not booked
    assert not Hold.objects.filter(status=Hold.Status.ACTIVE).exists()

    booking = PackageBooking.objects.get(order_line=line)
    assert booking.price == Decimal("319.00")
    part = PackageBookingPart.objects.get(booking=booking, service_id=extras.ebike.service_id)
    assert part.is_extra and part.operator.name == "E-bike Porcari"
    assert (part.amount, part.places, part.date, part.slot_id) == (Decimal("50.00"), 2, ebike_slot.date, ebike_slot.pk)
    assert not PackageBookingPart.objects.filter(booking=booking, is_extra=False, service_id=extras.ebike.service_id)
    assert PackageBookingPart.objects.filter(booking=booking).count() == 3

    # The e-bike operator's email has its own part only, marked as an extra; the voucher lists it.
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    ebike_mail = by_recipient[("ebike@example.com",)].body
    assert "Noleggio e-bike" in ebike_mail and "Camera in villa" not in ebike_mail
    assert "extra" in ebike_mail.lower()
    assert ("gina@example.com",) not in by_recipient
    pdf = booking_voucher_pdf(order=order)
    assert b"Noleggio e-bike" in pdf and b"E-bike Porcari" in pdf
    assert b"Corso di cucina" not in pdf

    # The operator sees it in its area and is owed it in the monthly statement.
    owner = MembershipFactory(operator=part.operator).user
    client.force_login(owner)
    month = {"year": part.date.year, "month": part.date.month}
    area = client.get(reverse("packages:operator-parts-month", kwargs=month)).content.decode()
    assert "Noleggio e-bike" in area and "Camera in villa" not in area
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("packages:operator-statement", kwargs=month)).content.decode()))
    )
    assert [r[4] for r in rows[1:-1]] == ["Noleggio e-bike"]
    assert rows[-1][6:] == ["50.00", "", "7.50", "42.50", "", ""]  # default 15 % commission
    client.logout()

    # Cancelling (signed link) refunds the policy's 50 % of the whole paid price and frees the bikes.
    mail.outbox.clear()
    url = reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(order)})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"who": "Bianchi", "confirm": "on"}).status_code == 302

    booking.refresh_from_db()
    assert booking.status == PackageBooking.Status.CANCELLED
    assert booking.refund_amount == Decimal("159.50")
    assert order.payments.get().amount_refunded == Decimal("159.50")
    ebike_slot.refresh_from_db()
    assert (ebike_slot.held, ebike_slot.reserved) == (0, 0)
    assert not Reservation.objects.filter(status=Reservation.Status.ACTIVE).exists()
    assert "ebike@example.com" in {m.to[0] for m in mail.outbox}
