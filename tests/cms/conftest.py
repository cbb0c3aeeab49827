import pytest

from cms.offers import register_offer_provider, unregister_offer_provider

from .factories import GroupOfferProvider, build_site


@pytest.fixture
def site_tree(db):
    return build_site()


@pytest.fixture
def offer_provider():
    provider = register_offer_provider(GroupOfferProvider())
    yield provider
    unregister_offer_provider(provider.key)
