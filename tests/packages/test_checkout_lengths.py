"""What a column cannot hold is a field error at checkout, not a failure at order placement after the
payment: nothing is placed and the places stay held for the customer."""

import datetime as dt

import pytest
from django.urls import reverse
from oscar.apps.order.models import Order

from marketplace.payments.models import Payment
from operators.models import Hold
from tests.packages.conftest import buy
from tests.payments.conftest import TRAVELLERS, demo_mode  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_mode")]

TOO_LONG_EMAIL = "g" * 60 + "@" + ".".join(["abcdefghij" * 6] * 4) + ".it"  # 307 characters, a valid address


def _held():
    return sorted(Hold.objects.filter(status=Hold.Status.ACTIVE).values_list("pk", "quantity", "expires_at"))


def test_a_guest_email_longer_than_the_column_is_a_field_error_and_keeps_the_holds(
    client, package, today, django_capture_on_commit_callbacks
):
    on = today + dt.timedelta(days=5)
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}), {"date": on.isoformat(), "adults": 2})
    held = _held()
    assert held and len(TOO_LONG_EMAIL) > Payment._meta.get_field("guest_email").max_length

    response = client.post(reverse("checkout:index"), {"username": TOO_LONG_EMAIL, "options": "anonymous"})

    assert response.status_code == 200 and list(response.context["form"].errors) == ["username"]
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert _held() == held

    order = buy(client, package, on, django_capture_on_commit_callbacks, add=False)  # the places were kept
    assert order.guest_email == "giulia@example.com" and order.status == "Confirmed"


def test_a_lead_name_longer_than_the_column_is_a_field_error(client, package, today):
    on = today + dt.timedelta(days=5)
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}), {"date": on.isoformat(), "adults": 2})
    client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})

    response = client.post(reverse("checkout:travellers"), {**TRAVELLERS, "lead_first_name": "G" * 101})

    assert list(response.context["form"].errors) == ["lead_first_name"]
