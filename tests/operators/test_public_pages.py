"""The public pages of operators and services (/<lang>/local/…): what tourists may see, and only that."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from certifications.models import Scheme
from certifications.services import award_grant, award_revoke
from marketplace.core.roles import Role
from operators.models import Operator
from operators.services import operator_set_status
from tests.factories import UserFactory

from .conftest import public_operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


def scheme(name, slug):
    return Scheme.objects.create(
        name=name, slug=slug, issuer="Regione Toscana", awardable_to=["operators.operator", "operators.service"],
        expires=True, validity_months=12, verified_by=Scheme.Verifier.DMC,
    )  # fmt: skip


def operator_url(operator, language="it"):
    with translation.override(language):
        return reverse("operators-public:operator", kwargs={"slug": operator.slug})


def service_url(service, language="it"):
    with translation.override(language):
        return reverse("operators-public:service", kwargs={"slug": service.operator.slug, "pk": service.pk})


def json_ld_of(response) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return [json.loads(block) for block in blocks]


def test_operator_page_shows_the_operator_its_services_prices_and_dates_in_the_visitors_language(client):
    operator, services = public_operator(name="Fattoria Le Pizzorne", services=2, photos=2)
    response = client.get(operator_url(operator, "en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fattoria Le Pizzorne" in html and "Oil and wine on the Lucca hills." in html
    assert "Tasting 0" in html and "Tasting 1" in html
    assert "€30.00" in html and "€31.00" in html  # one adult on the first bookable day (the site's money format)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert f'datetime="{tomorrow:%Y-%m-%d}"' in html
    assert html.count("op-gallery__item") == 2
    assert 'id="operator-map"' in html and "operator-map-data" in html  # cms's Leaflet include
    assert service_url(services[0], "en") in html


def test_texts_fall_back_to_italian_when_the_english_one_is_missing(client):
    operator, _ = public_operator(services=1)
    Operator.objects.filter(pk=operator.pk).update(description_en="")
    html = client.get(operator_url(operator, "en")).content.decode()
    assert "Olio e vino sulle colline di Lucca." in html


def test_service_page_shows_price_dates_and_its_operator(client):
    operator, (service,) = public_operator(name="Fattoria Le Pizzorne", services=1)
    response = client.get(service_url(service))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Degustazione 0" in html and "Fattoria Le Pizzorne" in html and "30,00\xa0€" in html
    (product,) = [d for d in json_ld_of(response) if d.get("@type") == "Product"]
    assert product["offers"]["price"] == "30.00" and product["offers"]["priceCurrency"] == "EUR"


@pytest.mark.parametrize("status", [Operator.Status.PENDING, Operator.Status.SUSPENDED, Operator.Status.REJECTED])
def test_operators_not_approved_are_not_found(client, status):
    operator, (service,) = public_operator(services=1, status=status)
    assert client.get(operator_url(operator)).status_code == 404
    assert client.get(service_url(service)).status_code == 404


def test_an_operator_suspended_after_approval_disappears(client, staff):
    operator, (service,) = public_operator(services=1)
    assert client.get(operator_url(operator)).status_code == 200
    operator_set_status(operator=operator, status=Operator.Status.SUSPENDED, reason="Controlli", by=staff)
    assert client.get(operator_url(operator)).status_code == 404
    assert client.get(service_url(service)).status_code == 404


def test_inactive_services_are_not_found_nor_listed(client):
    operator, (active, inactive) = public_operator(services=2)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    assert client.get(service_url(inactive)).status_code == 404
    html = client.get(operator_url(operator)).content.decode()
    assert active.name in html and inactive.name not in html


def test_a_service_is_found_only_under_its_own_operator(client):
    operator, (service,) = public_operator(services=1)
    other, _ = public_operator(name="Altro", services=0)
    url = reverse("operators-public:service", kwargs={"slug": other.slug, "pk": service.pk})
    assert client.get(url).status_code == 404


def test_only_verified_unexpired_labels_are_shown_and_in_json_ld(client, staff):
    operator, (service,) = public_operator(name="Fattoria Le Pizzorne", services=1)
    today = timezone.localdate()
    award_grant(scheme=scheme("Ecolabel UE", "ecolabel"), subject=operator, user=staff)
    award_grant(scheme=scheme("Bike Friendly", "bike"), subject=service, user=staff)
    revoked = award_grant(scheme=scheme("Marchio Revocato", "revoked"), subject=operator, user=staff)
    award_revoke(award=revoked, user=staff, reason="Requisiti persi")
    award_grant(
        scheme=scheme("Marchio Scaduto", "expired"), subject=operator, user=staff,
        awarded_on=today - dt.timedelta(days=400), expires_on=today,
    )  # fmt: skip
    future = award_grant(scheme=scheme("Marchio Futuro", "future"), subject=operator, user=staff,
                         awarded_on=today + dt.timedelta(days=3))  # fmt: skip
    assert future.status == "verified"

    response = client.get(operator_url(operator))
    html = response.content.decode()
    assert "Ecolabel UE" in html and "Bike Friendly" in html
    for hidden in ("Marchio Revocato", "Marchio Scaduto", "Marchio Futuro"):
        assert hidden not in html
    (business,) = [d for d in json_ld_of(response) if d.get("@type") == "LodgingBusiness"]
    assert [c["name"] for c in business["hasCertification"]] == ["Ecolabel UE"]
    assert business["address"]["addressLocality"] == "Capannori"
    assert business["geo"] == {"@type": "GeoCoordinates", "latitude": 43.881, "longitude": 10.573}
    assert {offer["name"] for offer in business["makesOffer"]} == {service.name}


def _count_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_services_photos_or_labels(client, staff, django_assert_max_num_queries):
    small, small_services = public_operator(name="Piccolo", services=1, photos=1)
    big, big_services = public_operator(name="Grande", services=8, photos=6)
    label = scheme("Ecolabel UE", "ecolabel")
    for service in [*small_services, *big_services]:
        award_grant(scheme=label, subject=service, user=staff)
    baseline = _count_queries(client, operator_url(small))
    cache.clear()
    with django_assert_max_num_queries(baseline):
        response = client.get(operator_url(big))
    assert response.content.decode().count('class="op-service"') == 8
    cache.clear()
    with django_assert_max_num_queries(_count_queries(client, service_url(small_services[0]))):
        client.get(service_url(big_services[0]))


def test_an_operator_without_photos_coordinates_or_services_still_has_a_page(client):
    operator, _ = public_operator(name="Bottega Nuova", services=0, photos=0, latitude=None, longitude=None)
    response = client.get(operator_url(operator))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bottega Nuova" in html and 'id="operator-map"' not in html and "op-gallery" not in html
    (business,) = [d for d in json_ld_of(response) if d.get("name") == "Bottega Nuova"]
    assert "geo" not in business and "makesOffer" not in business and "hasCertification" not in business
