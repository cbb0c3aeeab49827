"""The shop's package catalogue (/<lang>/shop/catalogue/), labels on package pages, cards and search.

Packages are built on real services with rates and slots; labels come from real awards granted by
staff, so the badges, the filter and the JSON-LD are all read through certifications' selectors.
"""

import datetime as dt
import json
import re

import pytest
from django.urls import resolve, reverse
from django.utils import timezone, translation
from oscar.templatetags.currency_filters import currency

from certifications.services import award_grant
from packages.models import Package, Theme
from packages.offers import PackageOfferProvider
from packages.services import package_withdraw
from packages.views import PackageCatalogueView
from tests.certifications.factories import SchemeFactory
from tests.factories import UserFactory
from tests.packages.factories import make_package, priced_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True, email="staff@terredilucca.example")


@pytest.fixture
def grant(staff):
    def _grant(scheme, subject, **kwargs):
        kwargs.setdefault("awarded_on", timezone.localdate() - dt.timedelta(days=30))
        return award_grant(scheme=scheme, subject=subject, user=staff, **kwargs)

    return _grant


@pytest.fixture
def ecolabel(db):
    return SchemeFactory(name="Toscana Ecoefficiente", slug="toscana-eco", issuer="Regione Toscana")


@pytest.fixture
def shop(db):
    """Demo-like packages: a wine weekend in Capannori, a Francigena walk from Altopascio, a Casentino week."""
    villa = priced_service(name="Notte in villa", adult="90.00", child="45.00")
    wine = priced_service(name="Degustazione Montecarlo DOC", adult="30.00", child="10.00")
    walk = priced_service(name="Guida sulla Via Francigena", adult="25.00", child=None)
    forest = priced_service(name="Foreste Casentinesi con guida", adult="40.00", child="20.00")
    weekend = make_package(services=[villa, wine], title="Ville e vino nelle colline lucchesi", slug="ville-vino")
    francigena = make_package(services=[walk], title="La Via Francigena da Altopascio", slug="francigena")
    casentino = make_package(services=[forest, villa], title="Foreste e monasteri del Casentino", slug="casentino")
    Package.objects.filter(pk=weekend.pk).update(area="capannori", themes="wine,heritage", duration_days=2)
    Package.objects.filter(pk=francigena.pk).update(area="altopascio", themes="walking", duration_days=1)
    Package.objects.filter(pk=casentino.pk).update(area="poppi", themes="nature,spirituality", duration_days=6)
    for package in (weekend, francigena, casentino):
        package.refresh_from_db()
    return {"weekend": weekend, "francigena": francigena, "casentino": casentino, "villa": villa, "wine": wine,
            "walk": walk, "forest": forest}  # fmt: skip


def _titles(response) -> list[str]:
    return [package.title for package in response.context["packages"]]


def _price_text(package) -> str:
    with translation.override("it"):
        return str(currency(package.price_from))


def test_catalogue_replaces_oscars_listing_at_the_same_url(client, shop):
    url = reverse("catalogue:index")
    assert url == "/it/shop/catalogue/"
    assert resolve(url).func.view_class is PackageCatalogueView

    response = client.get(url)

    assert response.status_code == 200
    assert sorted(_titles(response)) == sorted(
        p.title for p in (shop["weekend"], shop["francigena"], shop["casentino"])
    )
    html = response.content.decode()
    weekend = shop["weekend"]
    assert weekend.get_absolute_url() in html
    with translation.override("it"):
        assert "Capannori" in html and str(Theme.WINE.label) in html


def test_card_shows_the_same_from_price_as_the_package_page(client, shop):
    weekend = shop["weekend"]
    price = _price_text(weekend)
    assert price in client.get(reverse("catalogue:index")).content.decode()
    assert price in client.get(weekend.get_absolute_url()).content.decode()


def test_titles_in_the_visitors_language_with_italian_fallback(client, shop):
    Package.objects.filter(pk=shop["weekend"].pk).update(title_en="Villas and wine in the Lucca hills")
    response = client.get("/en/shop/catalogue/")
    titles = _titles(response)
    assert "Villas and wine in the Lucca hills" in titles
    assert "La Via Francigena da Altopascio" in titles  # no English title yet: the Italian one


