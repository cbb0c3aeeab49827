"""The offer provider registry: cards come in order, one query per provider, unavailable offers drop out."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.offers import offer_cards_resolve, offer_choices, offer_refs_unavailable, register_offer_provider

from .factories import GroupOfferProvider, publish, stream


@pytest.mark.django_db
def test_cards_keep_the_editors_order_and_drop_unavailable_and_unknown(offer_provider):
    wine, withdrawn, walk = (Group.objects.create(name=n) for n in ("Wine weekend", "withdrawn villa", "Walk"))
    refs = [
        f"testgroup:{walk.pk}",
        f"testgroup:{withdrawn.pk}",
        "nosuchprovider:1",
        "garbage",
        f"testgroup:{wine.pk}",
        "testgroup:999999",
        f"testgroup:{walk.pk}",
    ]
    cards = offer_cards_resolve(refs=refs, language="it")
    assert [c.title for c in cards] == ["Walk", "Wine weekend"]
    assert cards[0].price_from == 120
    assert offer_refs_unavailable(refs=refs, language="it") == refs[1:4] + ["testgroup:999999"]


@pytest.mark.django_db
def test_one_provider_call_and_one_query_whatever_the_number_of_offers(offer_provider):
    groups = [Group.objects.create(name=f"Offer {i}") for i in range(40)]
    GroupOfferProvider.calls = 0
    with CaptureQueriesContext(connection) as few:
        offer_cards_resolve(refs=[f"testgroup:{g.pk}" for g in groups[:3]], language="it")
    with CaptureQueriesContext(connection) as many:
        offer_cards_resolve(refs=[f"testgroup:{g.pk}" for g in groups], language="it")
    assert GroupOfferProvider.calls == 2
    assert len(few) == len(many) == 1


@pytest.mark.django_db
def test_chooser_lists_every_providers_offers(offer_provider):
    group = Group.objects.create(name="Wine weekend")
    assert (f"testgroup:{group.pk}", "Test offer · Wine weekend") in offer_choices()


def test_provider_key_must_be_storable():
    provider = GroupOfferProvider()
    provider.key = "bad:key"
    with pytest.raises(ValueError):
        register_offer_provider(provider)


def _fill(collection, groups):
    collection.offers = stream(*[("offer", f"testgroup:{g.pk}") for g in groups])
    return publish(collection)


@pytest.mark.django_db
def test_collection_shows_live_cards_and_hides_a_withdrawn_offer(client, site_tree, offer_provider):
    wine = Group.objects.create(name="Wine weekend")
    villa = Group.objects.create(name="Villa dinner")
    collection = _fill(site_tree["collection"], [wine, villa])
    html = client.get(collection.url).content.decode()
    assert "Wine weekend" in html and "Villa dinner" in html and "Toscana Eco" in html
    villa.name = "withdrawn Villa dinner"  # the package app withdraws it: nobody edits the page
    villa.save()
    html = client.get(collection.url).content.decode()
    assert "Wine weekend" in html and "Villa dinner" not in html
    assert collection.unavailable_offer_refs() == [f"testgroup:{villa.pk}"]


@pytest.mark.django_db
def test_editors_are_told_about_unavailable_offers(client, site_tree, offer_provider):
    from tests.factories import UserFactory

    villa = Group.objects.create(name="withdrawn Villa dinner")
    collection = _fill(site_tree["collection"], [villa])
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/pages/{collection.pk}/edit/", follow=True)
    assert response.status_code == 200
    assert "withdrawn Villa dinner" in response.content.decode() or f"testgroup:{villa.pk}" in response.content.decode()


@pytest.mark.django_db
def test_collection_query_count_does_not_grow_with_offers(client, site_tree, offer_provider):
    groups = [Group.objects.create(name=f"Offer {i}") for i in range(60)]
    collection = _fill(site_tree["collection"], groups[:5])
    client.get(collection.url)  # warm Wagtail's per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(collection.url).status_code == 200
    collection = _fill(collection, groups)
    client.get(collection.url)
    with CaptureQueriesContext(connection) as many:
        html = client.get(collection.url).content.decode()
    assert "Offer 0<" in html and "Offer 59<" not in html  # 24 offers a page
    assert len(many) == len(few), "\n".join(q["sql"][:150] for q in many.captured_queries)
    last = client.get(collection.url, {"page": 3}).content.decode()
    assert "Offer 59<" in last and "Offer 0<" not in last


@pytest.mark.django_db
def test_area_page_shows_the_offers_located_in_it(client, site_tree, offer_provider):
    Group.objects.create(name="lucca Bike tour")
    Group.objects.create(name="casentino Forest walk")
    html = client.get(site_tree["area"].url).content.decode()
    assert "lucca Bike tour" in html and "Forest walk" not in html
