"""Open data: a data set built to be re-identified (a German family of three in Villa Basilica in
February, a couple from the United States alone in the Casentino in March) publishes neither their cells
nor a way to work them back from the totals; CSV and JSON say the same; the DCAT-AP_IT catalogue names
every dataset and distribution, each answering 200; no booking's names, e-mails or codes ever leave."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, Page, Site

from cms.models import CompanyIdentity
from marketplace.observatory import opendata
from marketplace.observatory.facts import facts_refresh_trade_booking
from marketplace.trade.models import TradeBooking, TradeBookingPart
from operators.models import Service, Slot
from tests.operators.factories import OperatorFactory, ServiceFactory
from tests.trade.factories import TradeBookingFactory

pytestmark = pytest.mark.django_db

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dcat": "http://www.w3.org/ns/dcat#",
      "dct": "http://purl.org/dc/terms/", "dcatapit": "http://dati.gov.it/onto/dcatapit#",
      "foaf": "http://xmlns.com/foaf/0.1/"}  # fmt: skip
RDF_ABOUT = f"{{{NS['rdf']}}}about"
RDF_RESOURCE = f"{{{NS['rdf']}}}resource"


def _book(service, on, country, adults, children=(), *, nights=1, name="Rossi", cancelled=False):
    """A partner's booking as the booking service leaves it, and its facts."""
    booking = TradeBookingFactory(
        service=service, starts_on=on, guest_country=country, lead_last_name=name,
        lead_email=f"{name.lower()}@mail.example", lead_phone="+49 170 5550123",
        party={"adults": adults, "children_ages": list(children), "infants": 0, "seniors": 0},
        status=TradeBooking.Status.CANCELLED if cancelled else TradeBooking.Status.CONFIRMED,
    )  # fmt: skip
    for offset in range(nights):
        day = on + dt.timedelta(days=offset)
        slot, _created = Slot.objects.get_or_create(service=service, date=day, defaults={"capacity": 50})
        TradeBookingPart.objects.create(booking=booking, operator=service.operator, service=service, slot=slot,
                                        date=day, start_time=slot.start_time, places=adults + len(children),
                                        amount=Decimal("100.00"), commission_percent=Decimal("20"))  # fmt: skip
    facts_refresh_trade_booking(booking.pk)
    return booking


