"""Demo operators of the Piana di Lucca and the Casentino, with services, rates and a year of slots.

Idempotent (`load_demo` may run twice): operators are looked up by slug, services by name, seasons
by name, rates and rules by their natural keys; `rule_generate_slots` never duplicates a slot.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from marketplace.core.demo import demo_user
from marketplace.core.roles import Role, user_grant_role

from .models import AvailabilityRule, Operator, OperatorMembership, OperatorPhoto, Rate, Season, Service
from .services import rule_generate_slots
from .validators import partita_iva_check_digit

OPERATOR_LOGIN = "operatore@terredilucca.example"
OPERATOR_LOGIN_SLUG = "tenuta-colle-fortino"


@dataclass(frozen=True)
class DemoService:
    name_it: str
    name_en: str
    kind: str
    capacity_model: str
    prices: dict  # category -> EUR in high season (low season is 15% less, weekend surcharges on top)
    capacity: int | None = None
    times: str = ""
    weekdays: str = ""
    max_occupancy: int | None = None
    max_party: int | None = None
    duration: int | None = None
    cutoff: int = 24
    languages: str = "it,en"
    meeting_point: str = ""
    description_it: str = ""
    description_en: str = ""


def room(name_it, name_en, rooms, price, occupancy=2):
    return DemoService(name_it, name_en, "accommodation", "per_unit", {"unit": price}, capacity=rooms,
                       max_occupancy=occupancy, cutoff=12)  # fmt: skip


def tour(name_it, name_en, price, places=15, times="10:00,15:00", weekdays="", duration=120, meeting=""):
    return DemoService(
        name_it, name_en, "experience", "per_person",
        {"adult": price, "child": round(price / 2), "senior": round(price * 0.85)},
        capacity=places, times=times, weekdays=weekdays, duration=duration, meeting_point=meeting, max_party=places,
    )  # fmt: skip


def tasting(name_it, name_en, price, places=12, times="11:00,17:00", weekdays="", duration=90):
    return DemoService(name_it, name_en, "food-wine", "per_person", {"adult": price, "child": round(price / 3)},
                       capacity=places, times=times, weekdays=weekdays, duration=duration)  # fmt: skip


def bikes(name_it, name_en, units, price):
    return DemoService(name_it, name_en, "rental", "per_unit", {"unit": price}, capacity=units, max_occupancy=1,
                       cutoff=2)  # fmt: skip


def ticket(name_it, name_en, price):
    return DemoService(name_it, name_en, "ticket", "freesale", {"adult": price, "child": round(price * 0.6)},
                       times="", cutoff=0)  # fmt: skip


def transfer(name_it, name_en, vehicles, price, seats=8):
    return DemoService(name_it, name_en, "transfer", "per_group", {"unit": price}, capacity=vehicles,
                       max_party=seats, times="09:00,14:00,18:00", cutoff=48)  # fmt: skip


# (slug, name, kind, municipality, address, lat, lon, description it, description en, services)
OPERATORS = [
    ("hotel-san-frediano", "Hotel San Frediano", "hotel", "lucca", "Via degli Angeli 12, Lucca", "43.8461", "10.5049",
     "Albergo a due passi dalla basilica di San Frediano, dentro le Mura.",
     "A hotel steps from the basilica of San Frediano, inside the walls.",
     [room("Camera doppia", "Double room", 8, 120), room("Suite sulle Mura", "Suite on the walls", 2, 210, 4)]),
    ("bb-le-mura", "B&B Le Mura", "bnb", "lucca", "Via della Fratta 31, Lucca", "43.8452", "10.5098",
     "Bed and breakfast di charme con vista sui bastioni.", "A charming B&B looking onto the ramparts.",
     [room("Camera matrimoniale", "Double room", 4, 95)]),
    ("guide-lucca-cento-chiese", "Guide di Lucca Cento Chiese", "guide", "lucca", "Piazza San Michele 1, Lucca",
     "43.8430", "10.5027", "Guide turistiche abilitate per Lucca e la sua Piana.",
     "Licensed tourist guides for Lucca and its plain.",
     [tour("Lucca dentro le Mura", "Lucca inside the walls", 25, places=30, times="10:00,11:30,15:00,17:00",
           meeting="Piazza San Michele"),
      tour("Lucca e Puccini", "Lucca and Puccini", 30, times="16:00", weekdays="35", meeting="Piazza Cittadella")]),
    ("lucca-bike-mura", "Lucca in Bici sulle Mura", "rental", "lucca", "Piazzale Verdi 4, Lucca", "43.8424",
     "10.4977", "Noleggio di biciclette ed e-bike ai piedi delle Mura.", "Bike and e-bike rental below the walls.",
     [bikes("Bicicletta city (giornata)", "City bike (day)", 20, 15), bikes("E-bike (giornata)", "E-bike (day)", 10, 35)]),
    ("torre-delle-ore-biglietteria", "Biglietteria Torri e Palazzi", "museum", "lucca", "Via Fillungo 22, Lucca",
     "43.8448", "10.5051", "Biglietti per torri, palazzi e orti botanici della città.",
     "Tickets for the city's towers, palaces and botanical garden.",
     [ticket("Biglietto cumulativo torri", "Combined towers ticket", 9)]),
    ("agriturismo-villa-marlia-verde", "Agriturismo Marlia Verde", "agriturismo", "capannori",
     "Via della Chiesa di Marlia 88, Capannori", "43.8872", "10.5351",
     "Casale tra le ville storiche di Marlia, con orto e piscina.",
     "A farmhouse among the historic villas of Marlia, with vegetable garden and pool.",
     [room("Appartamento quattro posti", "Four-bed apartment", 3, 150, 4), tasting("Cena in fattoria", "Farm dinner",
      38, places=24, times="20:00", weekdays="45")]),
    ("fattoria-ville-segromigno", "Fattoria Le Ville di Segromigno", "agriturismo", "capannori",
     "Via di Valgiano 40, Capannori", "43.8905", "10.5648", "Fattoria con olio extravergine e camere in collina.",
     "A hillside farm with extra-virgin olive oil and rooms.",
     [room("Camera doppia in collina", "Hillside double room", 5, 105),
      tasting("Degustazione di olio extravergine", "Extra-virgin olive oil tasting", 18, times="11:00")]),
    ("cantina-colle-di-matraia", "Cantina Colle di Matraia", "winery", "capannori", "Via di Matraia 7, Capannori",
     "43.8989", "10.5851", "Cantina delle Colline Lucchesi DOC.", "A Colline Lucchesi DOC winery.",
     [tasting("Degustazione Colline Lucchesi DOC", "Colline Lucchesi DOC tasting", 28)]),
    ("trattoria-nonna-gina", "Trattoria da Nonna Gina", "restaurant", "capannori", "Via Romana 310, Capannori",
     "43.8405", "10.5712", "Cucina lucchese: tordelli, farro, buccellato.", "Lucca's cooking: tordelli, spelt, buccellato.",
     [tasting("Corso di tordelli lucchesi", "Lucca tordelli cooking class", 55, places=10, times="10:00",
              weekdays="25", duration=180)]),
    ("locanda-del-tau", "Locanda del Tau", "bnb", "altopascio", "Piazza Ricasoli 5, Altopascio", "43.8164", "10.6771",
     "Locanda per pellegrini e viaggiatori sulla Via Francigena.", "An inn for pilgrims and travellers on the Via Francigena.",
     [room("Camera del pellegrino", "Pilgrim's room", 6, 70), room("Camerata quattro letti", "Four-bed dorm", 2, 110, 4)]),
    ("guide-francigena-altopascio", "Guide della Francigena", "guide", "altopascio", "Via Cavour 2, Altopascio",
     "43.8160", "10.6760", "Cammini guidati sulla Via Francigena, tappa Lucca–Altopascio.",
     "Guided walks on the Via Francigena, Lucca–Altopascio stage.",
     [tour("Francigena: da Porcari ad Altopascio", "Francigena: Porcari to Altopascio", 35, places=20, times="08:30",
           weekdays="56", duration=300, meeting="Chiesa di San Giusto, Porcari")]),
    ("forno-pane-altopascio", "Antico Forno di Altopascio", "restaurant", "altopascio", "Via Roma 14, Altopascio",
     "43.8170", "10.6780", "Il pane di Altopascio, dal forno a legna.", "Altopascio bread from the wood-fired oven.",
     [tasting("Laboratorio del pane di Altopascio", "Altopascio bread workshop", 25, places=12, times="09:30",
              weekdays="5")]),
    (OPERATOR_LOGIN_SLUG, "Tenuta Colle Fortino", "winery", "montecarlo", "Via di Fortino 3, Montecarlo", "43.8560",
     "10.6601", "Vigneti del Montecarlo DOC intorno alla Fortezza del Cerruglio.",
     "Montecarlo DOC vineyards around the Cerruglio fortress.",
     [tasting("Degustazione Montecarlo DOC", "Montecarlo DOC tasting", 30),
      tasting("Vendemmia in cantina", "Grape harvest day", 65, places=16, times="09:00", weekdays="5", duration=240)]),
    ("agriturismo-rocca-montecarlo", "Agriturismo La Rocca", "agriturismo", "montecarlo", "Via della Rocca 9, Montecarlo",
     "43.8519", "10.6689", "Agriturismo sulle colline di Montecarlo, vista sulla Piana.",
     "A farm stay on the Montecarlo hills overlooking the plain.",
     [room("Camera con vista", "Room with a view", 6, 115)]),
    ("enoteca-cerruglio", "Enoteca Il Cerruglio", "winery", "montecarlo", "Via Roma 41, Montecarlo", "43.8512",
     "10.6673", "Enoteca del borgo con i vini dei produttori locali.", "The village wine shop with local producers' wines.",
     [tasting("Aperitivo con i vignaioli", "Aperitivo with the winemakers", 20, places=20, times="18:30",
              weekdays="456")]),
    ("casale-della-cartiera", "Casale della Cartiera", "agriturismo", "villa-basilica", "Via delle Cartiere 2, Villa Basilica",
     "43.9245", "10.6433", "Casale nella valle delle antiche cartiere.", "A farmhouse in the valley of the old paper mills.",
     [room("Camera doppia", "Double room", 4, 85)]),
    ("escursioni-pizzorne", "Escursioni Pizzorne", "guide", "villa-basilica", "Piazza del Comune 1, Villa Basilica",
     "43.9263", "10.6446", "Trekking sull'altopiano delle Pizzorne e nei borghi.",
     "Trekking on the Pizzorne plateau and through the villages.",
     [tour("Trekking delle Pizzorne", "Pizzorne trek", 22, places=14, times="09:00", weekdays="6", duration=240,
           meeting="Pieve di Villa Basilica")]),
    ("hotel-porcari-centro", "Hotel Porcari", "hotel", "porcari", "Via Roma 50, Porcari", "43.8395", "10.6165",
     "Hotel comodo per la Piana e l'autostrada.", "A convenient hotel for the plain and the motorway.",
     [room("Camera doppia", "Double room", 12, 89), room("Camera singola", "Single room", 4, 65, 1)]),
    ("ncc-piana-di-lucca", "Transfer Piana di Lucca NCC", "transfer", "porcari", "Via Puccini 22, Porcari", "43.8380",
     "10.6130", "Noleggio con conducente: aeroporti di Pisa e Firenze, stazioni.",
     "Chauffeured transfers: Pisa and Florence airports, stations.",
     [transfer("Transfer aeroporto di Pisa – Piana di Lucca", "Pisa airport – Piana di Lucca transfer", 3, 90),
      transfer("Transfer aeroporto di Firenze – Piana di Lucca", "Florence airport – Piana di Lucca transfer", 2, 140)]),
    ("ebike-porcari", "E-bike Porcari", "rental", "porcari", "Piazza Orsi 3, Porcari", "43.8401", "10.6180",
     "E-bike per la ciclovia Puccini e la Francigena.", "E-bikes for the Puccini cycle path and the Francigena.",
     [bikes("E-bike trekking (giornata)", "Trekking e-bike (day)", 8, 32)]),
    ("agriturismo-poggio-di-poppi", "Agriturismo Il Poggio di Poppi", "agriturismo", "poppi", "Località Poggio 4, Poppi",
     "43.7260", "11.7600", "Casale con vista sul castello dei Conti Guidi.", "A farmhouse facing the Conti Guidi castle.",
     [room("Camera doppia", "Double room", 5, 98), tasting("Cena casentinese", "Casentino dinner", 35, places=20,
      times="20:00", weekdays="45")]),
    ("hotel-bibbiena-centro", "Hotel Bibbiena Centro Storico", "hotel", "bibbiena", "Via Dovizi 17, Bibbiena",
     "43.6967", "11.8164", "Hotel nel centro storico di Bibbiena.", "A hotel in Bibbiena's old town.",
     [room("Camera doppia", "Double room", 10, 92)]),
    ("guide-foreste-casentinesi", "Guide delle Foreste Casentinesi", "guide", "pratovecchio-stia",
     "Piazza Tanucci 10, Pratovecchio Stia", "43.8030", "11.7120",
     "Escursioni nel Parco Nazionale delle Foreste Casentinesi.", "Hikes in the Foreste Casentinesi National Park.",
     [tour("Le sorgenti dell'Arno", "The springs of the Arno", 28, places=16, times="08:30", weekdays="56",
           duration=360, meeting="Piazza Tanucci, Stia"),
      tour("Bramito dei cervi", "Red deer rutting", 30, places=12, times="17:30", weekdays="45", duration=180)]),
    ("foresteria-la-verna", "Foresteria La Verna", "bnb", "chiusi-della-verna", "Via del Santuario 45, Chiusi della Verna",
     "43.7070", "11.9310", "Ospitalità semplice vicino al santuario della Verna.",
     "Simple lodging near the sanctuary of La Verna.", [room("Camera doppia", "Double room", 6, 75)]),
    ("caseificio-castagneto", "Caseificio del Castagneto", "restaurant", "castel-san-niccolo",
     "Località Cetica 12, Castel San Niccolò", "43.7190", "11.6760", "Formaggi di montagna e farina di castagne.",
     "Mountain cheeses and chestnut flour.",
     [tasting("Degustazione di formaggi e castagne", "Cheese and chestnut tasting", 22, times="11:00", weekdays="0123456")]),
    ("prosciutto-casentino", "Bottega del Prosciutto del Casentino", "restaurant", "bibbiena",
     "Via Rignano 8, Bibbiena", "43.6990", "11.8120", "Prosciutto del Casentino e salumi di maiale grigio.",
     "Casentino ham and grey pig cured meats.",
     [tasting("Degustazione di salumi del Casentino", "Casentino cured meat tasting", 24, times="12:00,18:00")]),
]  # fmt: skip

PENDING = ("bb-il-glicine-porcari", "B&B Il Glicine", "bnb", "porcari", "Via del Glicine 6, Porcari", "43.8420",
           "10.6200", "Nuovo B&B in attesa di approvazione.", "A new B&B waiting for approval.",
           [room("Camera doppia", "Double room", 3, 80)])  # fmt: skip


def _vat(index: int, province: str) -> str:
    first_ten = f"{2100000 + index * 37:07d}{province}"
    return first_ten + str(partita_iva_check_digit(first_ten))


def _service(operator: Operator, spec: DemoService) -> Service:
    service = Service.objects.filter(operator=operator, name_it=spec.name_it).first()
    if service is None:
        service = Service.objects.create(
            operator=operator, name_it=spec.name_it, name_en=spec.name_en, kind=spec.kind,
            capacity_model=spec.capacity_model, max_occupancy=spec.max_occupancy, max_party=spec.max_party,
            cutoff_hours=spec.cutoff, duration_minutes=spec.duration, languages=spec.languages,
            meeting_point=spec.meeting_point,
            description_it=f"{spec.name_it} con {operator.name}.", description_en=f"{spec.name_en} with {operator.name}.",
        )  # fmt: skip
    return service


def _rates(service: Service, spec: DemoService, years: list[int]) -> None:
    for year in years:
        seasons = [
            ("Bassa stagione", dt.date(year, 1, 1), dt.date(year, 3, 31), Decimal("0.85")),
            ("Alta stagione", dt.date(year, 4, 1), dt.date(year, 10, 31), Decimal("1.00")),
            ("Inverno", dt.date(year, 11, 1), dt.date(year, 12, 31), Decimal("0.85")),
        ]
        for name, start, end, factor in seasons:
            season, _ = Season.objects.get_or_create(
                service=service, name=f"{name} {year}", defaults={"starts_on": start, "ends_on": end}
            )
            for category, price in spec.prices.items():
                amount = (Decimal(price) * factor).quantize(Decimal("1"))
                Rate.objects.get_or_create(season=season, category=category, weekdays="", defaults={"amount": amount})
                if category in ("unit", "adult") and spec.kind == "accommodation":
                    Rate.objects.get_or_create(  # Friday and Saturday nights cost more
                        season=season, category=category, weekdays="45", defaults={"amount": amount + 20}
                    )
            if "child" not in spec.prices and spec.capacity_model in ("per_person", "freesale"):
                Rate.objects.get_or_create(season=season, category="infant", weekdays="", defaults={"amount": 0})


def _availability(service: Service, spec: DemoService, start: dt.date) -> int:
    end = start + dt.timedelta(days=365)
    rule, _ = AvailabilityRule.objects.get_or_create(
        service=service,
        starts_on=start.replace(day=1),
        ends_on=end,
        weekdays=spec.weekdays,
        start_times=spec.times,
        defaults={"capacity": spec.capacity},
    )
    return rule_generate_slots(rule=rule).created


def _operator(index: int, row, status: str) -> tuple[Operator, bool]:
    slug, name, kind, municipality, address, lat, lon, desc_it, desc_en, _services = row
    operator = Operator.objects.filter(slug=slug).first()
    if operator:
        return operator, False
    province = "046" if municipality in {"lucca", "capannori", "altopascio", "montecarlo", "villa-basilica",
                                          "porcari"} else "051"  # fmt: skip
    operator = Operator.objects.create(
        slug=slug, name=name, kind=kind, municipality=municipality, address=address, latitude=Decimal(lat),
        longitude=Decimal(lon), vat_number=_vat(index, province), email=f"info@{slug}.example",
        phone=f"+39 0583 {400000 + index * 1371:06d}", website=f"https://{slug}.example",
        description_it=desc_it, description_en=desc_en, status=status,
        status_changed_at=timezone.now() if status == Operator.Status.APPROVED else None,
    )  # fmt: skip
    return operator, True


PHOTO_MOODS = {
    Operator.Kind.HOTEL: ("stone", "dawn"),
    Operator.Kind.BNB: ("stone", "noon"),
    Operator.Kind.AGRITURISMO: ("dusk", "noon"),
    Operator.Kind.WINERY: ("dusk", "dawn"),
    Operator.Kind.GUIDE: ("forest", "noon"),
}


def _photos(operator: Operator) -> int:
    """Two generated illustrations (CC0, labelled as such) for an operator without photos, so the public
    page and the offer cards look as they will with real photos. Drawn by cms's demo painter when cms is
    installed (a demo-only import, inside the function); without cms the operators get no photos."""
    if not apps.is_installed("cms") or operator.photos.exists():
        return 0
    from cms.demo_images import landscape_png

    moods = PHOTO_MOODS.get(operator.kind, ("noon", "forest"))
    for position, mood in enumerate(moods):
        image = ContentFile(
            landscape_png(operator.name, mood=mood, size=(1200, 800)), name=f"{operator.slug}-{position}.png"
        )
        OperatorPhoto.objects.create(operator=operator, image=image, position=position, caption=operator.name)
    return len(moods)


def load(stdout=None) -> None:
    today = timezone.localdate()
    years = [today.year, today.year + 1]
    created_operators = slots = 0
    with transaction.atomic():
        for index, row in enumerate(OPERATORS, start=1):
            operator, created = _operator(index, row, Operator.Status.APPROVED)
            created_operators += created
            _photos(operator)
            for spec in row[-1]:
                service = _service(operator, spec)
                _rates(service, spec, years)
                slots += _availability(service, spec, today)
        pending, created = _operator(len(OPERATORS) + 1, PENDING, Operator.Status.PENDING)
        created_operators += created
        for spec in PENDING[-1]:
            _rates(_service(pending, spec), spec, years)

        user = demo_user(OPERATOR_LOGIN)
        owner_of = Operator.objects.get(slug=OPERATOR_LOGIN_SLUG)
        OperatorMembership.objects.get_or_create(
            user=user, operator=owner_of, defaults={"role": OperatorMembership.Role.OWNER}
        )
        user_grant_role(user, Role.OPERATOR)
    if stdout is not None:
        stdout.write(f"  operators: {created_operators} created, {slots} slots generated; "
                     f"{OPERATOR_LOGIN} owns {owner_of.name}")  # fmt: skip
