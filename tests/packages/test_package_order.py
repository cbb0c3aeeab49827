"""Paying a package (demo payment): reservations per order line, operators' parts, voucher, cancellation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from operators.models import Hold, Operator, Reservation, Slot
from packages.models import PackageBooking, PackageBookingPart
from packages.views import order_cancel_token
from packages.voucher import booking_voucher_pdf
from tests.packages.conftest import buy
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def test_paid_order_books_places_records_parts_and_mails_each_operator_its_part(
    client, two_operator_package, today, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""
    on = today + dt.timedelta(days=30)
    order = buy(client, two_operator_package, on, django_capture_on_commit_callbacks)

    line = order.lines.get()
    assert line.line_price_incl_tax == Decimal("264.00")  # 2 × (90 + 30) + 10 %
    reservations = Reservation.objects.filter(reference=f"order-line:{line.pk}", status=Reservation.Status.ACTIVE)
    assert sorted(r.quantity for r in reservations) == [2, 2]
    assert not Hold.objects.filter(status=Hold.Status.ACTIVE).exists()
    assert sum(Slot.objects.filter(pk__in=[r.slot_id for r in reservations]).values_list("reserved", flat=True)) == 4

    booking = PackageBooking.objects.get(order_line=line)
    parts = {p.operator.name: p for p in PackageBookingPart.objects.filter(booking=booking)}
    assert parts["Villa Oliva"].amount == Decimal("180.00") and parts["Villa Oliva"].commission_percent == 15
    assert parts["Fattoria Colle Verde"].date == on + dt.timedelta(days=1)
    assert parts["Fattoria Colle Verde"].net == Decimal("48.00")  # 60 less 20 %

    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert "Camera in villa" in by_recipient[("villa@example.com",)].body
    assert "Degustazione" not in by_recipient[("villa@example.com",)].body
    assert "Degustazione" in by_recipient[("cantina@example.com",)].body
    assert "Camera in villa" not in by_recipient[("cantina@example.com",)].body
    customer = by_recipient[("giulia@example.com",)]
    filename, pdf, mimetype = customer.attachments[0]
    assert (filename, mimetype) == (f"voucher-{order.number}.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF")


def voucher_text_rows(pdf: bytes) -> list[tuple[float, str]]:
    """Every text run the voucher draws, with where it ends on the x axis (points)."""
    import io

    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import stringWidth

    rows = []
    for page in PdfReader(io.BytesIO(pdf)).pages:

        def visit(text, cm, tm, font, size, rows=rows):
            if text.strip():
                name = "Helvetica-Bold" if "Bold" in str(font.get("/BaseFont", "")) else "Helvetica"
                rows.append((tm[4] + stringWidth(text.strip(), name, size), text.strip()))

        page.extract_text(visitor_text=visit)
    return rows


def test_voucher_pdf_contains_the_reference(client, two_operator_package, today, settings,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)

    pdf = booking_voucher_pdf(order=order)

    assert pdf.startswith(b"%PDF")
    assert (
        f"Order reference: {order.number}".encode() in pdf
        or f"Riferimento della prenotazione: {order.number}".encode() in pdf
    )
    assert b"Giulia Bianchi" in pdf
    assert b"Villa Oliva" in pdf and b"Degustazione" in pdf
    assert b"/Subtype /Image" in pdf  # the QR code
    text = " ".join(t for _, t in voucher_text_rows(pdf))
    # Every provider is shown the voucher: the cancel link is only in the customer's email and account.
    assert "/cancel/" not in text and order_cancel_token(order).split(":")[0] not in text
    # The policy itself is stated ('cancellation', 'cancellazione'), never a way to cancel.
    assert "cancel" not in text.lower().replace("cancellation", "").replace("cancellazione", "")


def test_voucher_wraps_long_texts_whole_and_inside_the_page(client, two_operator_package, today, settings,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    """Long names, titles, addresses and a URL longer than a line are all on the voucher, word for word,
    and no line ends past the right margin (they used to be cut at 110 characters)."""
    from reportlab.lib.pagesizes import A4

    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    title = "Lucca, Garfagnana e Versilia: " + " ".join(["settimana tra borghi medievali"] * 5)
    two_operator_package.title = title
    two_operator_package.save()
    url = "https://maps.example.com/place/" + "ponte-del-diavolo-" * 8 + "end"
    address = "Via della Chiesa di San Michele in Foro 12, Lucca " + url
    Operator.objects.filter(name="Villa Oliva").update(address=address)
    order.travellers.lead_first_name = "Maria Antonietta Giuseppina Anna"
    order.travellers.lead_last_name = "Bianchi-Montecatini della Gherardesca"
    order.travellers.save()

    rows = voucher_text_rows(booking_voucher_pdf(order=order, language="en"))

    assert all(right <= A4[0] - 19 for right, _ in rows), [r for r in rows if r[0] > A4[0] - 19]
    lines = [text for _, text in rows]
    flowing = " ".join(lines)
    assert title in flowing
    assert "Maria Antonietta Giuseppina Anna Bianchi-Montecatini della Gherardesca" in flowing
    assert address.removesuffix(url).strip() in flowing
    assert url in "".join(lines)  # longer than a line: broken between characters, not cut
    assert url.split("ponte")[0] in lines[[n for n, t in enumerate(lines) if "maps.example" in t][0]]


@pytest.mark.parametrize(("days_before", "refund"), [(30, "264.00"), (10, "132.00"), (2, "0.00")])
def test_customer_cancels_with_the_signed_link_gets_the_policy_refund_and_places_back(
    client, two_operator_package, today, settings, django_capture_on_commit_callbacks, days_before, refund
):
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=days_before),
                django_capture_on_commit_callbacks)  # fmt: skip
    mail.outbox.clear()
    url = reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(order)})
    assert Decimal(refund).to_eng_string().replace(".", ",") in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"who": " bianchi ", "confirm": "on"})  # the lead traveller's surname, any case

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "Cancelled"
    booking = PackageBooking.objects.get()
    assert booking.status == PackageBooking.Status.CANCELLED and booking.refund_amount == Decimal(refund)
    assert not Reservation.objects.filter(status=Reservation.Status.ACTIVE).exists()
    assert not Slot.objects.filter(reserved__gt=0).exists()
    payment = order.payments.get()
    assert payment.amount_refunded == Decimal(refund)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "villa@example.com" in recipients and "cantina@example.com" in recipients


def test_cancel_link_with_a_bad_signature_is_404_and_account_view_is_owner_only(
    client, two_operator_package, today, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    assert client.get(reverse("packages:order-cancel-signed", kwargs={"token": "forged:token"})).status_code == 404
    forged = order_cancel_token(order)[:-2] + "xx"
    assert client.get(reverse("packages:order-cancel-signed", kwargs={"token": forged})).status_code == 404
    from tests.factories import UserFactory

    client.force_login(UserFactory())  # someone else: the order exists but is not theirs
    url = reverse("packages:order-cancel", kwargs={"number": order.number})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    order.refresh_from_db()
    assert order.status == "Confirmed"
    order.user = UserFactory()  # its owner sees the page with the refund the policy allows
    order.save()
    client.force_login(order.user)
    assert "264,00" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["", "Rossi", "giulia@example.org", "Giulia"])
def test_the_signed_link_without_the_lead_travellers_surname_or_email_cancels_nothing(
    client, two_operator_package, today, settings, django_capture_on_commit_callbacks, who
):
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    url = reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(order)})
    assert 'name="who"' in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"who": who, "confirm": "on"})

    assert response.status_code == 400
    assert response.context["form"].errors["who"]
    order.refresh_from_db()
    assert order.status == "Confirmed"
    assert PackageBooking.objects.get().status != PackageBooking.Status.CANCELLED
    assert Reservation.objects.filter(status=Reservation.Status.ACTIVE).count() == 2
    assert order.payments.get().amount_refunded == Decimal("0.00")


def test_an_expired_signed_link_says_so_and_cancels_nothing(
    client, two_operator_package, today, settings, django_capture_on_commit_callbacks
):
    """The link works until the day of the first departure; a link signed before links had an end
    (no "until") is expired too."""
    from django.core import signing

    from packages.views import CANCEL_SALT

    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    PackageBooking.objects.update(starts_on=today - dt.timedelta(days=1))  # the trip has begun
    expired = order_cancel_token(order)
    unending = signing.dumps({"order": order.number}, salt=CANCEL_SALT)

    with translation.override("en"):  # English page; the request's language goes with the block
        for token in (expired, unending):
            url = reverse("packages:order-cancel-signed", kwargs={"token": token})
            page = client.get(url)
            assert page.status_code == 410 and "expired" in page.content.decode()
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(url, {"who": "Bianchi", "confirm": "on"})
            assert response.status_code == 410 and "Nothing has been cancelled" in response.content.decode()

    order.refresh_from_db()
    assert order.status == "Confirmed"
    assert order.payments.get().amount_refunded == Decimal("0.00")
    PackageBooking.objects.update(starts_on=today)  # on the day of departure it still works
    url = reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(order)})
    assert client.get(url).status_code == 200


def test_cancel_twice_is_refused_without_refunding_again(client, two_operator_package, today, settings,
                                                        django_capture_on_commit_callbacks):  # fmt: skip
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    url = reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(order)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"who": "giulia@example.com", "confirm": "on"})
        client.post(url, {"who": "giulia@example.com", "confirm": "on"})
    assert order.payments.get().amount_refunded == Decimal("264.00")
    assert timezone.now()


def test_a_line_holding_the_last_places_can_refresh_its_hold_and_be_paid(
    client, today, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""
    package = make_package(services=[priced_service(name="Ultima camera", capacity=2),
                                     priced_service(name="Cena", capacity=30)], days=[1, 1])  # fmt: skip
    on = today + dt.timedelta(days=30)
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}),
                {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0})  # fmt: skip
    client.post(reverse("packages:basket-refresh"))  # holds still live: nothing to do
    from oscar.apps.basket.models import Basket

    from marketplace.bookings.services import booking_lines_prepare
    from marketplace.shop.partner.strategy import RetailStrategy

    basket = Basket.objects.get()
    basket.strategy = RetailStrategy()
    booking_lines_prepare(basket=basket)  # re-takes the hold on the last 2 places: must not refuse itself

    order = buy(client, package, on, django_capture_on_commit_callbacks, add=False)

    assert order.status == "Confirmed"
    last = Slot.objects.get(service__name="Ultima camera", date=on)
    assert (last.held, last.reserved) == (0, 2)
