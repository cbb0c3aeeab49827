"""The open-data pages: /<lang>/open-data/ describes each dataset (opendata.DATASETS); each is served as
CSV and JSON under it, and the catalogue as DCAT-AP_IT RDF/XML (catalog.rdf) for the regional and
national portals to harvest. The URLs are stable: they are what those portals store."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from marketplace.core.csv_export import csv_writer
from marketplace.core.json_ld import Crumb
from marketplace.core.origin import public_url

from . import opendata


def _dataset(key: str) -> opendata.Dataset:
    try:
        return opendata.BY_KEY[key]
    except KeyError:
        raise Http404(_("No such dataset.")) from None


def _urls(dataset: opendata.Dataset) -> dict[str, str]:
    return {fmt: reverse(f"opendata:{fmt}", kwargs={"key": dataset.key}) for fmt in ("csv", "json")}


@require_GET
def index(request):
    payload = opendata.opendata_payload()
    datasets = [
        {"dataset": dataset, "columns": dataset.columns(), "rows": len(payload["datasets"][dataset.key]),
         **_urls(dataset)}
        for dataset in opendata.DATASETS
    ]  # fmt: skip
    crumbs = [Crumb(_("Home"), f"/{translation.get_language()}/"), Crumb(_("Open data"), reverse("opendata:index"))]
    return TemplateResponse(request, "observatory/opendata.html", {
        "datasets": datasets, "updated": opendata.opendata_updated(), "crumbs": crumbs,
        "licence_url": opendata.LICENCE_URL, "licence_name": opendata.LICENCE_NAME, "min_guests": opendata.MIN_GUESTS,
        "catalog_url": reverse("opendata:catalog"),
    })  # fmt: skip


@require_GET
def dataset_csv(request, key: str):
    dataset = _dataset(key)
    columns = [name for name, _help in dataset.columns()]
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in opendata.dataset_rows(key):
        writer.writerow(["" if row[c] is None else ("true" if row[c] is True else "false" if row[c] is False
                                                     else row[c]) for c in columns])  # fmt: skip
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{key}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def dataset_json(request, key: str):
    dataset = _dataset(key)
    urls = _urls(dataset)
    document = {
        "dataset": {
            "identifier": key, "title": str(dataset.title), "description": str(dataset.description),
            "columns": [{"name": name, "description": str(text)} for name, text in dataset.columns()],
            "licence": {"name": opendata.LICENCE_NAME, "url": opendata.LICENCE_URL},
            "publisher": _publisher(request)["name"], "modified": opendata.opendata_updated().isoformat(),
            "accrual_periodicity": "daily", "min_guests": opendata.MIN_GUESTS,
            "csv": public_url(urls["csv"]), "json": public_url(urls["json"]),
            "page": public_url(reverse("opendata:index")),
        },
        "rows": opendata.dataset_rows(key),
    }  # fmt: skip
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _publisher(request) -> dict:
    from cms.legal import company_identity

    company = company_identity(request)
    return {"name": company.legal_name or settings.DMC_NAME, "vat": company.vat_number, "email": company.email}


# DCAT-AP_IT

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(parent, name: str, text=None, *, resource: str = "", about: str = "", lang: str = "", datatype: str = ""):
    element = ET.SubElement(parent, _q(name))
    if resource:
        element.set(_q("rdf:resource"), resource)
    if about:
        element.set(_q("rdf:about"), about)
    if lang:
        element.set(XML_LANG, lang)
    if datatype:
        element.set(_q("rdf:datatype"), NS["xsd"] + datatype)
    if text is not None:
        element.text = str(text)
    return element


def _both_languages(parent, name: str, text) -> None:
    """The same lazy text in Italian and English (DCAT-AP_IT asks for Italian, portals show English too)."""
    for language in ("it", "en"):
        with translation.override(language):
            _el(parent, name, str(text), lang=language)


def _agent(parent, name: str, publisher: dict, about: str) -> None:
    agent = _el(_el(parent, name), "dcatapit:Agent", about=about)
    _el(agent, "rdf:type", resource="http://xmlns.com/foaf/0.1/Agent")
    _el(agent, "foaf:name", publisher["name"])
    if publisher["vat"]:
        _el(agent, "dct:identifier", publisher["vat"])


def catalog_rdf_build(request) -> bytes:
    """The DCAT-AP_IT catalogue: the catalogue, each dataset, each distribution (CSV and JSON)."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    publisher = _publisher(request)
    agent_uri = public_url("/") + "#organization"
    page = public_url(reverse("opendata:index"))
    modified = opendata.opendata_updated().date().isoformat()
    identifier_base = publisher["vat"] or "dmc"
    root = ET.Element(_q("rdf:RDF"))
    catalog = _el(root, "dcatapit:Catalog", about=public_url(reverse("opendata:catalog")))
    _el(catalog, "rdf:type", resource=NS["dcat"] + "Catalog")
    _both_languages(catalog, "dct:title", _("Open data of the destination's bookings"))
    _both_languages(catalog, "dct:description", _("Monthly counts of bookings, guests and nights of the "
                                                  "destination, with small counts suppressed."))  # fmt: skip
    _agent(catalog, "dct:publisher", publisher, agent_uri)
    _el(catalog, "dct:modified", modified, datatype="date")
    _el(catalog, "dct:language", resource=EU + "language/ITA")
    _el(catalog, "foaf:homepage", resource=page)
    _el(catalog, "dcat:themeTaxonomy", resource=EU + "data-theme")
    for dataset in opendata.DATASETS:
        _el(catalog, "dcat:dataset", resource=f"{page}#{dataset.key}")
    licence_about = opendata.LICENCE_URL
    for dataset in opendata.DATASETS:
        node = _el(root, "dcatapit:Dataset", about=f"{page}#{dataset.key}")
        _el(node, "rdf:type", resource=NS["dcat"] + "Dataset")
        _el(node, "dct:identifier", f"{identifier_base}:{dataset.key}")
        _both_languages(node, "dct:title", dataset.title)
        _both_languages(node, "dct:description", dataset.description)
        _el(node, "dcat:theme", resource=EU + "data-theme/ECON")
        _el(node, "dct:modified", modified, datatype="date")
        _el(node, "dct:accrualPeriodicity", resource=EU + "frequency/DAILY")
        _el(node, "dct:language", resource=EU + "language/ITA")
        _el(node, "dcat:landingPage", resource=f"{page}#{dataset.key}")
        for keyword in ("turismo", "tourism", "prenotazioni", "presenze"):
            _el(node, "dcat:keyword", keyword)
        _agent(node, "dct:rightsHolder", publisher, agent_uri)
        _agent(node, "dct:publisher", publisher, agent_uri)
        if publisher["email"]:
            contact = _el(_el(node, "dcat:contactPoint"), "dcatapit:Organization", about=f"{agent_uri}-contact")
            _el(contact, "rdf:type", resource=NS["vcard"] + "Kind")
            _el(contact, "vcard:fn", publisher["name"])
            _el(contact, "vcard:hasEmail", resource=f"mailto:{publisher['email']}")
        for fmt, url in _urls(dataset).items():
            url = public_url(url)
            _el(node, "dcat:distribution", resource=url)
            distribution = _el(root, "dcatapit:Distribution", about=url)
            _el(distribution, "rdf:type", resource=NS["dcat"] + "Distribution")
            _el(distribution, "dct:title", f"{dataset.key}.{fmt}", lang="en")
            _el(distribution, "dct:format", resource=EU + f"file-type/{fmt.upper()}")
            _el(distribution, "dcat:mediaType", "text/csv" if fmt == "csv" else "application/json")
            _el(distribution, "dcat:accessURL", resource=url)
            _el(distribution, "dcat:downloadURL", resource=url)
            _el(distribution, "dct:modified", modified, datatype="date")
            licence = _el(_el(distribution, "dct:license"), "dcatapit:LicenseDocument", about=licence_about)
            _el(licence, "rdf:type", resource=NS["dct"] + "LicenseDocument")
            _el(licence, "dct:type", resource="http://purl.org/adms/licencetype/Attribution")
            _el(licence, "foaf:name", opendata.LICENCE_NAME)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@require_GET
def catalog_rdf(request):
    response = HttpResponse(catalog_rdf_build(request), content_type="application/rdf+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