def _default_site() -> Site:
    """Wagtail's default site (a database flushed by a transactional test has none: made again)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        locale, _created = Locale.objects.get_or_create(language_code="it")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        site = Site.objects.create(hostname="testserver", port=80, root_page=root, is_default_site=True)
    return site


@pytest.fixture
def reidentifiable():
    """Last year's January to March. Guests by origin: Jan IT 10, DE 6; Feb DE 3 (the family), IT 13;
    Mar DE 5, IT 8, US 2 (the couple), and a cancelled French group of 9 that must not count."""
    year = timezone.localdate().year - 1
    accommodation = Service.Kind.ACCOMMODATION
    villa = ServiceFactory(operator=OperatorFactory(municipality="villa-basilica"), kind=accommodation)
    lucca = ServiceFactory(operator=OperatorFactory(municipality="lucca"), kind=accommodation)
    poppi = ServiceFactory(operator=OperatorFactory(municipality="poppi"), kind=Service.Kind.EXPERIENCE)
    jan, feb, mar = (dt.date(year, month, 10) for month in (1, 2, 3))
    bookings = [
        _book(lucca, jan, "IT", 5, nights=2), _book(lucca, jan, "IT", 5, nights=2), _book(lucca, jan, "DE", 6, nights=2),
        _book(villa, feb, "DE", 2, [8], nights=2, name="Zimmermann"),
        _book(lucca, feb, "IT", 7, nights=2), _book(poppi, feb, "IT", 6),
        _book(lucca, mar, "DE", 5, nights=2), _book(lucca, mar, "IT", 8, nights=2),
        _book(poppi, mar, "US", 2, name="Whitfield"),
        _book(lucca, mar, "FR", 9, nights=2, name="Lefebvre", cancelled=True),
    ]  # fmt: skip
    CompanyIdentity.objects.update_or_create(site=_default_site(), defaults={
        "legal_name": "Terre di Lucca srl", "vat_number": "IT01234567890", "email": "dati@terre-di-lucca.example"})  # fmt: skip
    opendata.opendata_cache_clear()
    return {"year": year, "bookings": bookings}


@pytest.fixture(autouse=True)
def english():
    """The URLs reversed here are the English ones (the names columns follow the URL's language)."""
    with translation.override("en"):
        yield


def _json(client, key):
    response = client.get(reverse("opendata:json", kwargs={"key": key}))
    assert response.status_code == 200
    return json.loads(response.content)


def test_small_cells_are_withheld_and_cannot_be_worked_back_from_the_totals(client, reidentifiable):
    year = reidentifiable["year"]
    rows = {dataset.key: _json(client, dataset.key)["rows"] for dataset in opendata.DATASETS}
    months = {row["month"]: row for row in rows["bookings-by-month"]}
    assert {month: row["guests"] for month, row in months.items()} == {
        f"{year}-01": 16,
        f"{year}-02": 16,
        f"{year}-03": 15,
    }  # the cancelled group is not counted
    by_origin = {(row["month"], row["origin"]): row for row in rows["bookings-by-origin"]}
    assert by_origin[(f"{year}-02", "DE")]["suppressed"] and by_origin[(f"{year}-02", "DE")]["guests"] is None
    assert by_origin[(f"{year}-03", "US")]["suppressed"]
    assert by_origin[(f"{year}-01", "DE")] == {"month": f"{year}-01", "origin": "DE", "origin_name": "Germany",
                                              "bookings": 1, "guests": 6, "nights": 12, "suppressed": False}  # fmt: skip
    assert not any(row["origin"] == "FR" for row in rows["bookings-by-origin"])

    # Whatever the dataset: nothing published under 5 guests; a withheld cell never alone in its month
    # (whose total is published) nor in its category (whose total anyone can add up).
    for dataset in opendata.DATASETS:
        published = rows[dataset.key]
        for row in published:
            assert row["suppressed"] or row["guests"] >= opendata.MIN_GUESTS, (dataset.key, row)
            assert not row["suppressed"] or row["bookings"] is row["guests"] is row["nights"] is None
        lines = {}
        for row in published:
            for line in ("month", dataset.dimension) if dataset.dimension else ("",):
                lines.setdefault((line, row.get(line)), []).append(row["suppressed"])
        for line, flags in lines.items():
            # A category's total over the months is never published: a category of one cell may keep it alone.
            total_hidden = months[line[1]]["suppressed"] if line[0] == "month" else len(flags) == 1 and line[0]
            assert sum(flags) != 1 or total_hidden, (dataset.key, line, flags)
    # The family's month: both origins withheld, so February's 16 guests do not give them away.
    assert by_origin[(f"{year}-02", "IT")]["suppressed"]


def test_csv_and_json_say_the_same_and_no_personal_data_leaves(client, reidentifiable):
    for dataset in opendata.DATASETS:
        document = _json(client, dataset.key)
        assert document["dataset"]["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
        response = client.get(reverse("opendata:csv", kwargs={"key": dataset.key}))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        reader = csv.DictReader(io.StringIO(response.content.decode()))
        assert reader.fieldnames == [column["name"] for column in document["dataset"]["columns"]]
        parsed = [
            {name: (None if value == "" and name in opendata.MEASURES else
                    int(value) if name in opendata.MEASURES else value == "true" if name == "suppressed" else value)
             for name, value in row.items()}
            for row in reader
        ]  # fmt: skip
        assert parsed == document["rows"] and parsed

    page = client.get("/en/open-data/")
    catalog = client.get(reverse("opendata:catalog"))
    everything = b"".join(
        [page.content, catalog.content]
        + [client.get(reverse(f"opendata:{fmt}", kwargs={"key": d.key})).content
           for d in opendata.DATASETS for fmt in ("csv", "json")]
    ).decode()  # fmt: skip
    for booking in reidentifiable["bookings"]:
        for personal in (
            booking.lead_last_name,
            booking.lead_first_name,
            booking.lead_email,
            booking.code,
            booking.lead_phone,
            booking.partner.legal_name,
            booking.partner.billing_email,
        ):
            assert personal not in everything, personal


def test_the_page_and_the_dcat_catalogue_name_every_dataset_and_each_link_answers(client, reidentifiable):
    page = client.get("/en/open-data/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'rel="canonical"' in html and "creativecommons.org/licenses/by/4.0/" in html and "breadcrumb" in html
    for dataset in opendata.DATASETS:
        assert str(dataset.title) in html and reverse("opendata:csv", kwargs={"key": dataset.key}) in html
    assert reverse("opendata:index") in client.get("/en/legal/terms/").content.decode()  # the footer's link

    response = client.get(reverse("opendata:catalog"))
    assert response["Content-Type"].startswith("application/rdf+xml")
    root = ET.fromstring(response.content)
    catalog = root.find("dcatapit:Catalog", NS)
    assert catalog.find("dct:publisher/dcatapit:Agent/foaf:name", NS).text == "Terre di Lucca srl"
    datasets = root.findall("dcatapit:Dataset", NS)
    assert {d.find("dct:identifier", NS).text for d in datasets} == {
        f"IT01234567890:{d.key}" for d in opendata.DATASETS}  # fmt: skip
    assert {r.get(RDF_RESOURCE) for r in catalog.findall("dcat:dataset", NS)} == {d.get(RDF_ABOUT) for d in datasets}
    distributions = {d.get(RDF_ABOUT): d for d in root.findall("dcatapit:Distribution", NS)}
    for dataset in datasets:
        assert {t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in dataset.findall("dct:title", NS)} == {
            "it",
            "en",
        }
        assert dataset.find("dcat:theme", NS).get(RDF_RESOURCE).endswith("/data-theme/ECON")
        assert dataset.find("dct:rightsHolder/dcatapit:Agent/foaf:name", NS).text == "Terre di Lucca srl"
        links = [d.get(RDF_RESOURCE) for d in dataset.findall("dcat:distribution", NS)]
        assert len(links) == 2 and set(links) <= set(distributions)
    for url, distribution in distributions.items():
        assert distribution.find("dct:license/dcatapit:LicenseDocument", NS).get(RDF_ABOUT).endswith("/by/4.0/")
        assert distribution.find("dct:format", NS).get(RDF_RESOURCE).rsplit("/", 1)[1] in ("CSV", "JSON")
        download = distribution.find("dcat:downloadURL", NS).get(RDF_RESOURCE)
        assert download == distribution.find("dcat:accessURL", NS).get(RDF_RESOURCE) == url
        assert client.get(urlsplit(download).path).status_code == 200, download
    assert client.get("/en/open-data/nothing.csv").status_code == 404


def test_the_datasets_stay_cached_until_the_nightly_rebuild(client, reidentifiable):
    from marketplace.observatory.tasks import facts_rebuild

    january = f"{reidentifiable['year']}-01"

    def guests():
        return {row["month"]: row["guests"] for row in _json(client, "bookings-by-month")["rows"]}[january]

    assert guests() == 16
    lucca = reidentifiable["bookings"][0].service
    _book(lucca, dt.date(reidentifiable["year"], 1, 20), "IT", 5)
    assert guests() == 16  # the published figures change once a day
    facts_rebuild()
    assert guests() == 21
