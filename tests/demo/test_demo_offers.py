"""The loaded demo has something to book: every published collection shows live offers, in both
languages, and the home page shows bookable offers (it used to say "offers are being prepared")."""

import re

import pytest

from cms.models import CollectionPage

pytestmark = pytest.mark.django_db

OFFER_CARD = re.compile(
    r'<article class="card cms-card cms-offer[^"]*">.*?<a class="stretched-link" href="([^"]+)"', re.S
)


def _offer_links(html: str) -> list[str]:
    return OFFER_CARD.findall(html)


def test_every_published_collection_of_the_demo_shows_offers_and_the_home_page_offers_to_book(client):
    collections = CollectionPage.objects.live()
    assert collections.count() == 10  # 5 collections, in Italian and English
    empty = []
    for collection in collections:
        response = client.get(collection.url)
        assert response.status_code == 200, collection.url
        links = _offer_links(response.content.decode())
        if not links:
            empty.append(collection.url)
        assert "being prepared" not in response.content.decode()
    assert empty == []

    for home in ("/it/", "/en/"):
        links = _offer_links(client.get(home).content.decode())
        assert len(links) >= 3, home
        booking_page = client.get(links[0])
        assert booking_page.status_code == 200  # a live offer's page: the package calendar or the service
