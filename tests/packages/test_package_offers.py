"""Packages in the destination pages: the cms's offer provider for packages."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.offers import offer_cards_for_area, offer_search
from packages.models import Package
from packages.offers import PackageOfferProvider
from packages.services import package_withdraw
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def test_cards_in_one_query_with_price_from_and_language(three_services):
    packages = [make_package(services=three_services, slug=f"p{i}", title=f"Vigne {i}") for i in range(4)]
    Package.objects.filter(pk=packages[0].pk).update(title_en="Vineyards 0")
    provider = PackageOfferProvider()
    provider.cards(ids=[packages[0].pk], language="en")  # warm per-process caches (content types)
    cache.clear()

    with CaptureQueriesContext(connection) as one:
        provider.cards(ids=[packages[0].pk], language="en")
    cache.clear()  # labels are cached: count the queries of a cold batch
    with CaptureQueriesContext(connection) as queries:
        cards = provider.cards(ids=[p.pk for p in packages], language="en")

    # the packages, one batch of labels (components, awards), one of cancellation tiers (free cancellation)
    assert len(queries) <= len(one) <= 4
    assert cards[packages[0].pk].title == "Vineyards 0"
    assert cards[packages[1].pk].title == "Vigne 1"  # falls back to Italian
    assert cards[packages[0].pk].price_from == packages[0].price_from
    assert cards[packages[0].pk].url == packages[0].product.get_absolute_url().replace("/it/", "/en/", 1)
    assert all(card.available for card in cards.values())

    package_withdraw(package=packages[0])
    assert not provider.cards(ids=[packages[0].pk], language="it")[packages[0].pk].available


def test_area_search_and_map(three_services):
    lucca = make_package(services=three_services, slug="lucca", title="Lucca in bici")
    Package.objects.filter(pk=lucca.pk).update(area="lucca")
    casentino = make_package(services=[priced_service(name="Foresta")], slug="foreste", title="Foreste sacre")
    Package.objects.filter(pk=casentino.pk).update(area="poppi")

    assert [c.title for c in offer_cards_for_area(area_code="casentino", language="it")] == ["Foreste sacre"]
    assert [c.title for c in offer_cards_for_area(area_code="lucca", language="it")] == ["Lucca in bici"]
    assert [c.title for c in offer_search(query="bici", language="it")] == ["Lucca in bici"]
    assert PackageOfferProvider().map_features(language="it") == []  # factory operators have no coordinates


def test_withdrawing_a_package_drops_it_from_cached_pages_at_once(
    client, three_services, settings, django_capture_on_commit_callbacks
):
    from tests.cms.factories import build_site, stream

    settings.CMS_PAGE_CACHE_SECONDS = 300
    site = build_site()
    with django_capture_on_commit_callbacks(execute=True):
        package = make_package(services=three_services, title="Ville e vino sulle colline")
    collection = site["collection"]
    collection.offers = stream(("offer", f"package:{package.pk}"))
    collection.save_revision().publish()
    assert "Ville e vino sulle colline" in client.get(collection.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Ville e vino sulle colline" in client.get(collection.url).content.decode()
    assert len(queries) == 0  # served from the page cache

    with django_capture_on_commit_callbacks(execute=True):
        package_withdraw(package=package)
    assert "Ville e vino sulle colline" not in client.get(collection.url).content.decode()
