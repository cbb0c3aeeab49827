"""DMC staff cancel and refund from the order page of Oscar's dashboard (order_staff_cancel, order_staff_refund).

Everything goes through the dashboard with Django's test client, as staff would: the form proposes the
policy's refund, the places go back, the money goes back (the demo payment records it, Stripe's client
reaches the local fake), everyone is emailed, and the order's notes and payment events say who and why.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.apps.order.models import Order, OrderNote, PaymentEvent

from marketplace.core.roles import Role
from marketplace.payments.models import Payment
from operators.models import Reservation, Slot
from packages.models import PackageBooking
from tests.factories import UserFactory
from tests.packages.conftest import buy
from tests.payments.conftest import TRAVELLERS, place_order, post_webhook, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """Requests to /en/ leave English active in the test's thread (LocaleMiddleware does not reset it):
    put the language back afterwards so later tests build their URLs in the default one."""
    with translation.override(translation.get_language()):
        yield


def order_url(order, language="en"):
    with translation.override(language):
        return reverse("dashboard:order-detail", kwargs={"number": order.number})


@pytest.fixture
def staff(db):
    return UserFactory(role=Role.STAFF, username="chiara")


@pytest.fixture
def demo_order(client, two_operator_package, today, settings, django_capture_on_commit_callbacks):
    """Paid with the demo method for a departure in 10 days: the policy refunds 50 % (132.00 of 264.00)."""
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=10), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.logout()
    return order


def stripe_order(client, package, today, fake_stripe, capture):
    """A guest's order of `package` for two adults in 30 days, paid through the fake Stripe and confirmed
    by its webhook; returns (order, payment)."""
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}),
                {"date": (today + dt.timedelta(days=30)).isoformat(), "adults": 2, "children_ages": "", "infants": 0})  # fmt: skip
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"), TRAVELLERS)
    client.get(reverse("checkout:payment-details"), follow=True)
    place_order(client)
    payment = Payment.objects.get()
    with capture(execute=True):
        post_webhook(client, stripe_event("payment_intent.succeeded", fake_stripe.succeed(payment.stripe_payment_intent_id)))  # fmt: skip
    return Order.objects.get(), payment


def booked_places() -> int:
    return sum(Slot.objects.values_list("reserved", flat=True))


def cancel(client, order, capture, **data):
    with capture(execute=True):
        return client.post(
            order_url(order), {"order_action": "staff_cancel", **{f"cancel-{k}": v for k, v in data.items()}}
        )


def refund(client, order, capture, **data):
    with capture(execute=True):
        return client.post(
            order_url(order), {"order_action": "staff_refund", **{f"refund-{k}": v for k, v in data.items()}}
        )


def test_the_cancel_form_proposes_what_the_policy_allows_today(client, staff, demo_order):
    client.force_login(staff)

    response = client.get(order_url(demo_order))

    assert response.status_code == 200
    assert response.context["refund_proposal"] == Decimal("132.00")
    [term] = response.context["refund_terms"]
    assert (term.days_before, term.percent, term.amount) == (10, 50, Decimal("132.00"))
    assert response.context["cancel_form"]["refund_amount"].value() == Decimal("132.00")
    page = response.content.decode()
    assert "50 %" in page and "100 % until 14 days before" in page
    assert 'name="cancel-refund_amount"' in page and 'name="refund-amount"' in page


def test_staff_cancel_with_a_raised_refund_gives_places_back_refunds_and_mails_everyone(
    client, staff, demo_order, django_capture_on_commit_callbacks
):
    assert booked_places() == 4
    client.force_login(staff)

    response = cancel(client, demo_order, django_capture_on_commit_callbacks,
                      refund_amount="150.00", reason="Alluvione: strada chiusa")  # fmt: skip

    assert response.status_code == 302
    demo_order.refresh_from_db()
    assert demo_order.status == "Cancelled"
    assert set(demo_order.lines.values_list("status", flat=True)) == {"Cancelled"}
    assert PackageBooking.objects.get().status == PackageBooking.Status.CANCELLED
    assert booked_places() == 0
    assert not Reservation.objects.filter(status=Reservation.Status.ACTIVE).exists()
    payment = demo_order.payments.get()
    assert payment.amount_refunded == Decimal("150.00")
    [note] = OrderNote.objects.filter(order=demo_order)
    assert note.user == staff and "Alluvione: strada chiusa" in note.message and "150.00" in note.message
    [event] = PaymentEvent.objects.filter(order=demo_order)
    assert event.amount == Decimal("150.00") and event.event_type.code == "refund"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["cantina@example.com", "giulia@example.com", "villa@example.com"]
    tourist = next(m for m in mail.outbox if m.to == ["giulia@example.com"])
    assert "150,00\xa0€" in tourist.body  # in Italian, as booked, though the dashboard was used in English
    # The history on the page shows who, when and why.
    page = client.get(order_url(demo_order)).content.decode()
    assert "Alluvione: strada chiusa" in page and "chiara" in page


def test_staff_cancel_with_stripe_refunds_the_chosen_amount_at_stripe(
    client, staff, two_operator_package, today, fake_stripe, django_capture_on_commit_callbacks
):
    order, payment = stripe_order(client, two_operator_package, today, fake_stripe, django_capture_on_commit_callbacks)
    client.force_login(staff)
    assert client.get(order_url(order)).context["refund_proposal"] == Decimal("264.00")  # 30 days: all back

    response = cancel(client, order, django_capture_on_commit_callbacks, refund_amount="200.00", reason="Goodwill")

    assert response.status_code == 302
    [call] = fake_stripe.requests_to("POST", "/v1/refunds")
    assert call["params"]["amount"] == "20000"
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("200.00")
    assert PaymentEvent.objects.get(order=order).reference == next(iter(fake_stripe.refunds))


def test_stripe_refusing_the_refund_leaves_the_order_cancelled_and_says_to_refund_by_hand(
    client, staff, two_operator_package, today, fake_stripe, django_capture_on_commit_callbacks
):
    order, payment = stripe_order(client, two_operator_package, today, fake_stripe, django_capture_on_commit_callbacks)
    fake_stripe.intents[payment.stripe_payment_intent_id]["status"] = "canceled"  # Stripe will refuse refunds
    client.force_login(staff)

    response = cancel(client, order, django_capture_on_commit_callbacks, refund_amount="264.00", reason="Sciopero")

    assert response.status_code == 302
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "Cancelled" and booked_places() == 0
    assert payment.amount_refunded == 0
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("refund failed" in m for m in messages)
    assert client.get(order_url(order)).context["refund_form"] is not None  # retry from the refund form


def test_staff_refund_by_hand_keeps_the_booking_and_never_exceeds_what_is_left(
    client, staff, demo_order, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    response = refund(client, demo_order, django_capture_on_commit_callbacks, amount="50.00", reason="Cena non servita")

    assert response.status_code == 302
    demo_order.refresh_from_db()
    assert demo_order.status == "Confirmed" and booked_places() == 4
    assert demo_order.payments.get().amount_refunded == Decimal("50.00")
    [notice] = mail.outbox
    assert notice.to == ["giulia@example.com"]  # in the tourist's Italian, not the dashboard's English
    assert "50,00\xa0€" in notice.body and "la prenotazione resta confermata" in notice.body
    assert "Cena non servita" in OrderNote.objects.get(order=demo_order).message

    response = refund(client, demo_order, django_capture_on_commit_callbacks, amount="214.01", reason="Troppo")

    assert response.status_code == 200
    assert "214.00" in str(response.context["refund_form"].errors["amount"])
    assert demo_order.payments.get().amount_refunded == Decimal("50.00")

    # The cancel form now proposes at most what is left (the policy's 132.00 is still below it).
    assert client.get(order_url(demo_order)).context["refund_proposal"] == Decimal("132.00")
    refund(client, demo_order, django_capture_on_commit_callbacks, amount="214.00", reason="Tutto il resto")
    assert demo_order.payments.get().amount_refunded == Decimal("264.00")
    page = client.get(order_url(demo_order))
    assert page.context["refund_proposal"] == Decimal("0.00")
    assert 'id="staff_refund_form"' not in page.content.decode()  # nothing left to refund
    assert PaymentEvent.objects.filter(order=demo_order).count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"refund_amount": "-1.00", "reason": "Errore"}, "refund_amount"),
        ({"refund_amount": "264.01", "reason": "Errore"}, "refund_amount"),
        ({"refund_amount": "abc", "reason": "Errore"}, "refund_amount"),
        ({"refund_amount": "100.00", "reason": "   "}, "reason"),
        ({"refund_amount": "100.00"}, "reason"),
    ],
)
def test_bad_cancel_input_shows_a_form_error_and_changes_nothing(
    client, staff, demo_order, django_capture_on_commit_callbacks, data, field
):
    client.force_login(staff)

    response = cancel(client, demo_order, django_capture_on_commit_callbacks, **data)

    assert response.status_code == 200
    assert field in response.context["cancel_form"].errors
    assert "alert-danger" in response.content.decode()
    demo_order.refresh_from_db()
    assert demo_order.status == "Confirmed" and booked_places() == 4
    assert demo_order.payments.get().amount_refunded == 0
    assert not OrderNote.objects.exists() and not PaymentEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("amount", ["0", "-5", "264.01", ""])
def test_bad_refund_input_shows_a_form_error_and_changes_nothing(
    client, staff, demo_order, django_capture_on_commit_callbacks, amount
):
    client.force_login(staff)

    response = refund(client, demo_order, django_capture_on_commit_callbacks, amount=amount, reason="Prova")

    assert response.status_code == 200
    assert "amount" in response.context["refund_form"].errors
    assert demo_order.payments.get().amount_refunded == 0
    assert not OrderNote.objects.exists() and mail.outbox == []


def test_an_already_cancelled_order_cannot_be_cancelled_again(
    client, staff, demo_order, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    cancel(client, demo_order, django_capture_on_commit_callbacks, refund_amount="100.00", reason="Prima")
    mail.outbox.clear()

    page = client.get(order_url(demo_order))
    assert page.context.get("cancel_form") is None  # no cancel form on a cancelled order
    response = cancel(client, demo_order, django_capture_on_commit_callbacks, refund_amount="50.00", reason="Seconda")

    assert response.status_code == 200
    assert "already cancelled" in response.content.decode()
    assert demo_order.payments.get().amount_refunded == Decimal("100.00")
    assert OrderNote.objects.filter(order=demo_order).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["anonymous", "customer", "operator", "staff without payment rights"])
@pytest.mark.parametrize("action", ["staff_cancel", "staff_refund"])
def test_only_staff_with_the_payment_permission_can_cancel_or_refund(
    client, demo_order, django_capture_on_commit_callbacks, who, action
):
    from django.contrib.auth.models import Permission

    if who == "customer":
        client.force_login(UserFactory())
    elif who == "operator":
        client.force_login(UserFactory(role=Role.OPERATOR))
    elif who == "staff without payment rights":  # may look at orders, not move money
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_order"))
        client.force_login(user)
        page = client.get(order_url(demo_order))
        assert page.status_code == 200 and 'id="staff_cancel_form"' not in page.content.decode()
    data = {"order_action": action, "cancel-refund_amount": "264.00", "cancel-reason": "x",
            "refund-amount": "264.00", "refund-reason": "x"}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(order_url(demo_order), data)

    if who == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403
    demo_order.refresh_from_db()
    assert demo_order.status == "Confirmed" and booked_places() == 4
    assert demo_order.payments.get().amount_refunded == 0
    assert mail.outbox == []


def test_oscars_own_status_changes_cannot_cancel_around_the_rules(client, staff, demo_order):
    client.force_login(staff)

    client.post(order_url(demo_order), {"order_action": "change_order_status", "new_status": "Cancelled"})
    line = demo_order.lines.get()
    client.post(order_url(demo_order), {"line_action": "change_line_statuses", "new_status": "Cancelled",
                                        "selected_line": line.pk, f"selected_line_qty_{line.pk}": 1})  # fmt: skip
    with translation.override("en"):
        list_url = reverse("dashboard:order-list")
    client.post(
        list_url, {"action": "change_order_statuses", "selected_order": demo_order.pk, "new_status": "Cancelled"}
    )

    demo_order.refresh_from_db()
    assert demo_order.status == "Confirmed"
    assert demo_order.lines.get().status == "Confirmed"
    assert booked_places() == 4


def test_the_customers_own_cancellation_is_noted_on_the_order_too(
    client, demo_order, django_capture_on_commit_callbacks
):
    from packages.views import order_cancel_token

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(demo_order)}),
                    {"who": "Bianchi", "confirm": "on"})  # fmt: skip

    [note] = OrderNote.objects.filter(order=demo_order)
    assert note.user is None and "132.00" in note.message
    assert PaymentEvent.objects.get(order=demo_order).amount == Decimal("132.00")


def test_the_order_page_shows_the_history_of_its_status_and_refunds(
    client, staff, demo_order, django_capture_on_commit_callbacks
):
    staff.first_name, staff.last_name = "Chiara", "Martini"
    staff.save()
    client.force_login(staff)
    cancel(client, demo_order, django_capture_on_commit_callbacks, refund_amount="132.00", reason="Maltempo")

    page = client.get(order_url(demo_order)).content.decode()

    assert "History of changes" in page
    assert "Chiara Martini" in page
    assert "→ Cancelled" in page  # the order's status
    assert "→ 132.00" in page  # the payment's refunded amount
