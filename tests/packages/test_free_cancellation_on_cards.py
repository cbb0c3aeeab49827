"""Catalogue cards and the destination pages' offer cards say how long cancelling is free, when the
package's policy refunds in full, without one query per card."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from packages.models import CancellationTier
from packages.offers import PackageOfferProvider
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db

FOURTEEN = "Free cancellation up to 14 days before departure"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def services():
    return [priced_service(name="Notte in villa", days=20), priced_service(name="Cena", days=20)]


def _card(html: str, package) -> str:
    return html.split(f'id="package-card-{package.pk}"', 1)[1].split("</article>", 1)[0]


def test_catalogue_cards_show_the_free_cancellation_of_the_policy(client, services):
    free = make_package(services=services, title="Ville e vigne", slug="ville")
    strict = make_package(services=services, title="Senza rimborso", slug="strict")
    strict.cancellation_tiers.filter(refund_percent=100).delete()  # only 50 % up to 3 days before
    last_minute = make_package(services=services, title="Fino alla partenza", slug="last")
    CancellationTier.objects.filter(package=last_minute).delete()
    CancellationTier.objects.create(package=last_minute, days_before=0, refund_percent=100)
    with translation.override("en"):
        html = client.get(reverse("catalogue:index")).content.decode()
    assert FOURTEEN in _card(html, free)
    assert "Free cancellation" not in _card(html, strict)
    assert "Free cancellation until departure" in _card(html, last_minute)


def test_catalogue_query_count_does_not_grow_with_cancellation_tiers(client, services):
    for i in range(2):
        make_package(services=services, title=f"Pacchetto {i}", slug=f"p-{i}")
    with translation.override("en"):
        url = reverse("catalogue:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(2, 10):
        package = make_package(services=services, title=f"Pacchetto {i}", slug=f"p-{i}")
        CancellationTier.objects.create(package=package, days_before=30, refund_percent=100)
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Free cancellation up to 14 days") == 10
    assert len(many) == len(few), [q["sql"] for q in many]


def test_offer_cards_carry_the_free_cancellation_days_in_a_fixed_number_of_queries(services):
    packages = [make_package(services=services, title=f"Offerta {i}", slug=f"o-{i}") for i in range(4)]
    CancellationTier.objects.create(package=packages[1], days_before=45, refund_percent=100)
    provider = PackageOfferProvider()
    with CaptureQueriesContext(connection) as one:
        provider.cards(ids=[packages[0].pk], language="en")
    cache.clear()
    with CaptureQueriesContext(connection) as four:
        cards = provider.cards(ids=[p.pk for p in packages], language="en")
    assert len(four) == len(one)
    assert cards[packages[0].pk].free_cancellation_days == 14
    assert cards[packages[1].pk].free_cancellation_days == 14  # the 100 % tier with the fewest days applies


def test_offer_card_on_a_destination_page_says_it(services):
    from django.template.loader import render_to_string

    package = make_package(services=services, title="Ville e vigne", slug="ville")
    card = PackageOfferProvider().cards(ids=[package.pk], language="en")[package.pk]
    with translation.override("en"):
        html = render_to_string("cms/includes/offer_card.html", {"card": card})
    assert FOURTEEN in html
    assert "€" in html and "€&nbsp;" not in html  # the site's one money format (|currency), not "€ 123"
