"""Operators and services as offers of the destination pages (operators/offers.py via cms/offers.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.models import Scheme
from certifications.services import award_grant
from cms.offers import (
    offer_cards_for_area,
    offer_cards_resolve,
    offer_map_features,
    offer_providers,
    offer_refs_unavailable,
    offer_search,
)
from marketplace.core.roles import Role
from operators.models import Operator
from operators.offers import OperatorOfferProvider, ServiceOfferProvider
from operators.services import operator_set_status
from tests.cms.factories import build_site, stream
from tests.factories import UserFactory

from .conftest import public_operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def ecolabel():
    return Scheme.objects.create(
        name="Ecolabel UE", slug="ecolabel", issuer="Commissione europea",
        awardable_to=["operators.operator", "operators.service"], expires=True, validity_months=12,
    )  # fmt: skip


def test_operators_registers_its_providers_with_the_cms():
    keys = {provider.key for provider in offer_providers()}
    assert {"service", "operator"} <= keys


def _cards_queries(ids) -> tuple[int, dict]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        cards = ServiceOfferProvider().cards(ids=ids, language="en")
    return len(queries), cards


def test_service_cards_have_price_labels_and_link_in_a_fixed_number_of_queries(client, staff, ecolabel):
    operator, few = public_operator(name="Fattoria Le Pizzorne", services=2)
    _other, many = public_operator(name="Tenuta Grande", services=10, municipality="lucca")
    award_grant(scheme=ecolabel, subject=operator, user=staff)
    few_queries, cards = _cards_queries([s.pk for s in few])
    many_queries, many_cards = _cards_queries([s.pk for s in [*few, *many]])
    assert len(many_cards) == 12
    # services, slots, rates, and the labels of each subject model (+ content types the first time)
    assert many_queries <= few_queries <= 6

    card = cards[few[0].pk]
    assert card.key == f"service:{few[0].pk}" and card.title == "Tasting 0" and card.available
    assert str(card.price_from) == "30.00" and card.currency == "EUR"
    assert [label.name for label in card.labels] == ["Ecolabel UE"]  # the operator's label, on its services
    assert "Fattoria Le Pizzorne" in card.kind and card.image_url.endswith(".png")
    assert client.get(card.url).status_code == 200 and card.url.startswith("/en/local/")


def test_unavailable_services_come_back_unavailable(staff):
    operator, (active, inactive) = public_operator(services=2)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    suspended, (suspended_service,) = public_operator(name="Sospeso", services=1, status=Operator.Status.SUSPENDED)
    pending, (pending_service,) = public_operator(name="In attesa", services=1, status=Operator.Status.PENDING)
    ids = [active.pk, inactive.pk, suspended_service.pk, pending_service.pk]
    cards = ServiceOfferProvider().cards(ids=ids, language="it")
    assert {pk: card.available for pk, card in cards.items()} == {
        active.pk: True, inactive.pk: False, suspended_service.pk: False, pending_service.pk: False,
    }  # fmt: skip
    operator_cards = OperatorOfferProvider().cards(ids=[operator.pk, suspended.pk], language="it")
    assert operator_cards[operator.pk].available and not operator_cards[suspended.pk].available
    assert str(operator_cards[operator.pk].price_from) == "30.00"  # its cheapest service
    assert {pk for pk, _ in ServiceOfferProvider().choices()} == {active.pk}


def test_area_cards_map_municipalities_to_area_codes_two_services_per_operator():
    _lucca, lucca_services = public_operator(name="Hotel in Lucca", municipality="lucca", services=3)
    _capannori, capannori_services = public_operator(name="Villa a Capannori", municipality="capannori", services=1)
    _poppi, poppi_services = public_operator(name="Agriturismo a Poppi", municipality="poppi", services=1)
    _stia, stia_services = public_operator(name="Guide a Stia", municipality="pratovecchio-stia", services=1)
    provider = ServiceOfferProvider()

    lucca = provider.cards_for_area(area_code="lucca", language="it")
    assert [c.key for c in lucca] == [f"service:{s.pk}" for s in lucca_services[:2]]
    casentino = {c.key for c in provider.cards_for_area(area_code="casentino", language="it")}
    assert casentino == {f"service:{poppi_services[0].pk}", f"service:{stia_services[0].pk}"}
    assert provider.cards_for_area(area_code="garfagnana", language="it") == []
    piana = {c.key for c in provider.cards_for_area(area_code="piana-di-lucca", language="it")}
    assert piana == {f"service:{s.pk}" for s in [*lucca_services[:2], *capannori_services]}
    assert {c.key for c in offer_cards_for_area(area_code="capannori", language="it")} == {
        f"service:{capannori_services[0].pk}"
    }


def test_map_features_place_approved_operators_with_coordinates():
    shown, _ = public_operator(name="Con coordinate", municipality="poppi", services=0)
    public_operator(name="Senza coordinate", services=0, latitude=None, longitude=None)
    public_operator(name="Sospeso", services=0, status=Operator.Status.SUSPENDED)
    features = [f for f in offer_map_features(language="it") if f.kind == "operator"]
    assert [(f.title, f.lat, f.properties["area_code"]) for f in features] == [("Con coordinate", 43.881, "casentino")]
    assert features[0].url == f"/it/local/{shown.slug}/"


def test_search_finds_services_by_their_name_description_or_operator_in_any_language():
    public_operator(name="Fattoria Le Pizzorne", municipality="capannori", services=1)
    _, (lucca_service,) = public_operator(name="Bici sulle Mura", municipality="lucca", services=1)
    public_operator(name="Sospeso Pizzorne", services=1, status=Operator.Status.SUSPENDED)
    assert [c.title for c in offer_search(query="pizzorne", language="en")] == ["Tasting 0"]
    assert [c.title for c in offer_search(query="Mura", language="it", area_code="lucca")] == [lucca_service.name_it]
    assert offer_search(query="Mura", language="it", area_code="casentino") == []
    assert offer_search(query="tasting", language="en", area_code="lucca")[0].key == f"service:{lucca_service.pk}"


def test_an_area_page_shows_its_operators_services(client, staff, ecolabel):
    site = build_site()
    operator, (service,) = public_operator(name="Bici sulle Mura", municipality="lucca", services=1)
    award_grant(scheme=ecolabel, subject=service, user=staff)
    public_operator(name="Agriturismo a Poppi", municipality="poppi", services=1)
    html = client.get(site["area"].url).content.decode()
    assert "Bici sulle Mura" in html and f"/it/local/{operator.slug}/{service.pk}/" in html
    assert "Ecolabel UE" in html and "30" in html
    assert "Agriturismo a Poppi" not in html


def test_a_collection_drops_a_service_whose_operator_gets_suspended(client, staff):
    site = build_site()
    operator, (service,) = public_operator(name="Bici sulle Mura", municipality="lucca", services=1)
    _, (other,) = public_operator(name="Cantina di Matraia", services=1)
    collection = site["collection"]
    collection.offers = stream(("offer", f"service:{service.pk}"), ("offer", f"service:{other.pk}"))
    collection.save_revision().publish()
    html = client.get(collection.url).content.decode()
    assert "Bici sulle Mura" in html and "Cantina di Matraia" in html

    operator_set_status(operator=operator, status=Operator.Status.SUSPENDED, reason="Controlli", by=staff)
    html = client.get(collection.url).content.decode()
    assert "Bici sulle Mura" not in html and "Cantina di Matraia" in html
    refs = [f"service:{service.pk}", f"service:{other.pk}"]
    assert [c.key for c in offer_cards_resolve(refs=refs, language="it")] == [f"service:{other.pk}"]
    assert offer_refs_unavailable(refs=refs, language="it") == [f"service:{service.pk}"]


def test_suspending_an_operator_drops_its_services_from_cached_pages_at_once(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.CMS_PAGE_CACHE_SECONDS = 300
    site = build_site()
    operator, (service,) = public_operator(name="Bici sulle Mura", municipality="lucca", services=1)
    collection = site["collection"]
    collection.offers = stream(("offer", f"service:{service.pk}"))
    collection.save_revision().publish()
    assert "Bici sulle Mura" in client.get(collection.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Bici sulle Mura" in client.get(collection.url).content.decode()
    assert len(queries) == 0  # served from the page cache

    with django_capture_on_commit_callbacks(execute=True):
        operator_set_status(operator=operator, status=Operator.Status.SUSPENDED, reason="Controlli", by=staff)
    assert "Bici sulle Mura" not in client.get(collection.url).content.decode()


def test_area_cards_leave_a_third_of_the_page_to_other_providers():
    for index in range(12):
        public_operator(name=f"Operatore {index}", municipality="lucca", services=2)
    assert len(ServiceOfferProvider().cards_for_area(area_code="lucca", language="it", limit=12)) == 8
