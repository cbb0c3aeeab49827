"""Demo labels: six schemes now; awards when the operators app has demo operators.

Certifications imports nothing of operators (DESIGN.md), so operators are looked up through the app
registry by name (natural key), preferring the names below and falling back to the first operators
in the table, so the demo shows awards whatever names the operators' demo uses. Idempotent: schemes
are matched by slug, awards by (scheme, subject).

The logos are small original SVG badges (certifications/demo_logos/), not the marks' real artwork.
"""

import io
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from .models import Award, Scheme
from .services import CertificationError, award_grant, award_request

LOGOS = Path(__file__).resolve().parent / "demo_logos"

OPERATOR = "operators.operator"
SERVICE = "operators.service"
PACKAGE = "packages.package"

SCHEMES = [
    {
        "slug": "eu-ecolabel",
        "logo": "eu-ecolabel.svg",
        "name_it": "EU Ecolabel",
        "name_en": "EU Ecolabel",
        "issuer": "Commissione europea — ISPRA, organismo competente per l'Italia",
        "issuer_url": "https://environment.ec.europa.eu/topics/circular-economy/eu-ecolabel_en",
        "criteria_url": "https://environment.ec.europa.eu/topics/circular-economy/eu-ecolabel_en",
        "summary_it": "Il marchio ecologico dell'Unione europea per strutture ricettive e servizi a basso impatto.",
        "summary_en": "The European Union's environmental label for low-impact accommodation and services.",
        "criteria_it": "Energia da fonti rinnovabili, risparmio idrico, riduzione e raccolta differenziata dei "
        "rifiuti, prodotti di pulizia a marchio ecologico, informazione agli ospiti. Licenza rilasciata "
        "dall'organismo competente nazionale dopo verifica documentale e ispezione.",
        "criteria_en": "Renewable energy, water saving, waste reduction and sorting, eco-labelled cleaning "
        "products, guest information. Licence granted by the national competent body after a documentary "
        "check and an inspection.",
        "awardable_to": [OPERATOR, SERVICE],
        "expires": True,
        "validity_months": 36,
        "verified_by": Scheme.Verifier.ISSUER,
    },
    {
        "slug": "ospitalita-italiana",
        "logo": "ospitalita-italiana.svg",
        "name_it": "Ospitalità Italiana",
        "name_en": "Ospitalità Italiana (Italian Hospitality)",
        "issuer": "Isnart — Camere di Commercio d'Italia",
        "issuer_url": "https://www.isnart.it/",
        "criteria_url": "https://www.isnart.it/",
        "summary_it": "Il marchio di qualità delle Camere di Commercio per alberghi, agriturismi e ristoranti.",
        "summary_en": "The Chambers of Commerce's quality mark for hotels, farm stays and restaurants.",
        "criteria_it": "Accoglienza, pulizia, comfort delle camere, qualità della colazione e della cucina, "
        "informazioni sul territorio; visita annuale di un valutatore indipendente.",
        "criteria_en": "Welcome, cleanliness, room comfort, quality of breakfast and cooking, information on "
        "the area; a yearly visit by an independent assessor.",
        "awardable_to": [OPERATOR],
        "expires": True,
        "validity_months": 12,
        "verified_by": Scheme.Verifier.ISSUER,
    },
    {
        "slug": "vetrina-toscana",
        "logo": "vetrina-toscana.svg",
        "name_it": "Vetrina Toscana",
        "name_en": "Vetrina Toscana (Tuscan typical products)",
        "issuer": "Regione Toscana e Unioncamere Toscana",
        "issuer_url": "https://www.vetrina.toscana.it/",
        "criteria_url": "https://www.vetrina.toscana.it/",
        "summary_it": "Ristoranti, botteghe e produttori che valorizzano i prodotti tipici toscani.",
        "summary_en": "Restaurants, shops and producers who use and sell typical Tuscan products.",
        "criteria_it": "Uso prevalente di prodotti DOP, IGP e tradizionali toscani (olio di Lucca, farro della "
        "Garfagnana, vini delle Colline Lucchesi e di Montecarlo), indicati in carta o in etichetta.",
        "criteria_en": "Mostly PDO, PGI and traditional Tuscan products (Lucca olive oil, Garfagnana spelt, "
        "Colline Lucchesi and Montecarlo wines), named on the menu or the label.",
        "awardable_to": [OPERATOR, SERVICE, PACKAGE],
        "expires": True,
        "validity_months": 12,
        "verified_by": Scheme.Verifier.DMC,
    },
    {
        "slug": "bike-friendly",
        "logo": "bike-friendly.svg",
        "name_it": "Bike Friendly — amici della bici",
        "name_en": "Bike Friendly",
        "issuer": "FIAB — Federazione Italiana Ambiente e Bicicletta",
        "issuer_url": "https://fiabitalia.it/",
        "criteria_url": "https://fiabitalia.it/",
        "summary_it": "Strutture e servizi attrezzati per chi viaggia in bicicletta.",
        "summary_en": "Places and services equipped for travellers on a bicycle.",
        "criteria_it": "Deposito bici chiuso e custodito, attrezzi e kit di riparazione, colazione energetica, "
        "lavaggio e asciugatura degli indumenti tecnici, informazioni sugli itinerari (Via Francigena, "
        "Ciclopista del Serchio).",
        "criteria_en": "Locked bike storage, tools and repair kit, an energy breakfast, washing and drying of "
        "cycling clothes, route information (Via Francigena, the Serchio cycle path).",
        "awardable_to": [OPERATOR, SERVICE, PACKAGE],
        "expires": True,
        "validity_months": 24,
        "verified_by": Scheme.Verifier.DMC,
    },
    {
        "slug": "turismo-accessibile",
        "logo": "accessible-tourism.svg",
        "name_it": "Turismo accessibile — Village for All (V4A)",
        "name_en": "Accessible tourism — Village for All (V4A)",
        "issuer": "Village for All — V4A",
        "issuer_url": "https://www.villageforall.net/",
        "criteria_url": "https://www.villageforall.net/",
        "summary_it": "Strutture e servizi verificati per ospiti con disabilità motorie, sensoriali o esigenze "
        "alimentari.",
        "summary_en": "Places and services checked for guests with reduced mobility, sensory impairments or "
        "dietary needs.",
        "criteria_it": "Rilievo in loco di percorsi, camere e servizi igienici; informazioni oggettive "
        "pubblicate per ogni tipo di esigenza.",
        "criteria_en": "On-site survey of paths, rooms and bathrooms; objective information published for "
        "each kind of need.",
        "awardable_to": [OPERATOR, SERVICE, PACKAGE],
        "expires": True,
        "validity_months": 24,
        "verified_by": Scheme.Verifier.ISSUER,
    },
    {
        "slug": "bandiera-arancione",
        "logo": "bandiera-arancione.svg",
        "name_it": "Bandiera Arancione",
        "name_en": "Orange Flag (Bandiera Arancione)",
        "issuer": "Touring Club Italiano",
        "issuer_url": "https://www.bandierearancioni.it/",
        "criteria_url": "https://www.bandierearancioni.it/",
        "summary_it": "Il marchio del Touring Club per i piccoli borghi dell'entroterra: qui segnala operatori "
        "ed esperienze che si svolgono in un comune Bandiera Arancione.",
        "summary_en": "The Touring Club's mark for small inland towns: here it marks operators and experiences "
        "in an Orange Flag town.",
        "criteria_it": "Il comune è valutato dal Touring Club su patrimonio, accoglienza, qualità ambientale e "
        "servizi turistici, con verifica periodica.",
        "criteria_en": "The town is assessed by the Touring Club on heritage, welcome, environmental quality and "
        "tourist services, and reviewed periodically.",
        "awardable_to": [OPERATOR, SERVICE],
        "expires": True,
        "validity_months": 36,
        "verified_by": Scheme.Verifier.ISSUER,
    },
]

