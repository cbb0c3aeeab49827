"""The offer chooser of collections (cms/offer_chooser.py), through its URLs as the modal calls them:
search and filters (type, area, kind, label, for sale), the chosen step, the page editor's widget, saving a
collection with chosen offers, and who may open it."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from certifications.services import award_grant
from cms.models import CollectionPage
from marketplace.core.roles import role_groups_sync
from operators.models import Operator, Service
from tests.certifications.factories import SchemeFactory
from tests.cms.factories import build_site, stream
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory, OperatorFactory
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(staff_user):
    """A winery in Capannori (Piana di Lucca) with a certified tasting, a guide in Poppi (Casentino) with a
    walk, and a package of the two; a draft package that is not for sale."""
    winery = OperatorFactory(name="Fattoria Colle Verde", kind=Operator.Kind.WINERY, municipality="capannori")
    guide = OperatorFactory(name="Guide del Casentino", kind=Operator.Kind.GUIDE, municipality="poppi")
    tasting = priced_service(operator=winery, name="Degustazione in cantina", kind=Service.Kind.EXPERIENCE)
    walk = priced_service(operator=guide, name="Passeggiata nella foresta", kind=Service.Kind.EXPERIENCE)
    scheme = SchemeFactory(name="Vetrina Toscana", slug="vetrina-toscana")
    award_grant(scheme=scheme, subject=winery, user=staff_user)
    package = make_package(services=[tasting, walk], title="Vigne e foreste")
    draft = make_package(services=[walk], title="Bozza nel bosco", publish=False)
    return {"tasting": tasting, "walk": walk, "winery": winery, "package": package, "draft": draft}


@pytest.fixture
def collection(db):
    """The test site's collection. `build_site` may create the root page (a transactional test flushed
    the database before): the staff's page rights, given on the root, are synced after it."""
    page = build_site()["collection"].specific
    role_groups_sync()
    return page


def _choose(client, **params) -> str:
    response = client.get(reverse("offer_chooser:choose"), params)
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def _results(client, **params) -> str:
    response = client.get(reverse("offer_chooser:choose_results"), params)
    assert response.status_code == 200
    return response.content.decode()


def _keys(html: str) -> set[str]:
    """The offers listed, by the reference in each row's "chosen" link (Wagtail quotes ':' as '_3A')."""
    return {key.replace("_3A", ":") for key in re.findall(r"/offer-chooser/chosen/([^/]+)/", html)}


def test_the_chooser_lists_every_offer_with_its_filters(staff_client, offers):
    html = _choose(staff_client)
    p, t, w, o = offers["package"], offers["tasting"], offers["walk"], offers["winery"]
    assert {f"package:{p.pk}", f"service:{t.pk}", f"service:{w.pk}", f"operator:{o.pk}"} <= _keys(html)
    for name in ("q", "provider", "area", "kind", "label", "sellable"):
        assert f'name="{name}"' in html
    assert "Vetrina Toscana" in html and "Casentino" in html and "Winery" in html
    assert "not for sale" in html  # the draft


def test_search_and_filters_narrow_the_list(staff_client, offers):
    p, t, w, o = offers["package"], offers["tasting"], offers["walk"], offers["winery"]
    assert _keys(_results(staff_client, q="foresta")) == {f"service:{w.pk}"}
    assert _keys(_results(staff_client, q="vigne")) == {f"package:{p.pk}"}
    assert _keys(_results(staff_client, provider="package", sellable="on")) == {f"package:{p.pk}"}
    assert f"package:{offers['draft'].pk}" in _keys(_results(staff_client, provider="package"))
    assert _keys(_results(staff_client, area="casentino", provider="service")) == {f"service:{w.pk}"}
    assert _keys(_results(staff_client, kind="winery")) == {f"operator:{o.pk}"}
    assert _keys(_results(staff_client, label="vetrina-toscana", provider="service")) == {f"service:{t.pk}"}
    assert _keys(_results(staff_client, label="vetrina-toscana", area="poppi")) == set()


def test_choosing_answers_the_reference_and_a_title(staff_client, offers):
    package = offers["package"]
    response = staff_client.get(reverse("offer_chooser:chosen", args=[f"package_3A{package.pk}"]))
    result = json.loads(response.content)
    assert result["step"] == "chosen"
    assert result["result"]["id"] == f"package:{package.pk}" and "Vigne e foreste" in result["result"]["title"]
    for missing in ("package_3A999999", "nonsense"):  # (a 404 under /admin/ is sent on to /it/admin/, then 404)
        assert staff_client.get(reverse("offer_chooser:chosen", args=[missing]), follow=True).status_code == 404


def test_a_collection_saved_before_opens_with_its_offers_in_the_chooser_widget(staff_client, offers, collection):
    collection.offers = stream(("offer", f"package:{offers['package'].pk}"), ("offer", "service:999999"))
    collection.save_revision().publish()
    html = staff_client.get(reverse("wagtailadmin_pages:edit", args=[collection.pk])).content.decode()
    assert reverse("offer_chooser:choose") in html
    assert "Vigne e foreste" in html and "Offer no longer available (service:999999)" in html


def test_staff_save_a_collection_with_chosen_offers(staff_client, offers, collection):
    tasting, package = offers["tasting"], offers["package"]
    data = nested_form_data(
        {
            "title": collection.title,
            "slug": collection.slug,
            "intro": rich_text("<p>Vino e boschi</p>"),
            "offers": streamfield([("offer", f"service:{tasting.pk}"), ("offer", f"package:{package.pk}")]),
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = staff_client.post(reverse("wagtailadmin_pages:edit", args=[collection.pk]), data)
    assert response.status_code == 302, re.findall(r'class="error-message">(.*?)<', response.content.decode(), re.S)
    saved = CollectionPage.objects.get(pk=collection.pk)
    assert saved.offer_refs() == [f"service:{tasting.pk}", f"package:{package.pk}"]


def test_a_typed_reference_that_is_not_an_offer_is_a_field_error(staff_client, offers, collection):
    data = nested_form_data(
        {
            "title": collection.title,
            "slug": collection.slug,
            "intro": rich_text("<p>x</p>"),
            "offers": streamfield([("offer", "not an offer")]),
            "body": streamfield([]),
        }
    )
    response = staff_client.post(reverse("wagtailadmin_pages:edit", args=[collection.pk]), data)
    assert response.status_code == 200
    assert CollectionPage.objects.get(pk=collection.pk).offer_refs() != ["not an offer"]


@pytest.mark.parametrize("make_user", [lambda: MembershipFactory().user, UserFactory], ids=["operator", "tourist"])
def test_operators_and_tourists_cannot_open_the_chooser(client, offers, make_user):
    client.force_login(make_user())
    for url in (reverse("offer_chooser:choose"), reverse("offer_chooser:choose_results"),
                reverse("offer_chooser:chosen", args=[f"package_3A{offers['package'].pk}"])):  # fmt: skip
        response = client.get(url)
        assert response.status_code in (302, 403) and "Vigne e foreste" not in response.content.decode()
