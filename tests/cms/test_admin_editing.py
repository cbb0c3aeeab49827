"""Editors can open the add and edit forms of every page type (panels, blocks and the offer chooser)."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

CHILDREN = {
    "areas": ["areapage"],
    "area": ["pointofinterestpage"],
    "itineraries": ["itinerarypage"],
    "events": ["eventpage"],
    "collections": ["collectionpage"],
    "articles": ["articlepage"],
    "offices": ["touristofficepage"],
}


@pytest.fixture
def editor_client(client, site_tree):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key", ["home", "areas", "area", "poi", "itinerary", "event", "collection", "article", "office"]
)
def test_edit_form_opens(editor_client, site_tree, key, offer_provider):
    Group.objects.create(name="Wine weekend")
    response = editor_client.get(f"/admin/pages/{site_tree[key].pk}/edit/")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("parent", "model"), [(p, m) for p, models in CHILDREN.items() for m in models])
def test_add_form_opens_where_the_type_is_allowed(editor_client, site_tree, parent, model):
    response = editor_client.get(f"/admin/pages/add/cms/{model}/{site_tree[parent].pk}/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_collection_offer_chooser_lists_registered_offers(editor_client, site_tree, offer_provider):
    """A provider without `chooser_rows` is listed from its `choices()` (tests/staff: the real ones)."""
    group = Group.objects.create(name="Wine weekend")
    html = editor_client.get(f"/admin/pages/{site_tree['collection'].pk}/edit/").content.decode()
    assert "/admin/offer-chooser/" in html
    chooser = editor_client.get("/admin/offer-chooser/", {"q": "wine"}).json()["html"]
    assert f"/admin/offer-chooser/chosen/testgroup_3A{group.pk}/" in chooser and "Wine weekend" in chooser