# (scheme slug, preferred operator name, state). The state is "valid", "expiring" (within a week) or
# "requested" (pending verification, with a PDF as evidence).
DEMO_AWARDS = [
    ("eu-ecolabel", "Agriturismo Colle Verde", "valid"),
    ("vetrina-toscana", "Agriturismo Colle Verde", "valid"),
    ("ospitalita-italiana", "Hotel San Martino Lucca", "valid"),
    ("bike-friendly", "Bici Piana di Lucca", "valid"),
    ("turismo-accessibile", "Hotel San Martino Lucca", "expiring"),
    ("bandiera-arancione", "Casentino Trekking Poppi", "valid"),
    ("vetrina-toscana", "Fattoria di Montecarlo", "requested"),
]


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"  {message}")


def load_schemes(stdout=None) -> dict[str, Scheme]:
    schemes = {}
    for data in SCHEMES:
        data = dict(data)
        logo = data.pop("logo")
        scheme = Scheme.objects.filter(slug=data["slug"]).first()
        if scheme is None:
            scheme = Scheme(**data)
            scheme.name = data["name_it"]
            scheme.logo.save(logo, ContentFile((LOGOS / logo).read_bytes()), save=False)
            scheme.save()
            _write(stdout, f"scheme {scheme.name}")
        schemes[scheme.slug] = scheme
    return schemes


