"""After "Book now" a guest sees three pages before the confirmation (who are you, travellers, review and
pay); a logged-in customer skips the first. Oscar's shipping steps only redirect."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from tests.payments.conftest import TRAVELLERS
from tests.shop.conftest import EMAIL

pytestmark = pytest.mark.django_db


def add(client, trip):
    client.post(reverse("packages:basket-add", kwargs={"pk": trip.package.pk}),
                {"date": trip.on.isoformat(), "adults": 2, "children_ages": "", "infants": 0})  # fmt: skip


def pages_to_payment(client, start_url, *posts) -> list[str]:
    """The URLs of the pages rendered (200) from `start_url` on, posting `posts` in turn as the forms."""
    seen = []
    response = client.get(start_url, follow=True)
    seen.append(response.redirect_chain[-1][0] if response.redirect_chain else start_url)
    for data in posts:
        response = client.post(seen[-1], data, follow=True)
        assert response.status_code == 200
        seen.append(response.redirect_chain[-1][0])
    return seen


def test_a_guest_sees_gateway_travellers_and_payment(client, trip):
    with translation.override("en"):
        add(client, trip)
        pages = pages_to_payment(client, reverse("checkout:index"),
                                 {"username": EMAIL, "options": "anonymous"}, TRAVELLERS)  # fmt: skip
        assert pages == [reverse("checkout:index"), reverse("checkout:travellers"), reverse("checkout:payment-details")]


def test_a_logged_in_customer_skips_the_gateway(client, trip):
    client.force_login(UserFactory(email="anna@example.com"))
    with translation.override("en"):
        add(client, trip)
        pages = pages_to_payment(client, reverse("checkout:index"), TRAVELLERS)
        assert pages == [reverse("checkout:travellers"), reverse("checkout:payment-details")]
