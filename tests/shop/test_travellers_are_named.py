"""At checkout a party of several people names the others (operators' lists and insurance need them):
adults and children must be named, infants may be. A basket without packages keeps the field optional.
The terms of sale are linked beside the policy acceptance."""

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.apps.order.models import Order

from tests.payments.conftest import TRAVELLERS
from tests.shop.conftest import EMAIL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def to_travellers(client, trip, *, adults=2, children_ages="8", infants=0):
    client.post(reverse("packages:basket-add", kwargs={"pk": trip.package.pk}),
                {"date": trip.on.isoformat(), "adults": adults, "children_ages": children_ages,
                 "infants": infants})  # fmt: skip
    client.post(reverse("checkout:index"), {"username": EMAIL, "options": "anonymous"})


def post_travellers(client, others):
    return client.post(reverse("checkout:travellers"), {**TRAVELLERS, "other_travellers": others})


@pytest.mark.parametrize("others", ["", "Marco Bianchi", "  \n Marco Bianchi \n\n"])
def test_a_party_of_three_must_name_the_other_two(client, trip, others):
    to_travellers(client, trip)
    page = client.get(reverse("checkout:travellers")).content.decode()
    assert "the other 2 travellers of your party of 3" in page

    response = post_travellers(client, others)

    assert response.status_code == 200
    assert response.context["form"].errors["other_travellers"] == [
        "Your party is 3 people: give the names of the other 2 travellers, one per line."
    ]
    assert "give the names of the other 2 travellers" in response.content.decode()
    followed = client.get(reverse("checkout:payment-details"), follow=True)
    assert followed.redirect_chain[-1][0] == reverse("checkout:travellers")  # nothing stored
    assert not Order.objects.exists()


def test_the_party_named_goes_on_to_payment(client, trip):
    to_travellers(client, trip)
    response = post_travellers(client, "Marco Bianchi\nSofia Bianchi")
    assert response.status_code == 302
    assert client.get(response.url, follow=True).redirect_chain[-1][0] == reverse("checkout:payment-details")


def test_infants_may_be_named_but_need_not_be(client, trip):
    to_travellers(client, trip, adults=2, children_ages="", infants=1)
    page = client.get(reverse("checkout:travellers")).content.decode()
    assert "the other traveller of your party of 3" in page and "Infants may be named too." in page

    assert post_travellers(client, "Marco Bianchi").status_code == 302
    assert post_travellers(client, "Marco Bianchi\nLuca Bianchi").status_code == 302
    response = post_travellers(client, "")
    assert response.context["form"].errors["other_travellers"] == [
        "Your party is 3 people: give the name of the other traveller (one per line)."
    ]


def test_travelling_alone_needs_no_other_name(client, trip):
    to_travellers(client, trip, adults=1, children_ages="")
    assert post_travellers(client, "").status_code == 302


def test_the_terms_of_sale_are_linked_beside_the_policy(client, trip):
    to_travellers(client, trip)
    page = client.get(reverse("checkout:travellers")).content.decode()
    assert f'href="{reverse("legal-terms")}"' in page and "Terms of sale" in page