def _operator_model():
    try:
        return apps.get_model(OPERATOR)
    except LookupError:
        return None


def _find_operator(model, name: str):
    for lookup in ({"slug": slugify(name)}, {"name__iexact": name}):
        try:
            found = model._default_manager.filter(**lookup).first()
        except FieldError:
            continue
        if found is not None:
            return found
    return None


def _staff_user():
    User = get_user_model()
    return (
        User.objects.filter(email="staff@terredilucca.example").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def _demo_pdf(title: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, title)
    page.drawString(72, 740, "Documento dimostrativo — demo document")
    page.save()
    return buffer.getvalue()


def load_awards(*, schemes: dict[str, Scheme], stdout=None) -> None:
    model = _operator_model()
    if model is None:
        _write(stdout, "no operators app models yet: demo awards skipped")
        return
    operators = list(model._default_manager.order_by("pk")[:10])
    if not operators:
        _write(stdout, "no demo operators yet: demo awards skipped")
        return
    staff = _staff_user()
    if staff is None:
        return
    today = timezone.localdate()
    content_type = ContentType.objects.get_for_model(model)
    names: dict[str, object] = {name: _find_operator(model, name) for _slug, name, _state in DEMO_AWARDS}
    # Names the operators' demo does not use get the operators no preferred name matched, in order.
    spare = [operator for operator in operators if operator not in names.values()] or operators
    for name in [name for name, found in names.items() if found is None]:
        names[name] = spare.pop(0) if spare else operators[0]
    for index, (slug, name, state) in enumerate(DEMO_AWARDS):
        operator = names[name]
        scheme = schemes[slug]
        if Award.objects.filter(scheme=scheme, subject_type=content_type, subject_id=operator.pk).exists():
            continue
        try:
            if state == "requested":
                evidence = SimpleUploadedFile(
                    "adesione-vetrina-toscana.pdf", _demo_pdf(f"{scheme.name} — {operator}"), "application/pdf"
                )
                award_request(
                    scheme=scheme,
                    subject=operator,
                    user=staff,
                    files=[evidence],
                    note="Adesione 2025 alla rete Vetrina Toscana; scheda prodotti allegata.",
                )
            else:
                awarded_on = today - timedelta(days=200 + 30 * index)
                expires_on = today + timedelta(days=5) if state == "expiring" else None
                award_grant(
                    scheme=scheme,
                    subject=operator,
                    user=staff,
                    awarded_on=awarded_on,
                    expires_on=expires_on,
                    reference=f"DEMO-{slug.upper()[:6]}-{operator.pk:04d}",
                    reason="Demo",
                )
        except CertificationError as exc:
            _write(stdout, f"skipped {scheme.name} for {operator}: {exc}")
            continue
        _write(stdout, f"{state} {scheme.name} → {operator}")


# Labels the DMC awards to its own packages (the packages demo's slugs): the shop's label filter and
# the package pages have something to show even when no package has every component certified.
DEMO_PACKAGE_AWARDS = [
    ("vetrina-toscana", "tordelli-e-olio-capannori"),
    ("vetrina-toscana", "sapori-del-casentino"),
    ("vetrina-toscana", "ville-e-vino-colline-lucchesi"),
    ("bike-friendly", "in-bici-nella-piana"),
    ("bike-friendly", "francigena-in-ebike"),
    ("turismo-accessibile", "lucca-dentro-le-mura"),
]


def load_package_awards(*, schemes: dict[str, Scheme], stdout=None) -> None:
    try:
        model = apps.get_model(PACKAGE)
    except LookupError:
        return
    staff = _staff_user()
    if staff is None:
        return
    content_type = ContentType.objects.get_for_model(model)
    today = timezone.localdate()
    for slug, package_slug in DEMO_PACKAGE_AWARDS:
        package = model._default_manager.filter(slug=package_slug).first()
        scheme = schemes.get(slug)
        if package is None or scheme is None:
            continue
        if Award.objects.filter(scheme=scheme, subject_type=content_type, subject_id=package.pk).exists():
            continue
        try:
            award_grant(
                scheme=scheme, subject=package, user=staff, awarded_on=today - timedelta(days=90),
                reference=f"DMC-{package.pk:04d}", reason="Demo: judged by the DMC on its own package",
            )  # fmt: skip
        except CertificationError as exc:
            _write(stdout, f"skipped {scheme.name} for {package}: {exc}")
            continue
        _write(stdout, f"valid {scheme.name} → {package}")


def load(stdout=None) -> None:
    schemes = load_schemes(stdout=stdout)
    load_awards(schemes=schemes, stdout=stdout)
    load_package_awards(schemes=schemes, stdout=stdout)