def test_withdrawn_and_draft_packages_never_listed(client, shop):
    package_withdraw(package=shop["francigena"])
    make_package(services=[shop["walk"]], title="Bozza non pubblicata", slug="bozza", publish=False)
    titles = _titles(client.get(reverse("catalogue:index")))
    assert "La Via Francigena da Altopascio" not in titles
    assert "Bozza non pubblicata" not in titles
    assert len(titles) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"area": "capannori"}, {"ville-vino"}),
        ({"area": "casentino"}, {"casentino"}),
        ({"area": "piana-di-lucca"}, {"ville-vino", "francigena"}),
        ({"theme": "walking"}, {"francigena"}),
        ({"theme": "wine"}, {"ville-vino"}),
        ({"duration": "1"}, {"francigena"}),
        ({"duration": "2-3"}, {"ville-vino"}),
        ({"duration": "4+"}, {"casentino"}),
        ({"theme": "nature", "duration": "1"}, set()),
    ],
)
def test_filters(client, shop, query, expected):
    response = client.get(reverse("catalogue:index"), query)
    assert {p.slug for p in response.context["packages"]} == expected


def test_max_price_filter_and_bad_input_is_a_field_error(client, shop):
    cheapest = min((shop["weekend"], shop["francigena"], shop["casentino"]), key=lambda p: p.price_from)
    response = client.get(reverse("catalogue:index"), {"max_price": int(cheapest.price_from) + 1})
    assert [p.slug for p in response.context["packages"]] == [cheapest.slug]

    response = client.get(reverse("catalogue:index"), {"max_price": "cheap", "theme": "nope", "area": "capannori"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"max_price", "theme"}
    assert [p.slug for p in response.context["packages"]] == ["ville-vino"]  # the valid filter still applies


def test_label_filter_agrees_with_the_badges(client, shop, ecolabel, grant, staff):
    # weekend: both services' operators certified -> derived label
    grant(ecolabel, shop["villa"].operator)
    grant(ecolabel, shop["wine"])
    # casentino: only the villa holds it, the forest guide does not -> no label
    # francigena: awarded directly by the DMC
    grant(ecolabel, shop["francigena"])

    everything = client.get(reverse("catalogue:index"))
    with_badge = {p.slug for p in everything.context["packages"] if everything.context["labels"][p.pk]}
    filtered = client.get(reverse("catalogue:index"), {"label": "toscana-eco"})

    assert with_badge == {"ville-vino", "francigena"}
    assert {p.slug for p in filtered.context["packages"]} == with_badge
    html = filtered.content.decode()
    assert html.count('class="cert-label__name"') == 2
    assert "Toscana Ecoefficiente" in html

    # one component's award lapses (revoked): the weekend loses the label, in the badges and the filter
    from certifications.services import award_revoke

    award_revoke(award=_award_of(shop["wine"]), user=staff, reason="Controllo non superato")
    filtered = client.get(reverse("catalogue:index"), {"label": "toscana-eco"})
    assert {p.slug for p in filtered.context["packages"]} == {"francigena"}
    everything = client.get(reverse("catalogue:index"))
    assert {p.slug for p in everything.context["packages"] if everything.context["labels"][p.pk]} == {"francigena"}


def _award_of(subject):
    from django.contrib.contenttypes.models import ContentType

    from certifications.models import Award

    return Award.objects.get(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


def _json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(block) for block in blocks]


def test_package_page_shows_labels_and_json_ld_with_offer_and_certification(client, shop, ecolabel, grant):
    weekend = shop["weekend"]
    award = grant(ecolabel, weekend)

    html = client.get(weekend.get_absolute_url()).content.decode()

    assert "Toscana Ecoefficiente" in html
    assert award.get_absolute_url() in html
    trip = next(item for item in _json_ld(html) if "TouristTrip" in item.get("@type", []))
    assert trip["@type"] == ["TouristTrip", "Product"]
    assert trip["name"] == weekend.title
    assert trip["offers"]["price"] == f"{weekend.price_from:.2f}"
    assert trip["offers"]["priceCurrency"] == "EUR"
    assert trip["offers"]["availability"] == "https://schema.org/InStock"
    assert trip["award"] == ["Toscana Ecoefficiente"]
    assert trip["hasCertification"][0]["issuedBy"]["name"] == "Regione Toscana"


def test_expired_award_badge_is_gone_everywhere(client, shop, ecolabel, grant):
    today = timezone.localdate()
    valid = SchemeFactory(name="Vetrina Toscana", slug="vetrina-toscana")
    weekend = shop["weekend"]
    grant(valid, weekend)
    grant(ecolabel, weekend, awarded_on=today - dt.timedelta(days=365), expires_on=today)  # gone today

    catalogue = client.get(reverse("catalogue:index")).content.decode()
    page = client.get(weekend.get_absolute_url()).content.decode()
    card = PackageOfferProvider().cards(ids=[weekend.pk], language="it")[weekend.pk]
    trip = next(item for item in _json_ld(page) if "TouristTrip" in item.get("@type", []))

    for html in (catalogue, page):
        assert "Vetrina Toscana" in html
        assert "Toscana Ecoefficiente" not in html
    assert [label.name for label in card.labels] == ["Vetrina Toscana"]
    assert trip["award"] == ["Vetrina Toscana"]
    assert client.get(reverse("catalogue:index"), {"label": "toscana-eco"}).context["packages"] == []


def test_offer_cards_carry_labels_in_a_fixed_number_of_queries(shop, ecolabel, grant, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grant(ecolabel, shop["walk"])
    provider = PackageOfferProvider()
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        provider.cards(ids=[shop["francigena"].pk], language="it")
    cache.clear()
    ids = [shop[key].pk for key in ("weekend", "francigena", "casentino")]
    with django_assert_max_num_queries(len(one)):
        cards = provider.cards(ids=ids, language="it")

    card = cards[shop["francigena"].pk]
    assert [(label.name, label.slug) for label in card.labels] == [("Toscana Ecoefficiente", "toscana-eco")]
    with translation.override("it"):  # derived from the walk's award: links to the scheme's page
        assert card.labels[0].url == ecolabel.get_absolute_url()
    assert cards[shop["weekend"].pk].labels == ()


def test_search_filters_offers_by_label(client, shop, ecolabel, grant):
    grant(ecolabel, shop["francigena"])
    Package.objects.filter(pk=shop["weekend"].pk).update(title_it="Ville e vino sulla Francigena")

    response = client.get("/it/search/", {"q": "Francigena"})
    # Operators' services named after the route match too; this test is about packages.
    assert {card.key for card in response.context["offers"] if card.key.startswith("package:")} == {
        f"package:{shop['francigena'].pk}",
        f"package:{shop['weekend'].pk}",
    }
    response = client.get("/it/search/", {"q": "Francigena", "label": "toscana-eco"})
    assert [card.key for card in response.context["offers"]] == [f"package:{shop['francigena'].pk}"]


def test_query_count_does_not_grow_with_the_catalogue(client, ecolabel, grant, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services = [priced_service(name="Notte", days=5), priced_service(name="Cena", days=5)]
    for service in services:
        grant(ecolabel, service)
    query = {"label": "toscana-eco", "sort": "price"}
    for i in range(3):
        make_package(services=services, title=f"Pacchetto {i}", slug=f"pacchetto-q-{i}")
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("catalogue:index"), query).status_code == 200

    for i in range(3, 30):
        make_package(services=services, title=f"Pacchetto {i}", slug=f"pacchetto-q-{i}")
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("catalogue:index"), query)
    assert response.context["paginator"].count == 30
    assert len(response.context["packages"]) == 12


def test_collection_page_filters_its_offers_by_label(client, shop, ecolabel, grant):
    from tests.cms.factories import build_site

    grant(ecolabel, shop["francigena"])
    collection = build_site()["collection"]
    collection.offers = [("offer", f"package:{shop[key].pk}") for key in ("weekend", "francigena")]
    collection.save_revision().publish()

    everything = client.get(collection.url)
    labelled = client.get(collection.url, {"label": "toscana-eco"})

    assert [card.key for card in everything.context["cards"]] == [
        f"package:{shop['weekend'].pk}",
        f"package:{shop['francigena'].pk}",
    ]
    assert everything.context["label_options"] == [("toscana-eco", "Toscana Ecoefficiente")]
    assert [card.key for card in labelled.context["cards"]] == [f"package:{shop['francigena'].pk}"]
