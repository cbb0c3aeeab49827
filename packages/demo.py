"""Demo packages of the Piana di Lucca and the Casentino, assembled from the operators demo's services.

Runs after `operators.demo.load` (DEMO_STEPS). Services are looked up by the operators demo's
natural keys (operator slug, Italian service name); a package whose services are missing is skipped
and reported. A few packages offer optional extras the traveller can add when booking (a cooking
class, a farm dinner, a wine tasting, an e-bike), from services with their own rates and slots. Idempotent: packages are looked up by slug and only created once; each run re-syncs
the published ones with their Oscar products, and every sellable service's automatic one-component
package (services.service_packages_sync), so the demo's services can be booked alone.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from operators.models import Service

from .models import CancellationTier, Package, PackageComponent, PackagePhoto
from .services import package_publish, service_packages_sync


@dataclass(frozen=True)
class C:
    """One component: (operator slug, service name_it), day, quantity rule, room size, start time."""

    operator: str
    service: str
    day: int = 1
    rule: str = "per_person"
    room_size: int | None = None
    time: str | None = None
    note_it: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class P:
    slug: str
    title_it: str
    title_en: str
    area: str
    days: int
    themes: str
    summary_it: str
    summary_en: str
    description_it: str
    description_en: str
    included_it: str
    included_en: str
    excluded_it: str
    excluded_en: str
    meeting_it: str
    meeting_en: str
    components: list[C] = field(default_factory=list)
    markup: str = "15"
    tiers: tuple = ((14, 100), (3, 50))


STANDARD_EXCLUDED_IT = "Viaggio fino a Lucca\nPasti non indicati\nTassa di soggiorno"
STANDARD_EXCLUDED_EN = "Travel to Lucca\nMeals not listed\nCity tourist tax"

PACKAGES = [
    P("ville-e-vino-colline-lucchesi", "Ville e vino nelle colline lucchesi", "Villas and wine in the Lucca hills", "capannori", 2, "wine,heritage",
      "Un fine settimana tra le ville di Marlia e le cantine delle Colline Lucchesi.", "A weekend among the villas of Marlia and the Colline Lucchesi wineries.",
      "Dormite in un casale tra le ville storiche di Marlia, degustate i vini delle Colline Lucchesi DOC a Matraia e il giorno dopo salite a Montecarlo per i suoi bianchi.",
      "Sleep in a farmhouse among Marlia's historic villas, taste Colline Lucchesi DOC wines at Matraia and, the next day, go up to Montecarlo for its whites.",
      "Una notte in appartamento\nDue degustazioni guidate\nAssistenza dell'ufficio IAT", "One night in an apartment\nTwo guided tastings\nIAT office assistance",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Agriturismo Marlia Verde, Capannori", "Agriturismo Marlia Verde, Capannori",
      [C("agriturismo-villa-marlia-verde", "Appartamento quattro posti", 1),
       C("cantina-colle-di-matraia", "Degustazione Colline Lucchesi DOC", 1, time="17:00"),
       C("tenuta-colle-fortino", "Degustazione Montecarlo DOC", 2, time="11:00"),
       C("agriturismo-villa-marlia-verde", "Cena in fattoria", 1, "optional", time="20:00",
         note_it="Solo il venerdì e il sabato.", note_en="Fridays and Saturdays only."),
       C("trattoria-nonna-gina", "Corso di tordelli lucchesi", 2, "optional", time="10:00",
         note_it="Tre ore ai fornelli con pranzo; il mercoledì e il sabato.",
         note_en="Three hours at the stove with lunch; Wednesdays and Saturdays.")]),
    P("via-francigena-da-altopascio", "La Via Francigena da Altopascio", "The Via Francigena from Altopascio", "altopascio", 2, "walking,spirituality",
      "Il pane del Tau, una notte in locanda e la tappa a piedi da Porcari ad Altopascio.", "Tau bread, a night at the inn and the walking stage from Porcari to Altopascio.",
      "Altopascio era l'ospedale dei cavalieri del Tau sulla Via Francigena. Il sabato imparate a fare il suo pane, dormite nella locanda dei pellegrini e la domenica camminate con una guida da Porcari ad Altopascio.",
      "Altopascio was the Knights of the Tau's hospital on the Via Francigena. On Saturday learn to bake its bread, sleep at the pilgrims' inn and on Sunday walk with a guide from Porcari to Altopascio.",
      "Laboratorio del pane\nUna notte in camera del pellegrino\nCammino guidato (12 km)", "Bread workshop\nOne night in a pilgrim's room\nGuided walk (12 km)",
      STANDARD_EXCLUDED_IT + "\nCredenziale del pellegrino", STANDARD_EXCLUDED_EN + "\nPilgrim's credential", "Antico Forno, Via Roma 14, Altopascio", "Antico Forno, Via Roma 14, Altopascio",
      [C("forno-pane-altopascio", "Laboratorio del pane di Altopascio", 1),
       C("locanda-del-tau", "Camera del pellegrino", 1),
       C("guide-francigena-altopascio", "Francigena: da Porcari ad Altopascio", 2, note_it="Ritrovo alla chiesa di San Giusto, Porcari, scarpe da trekking.", note_en="Meet at San Giusto church, Porcari; wear walking shoes.")],
      markup="12"),
    P("casentino-foreste-e-monasteri", "Una settimana tra foreste e monasteri del Casentino", "A week of forests and monasteries in the Casentino", "bibbiena", 7, "nature,spirituality,wine",
      "Bibbiena, le sorgenti dell'Arno, formaggi e castagne, e tre notti vicino al santuario della Verna.", "Bibbiena, the springs of the Arno, cheese and chestnuts, and three nights near La Verna.",
      "Una settimana lenta nel Parco Nazionale delle Foreste Casentinesi: tre notti a Bibbiena, un'escursione alle sorgenti dell'Arno, i sapori di montagna e tre notti alla foresteria della Verna, il santuario di San Francesco.",
      "A slow week in the Foreste Casentinesi National Park: three nights in Bibbiena, a hike to the springs of the Arno, mountain food and three nights at La Verna, Saint Francis' sanctuary.",
      "Sei notti in camera doppia\nEscursione guidata alle sorgenti dell'Arno\nDue degustazioni", "Six nights in a double room\nGuided hike to the springs of the Arno\nTwo tastings",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Hotel Bibbiena Centro Storico, Via Dovizi 17", "Hotel Bibbiena Centro Storico, Via Dovizi 17",
      [C("hotel-bibbiena-centro", "Camera doppia", d) for d in (1, 2, 3)]
      + [C("guide-foreste-casentinesi", "Le sorgenti dell'Arno", 2),
         C("caseificio-castagneto", "Degustazione di formaggi e castagne", 3),
         C("prosciutto-casentino", "Degustazione di salumi del Casentino", 4, time="12:00")]
      + [C("foresteria-la-verna", "Camera doppia", d) for d in (4, 5, 6)],
      markup="18", tiers=((30, 100), (7, 50))),
    P("in-bici-nella-piana", "In bici nella Piana di Lucca", "Cycling the Piana di Lucca", "porcari", 3, "cycling,wine",
      "Tre giorni in e-bike tra la ciclovia Puccini, le ville e gli oliveti di Segromigno.", "Three days by e-bike on the Puccini cycle path, among villas and the olive groves of Segromigno.",
      "Pedalate in piano tra Porcari, Lucca e Capannori su e-bike da trekking, con due notti a Porcari e una degustazione di olio extravergine sulle colline di Segromigno.",
      "Ride the flat plain between Porcari, Lucca and Capannori on trekking e-bikes, with two nights in Porcari and an extra-virgin olive oil tasting on the Segromigno hills.",
      "E-bike per tre giorni\nDue notti in hotel\nDegustazione di olio\nTracce GPX", "E-bike for three days\nTwo hotel nights\nOlive oil tasting\nGPX tracks",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "E-bike Porcari, Piazza Orsi 3", "E-bike Porcari, Piazza Orsi 3",
      [C("ebike-porcari", "E-bike trekking (giornata)", d) for d in (1, 2, 3)]
      + [C("hotel-porcari-centro", "Camera doppia", d, "per_room", 2) for d in (1, 2)]
      + [C("fattoria-ville-segromigno", "Degustazione di olio extravergine", 2),
         C("cantina-colle-di-matraia", "Degustazione Colline Lucchesi DOC", 2, "optional", time="17:00",
           note_it="A fine giornata, a 4 km dalla ciclovia.", note_en="At the end of the day, 4 km off the cycle path.")]),
    P("lucca-dentro-le-mura", "Lucca dentro le Mura", "Lucca inside the walls", "lucca", 2, "heritage,family",
      "Un weekend in città: visita guidata, torri e un giro in bici sulle Mura.", "A city weekend: guided tour, towers and a bike ride on the walls.",
      "Dormite accanto a San Frediano, scoprite con una guida abilitata le cento chiese e le piazze, salite sulle torri e pedalate sui quattro chilometri delle Mura.",
      "Stay next to San Frediano, discover the hundred churches and the squares with a licensed guide, climb the towers and cycle the four kilometres of the walls.",
      "Una notte in hotel\nVisita guidata\nBiglietto cumulativo torri\nBicicletta per un giorno", "One hotel night\nGuided tour\nCombined towers ticket\nBike for a day",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Piazza San Michele, Lucca", "Piazza San Michele, Lucca",
      [C("hotel-san-frediano", "Camera doppia", 1),
       C("guide-lucca-cento-chiese", "Lucca dentro le Mura", 1, time="15:00"),
       C("lucca-bike-mura", "Bicicletta city (giornata)", 2),
       C("torre-delle-ore-biglietteria", "Biglietto cumulativo torri", 2)]),
    P("puccini-a-lucca", "Puccini a Lucca", "Puccini's Lucca", "lucca", 2, "heritage",
      "Dall'aeroporto di Pisa alla città di Puccini, con una guida e una notte sulle Mura.", "From Pisa airport to Puccini's town, with a guide and a night on the walls.",
      "Il transfer vi porta dall'aeroporto di Pisa a Lucca; la guida vi racconta i luoghi di Giacomo Puccini, dalla casa natale a piazza Cittadella.",
      "A transfer takes you from Pisa airport to Lucca; the guide tells the places of Giacomo Puccini, from his birthplace to Piazza Cittadella.",
      "Transfer privato da Pisa\nVisita guidata Puccini\nUna notte in B&B", "Private transfer from Pisa\nPuccini guided tour\nOne night in a B&B",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Aeroporto di Pisa, arrivi", "Pisa airport, arrivals hall",
      [C("ncc-piana-di-lucca", "Transfer aeroporto di Pisa – Piana di Lucca", 1, "per_group", time="09:00"),
       C("bb-le-mura", "Camera matrimoniale", 1),
       C("guide-lucca-cento-chiese", "Lucca e Puccini", 1),
       C("lucca-bike-mura", "E-bike (giornata)", 2, "optional",
         note_it="Ritiro in Piazzale Verdi, per un giro sulle Mura.", note_en="Pick-up at Piazzale Verdi, for a ride on the walls.")]),
    P("vendemmia-a-montecarlo", "Vendemmia a Montecarlo", "Grape harvest in Montecarlo", "montecarlo", 2, "wine",
      "Aperitivo con i vignaioli, una notte con vista sulla Piana e una mattina di vendemmia.", "Aperitivo with the winemakers, a night overlooking the plain and a harvest morning.",
      "Il venerdì sera brindate con i produttori del borgo, dormite sulle colline di Montecarlo e il sabato vendemmiate nei vigneti intorno alla Fortezza del Cerruglio.",
      "On Friday evening toast with the village producers, sleep on the Montecarlo hills and on Saturday harvest grapes in the vineyards around the Cerruglio fortress.",
      "Aperitivo\nUna notte in agriturismo\nGiornata di vendemmia con pranzo", "Aperitivo\nOne night at a farm stay\nHarvest day with lunch",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Enoteca Il Cerruglio, Via Roma 41, Montecarlo", "Enoteca Il Cerruglio, Via Roma 41, Montecarlo",
      [C("enoteca-cerruglio", "Aperitivo con i vignaioli", 1),
       C("agriturismo-rocca-montecarlo", "Camera con vista", 1),
       C("tenuta-colle-fortino", "Vendemmia in cantina", 2)], markup="20"),
    P("tordelli-e-olio-capannori", "Tordelli e olio a Capannori", "Tordelli and olive oil in Capannori", "capannori", 2, "wine,family",
      "Olio nuovo sulle colline e un corso di tordelli lucchesi con la nonna.", "New oil on the hills and a Lucca tordelli class with grandma.",
      "Una notte in fattoria a Segromigno con degustazione dell'olio e, il giorno dopo, un corso di cucina per imparare i tordelli lucchesi.",
      "A night at a Segromigno farm with an olive oil tasting and, the next day, a cooking class to learn Lucca's tordelli.",
      "Una notte in collina\nDegustazione di olio\nCorso di cucina con pranzo", "One night on the hills\nOlive oil tasting\nCooking class with lunch",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Fattoria Le Ville di Segromigno", "Fattoria Le Ville di Segromigno",
      [C("fattoria-ville-segromigno", "Camera doppia in collina", 1),
       C("fattoria-ville-segromigno", "Degustazione di olio extravergine", 1),
       C("trattoria-nonna-gina", "Corso di tordelli lucchesi", 2)]),
    P("pizzorne-e-cartiere", "Pizzorne e antiche cartiere", "The Pizzorne plateau and the old paper mills", "villa-basilica", 2, "nature,walking",
      "Una notte nella valle delle cartiere e un trekking sull'altopiano delle Pizzorne.", "A night in the paper mill valley and a trek on the Pizzorne plateau.",
      "Villa Basilica è la valle delle cartiere e della pieve romanica. Dormite in un casale e la domenica camminate sull'altopiano delle Pizzorne tra faggete e borghi.",
      "Villa Basilica is the valley of paper mills and a Romanesque parish church. Sleep in a farmhouse and on Sunday walk the Pizzorne plateau among beech woods and villages.",
      "Una notte in casale\nTrekking guidato", "One night in a farmhouse\nGuided trek",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Pieve di Villa Basilica", "Villa Basilica parish church",
      [C("casale-della-cartiera", "Camera doppia", 1),
       C("escursioni-pizzorne", "Trekking delle Pizzorne", 2)], markup="10"),
    P("bramito-dei-cervi", "Il bramito dei cervi in Casentino", "Red deer rutting in the Casentino", "poppi", 2, "nature",
      "Al tramonto nel bosco ad ascoltare i cervi, poi cena casentinese e notte a Poppi.", "At dusk in the forest listening to the deer, then a Casentino dinner and a night in Poppi.",
      "In autunno i cervi delle Foreste Casentinesi si sfidano al tramonto: una guida del parco vi accompagna all'ascolto, poi cena e notte in agriturismo con vista sul castello di Poppi.",
      "In autumn the Casentino forests' red deer challenge each other at dusk: a park guide takes you to listen, then dinner and a night at a farm stay facing Poppi castle.",
      "Escursione al tramonto\nCena casentinese\nUna notte in agriturismo", "Dusk hike\nCasentino dinner\nOne night at a farm stay",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Agriturismo Il Poggio di Poppi", "Agriturismo Il Poggio di Poppi",
      [C("guide-foreste-casentinesi", "Bramito dei cervi", 1),
       C("agriturismo-poggio-di-poppi", "Cena casentinese", 1),
       C("agriturismo-poggio-di-poppi", "Camera doppia", 1)]),
    P("francigena-in-ebike", "La Francigena in e-bike", "The Via Francigena by e-bike", "altopascio", 1, "cycling,walking",
      "Una giornata in e-bike sulla Francigena con il laboratorio del pane di Altopascio.", "A day by e-bike on the Via Francigena with the Altopascio bread workshop.",
      "Ritirate l'e-bike a Porcari, pedalate lungo la Francigena fino ad Altopascio e impastate il pane del Tau nel forno a legna.",
      "Pick up your e-bike in Porcari, ride the Via Francigena to Altopascio and knead Tau bread in the wood-fired oven.",
      "E-bike per un giorno\nLaboratorio del pane", "E-bike for a day\nBread workshop",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "E-bike Porcari, Piazza Orsi 3", "E-bike Porcari, Piazza Orsi 3",
      [C("ebike-porcari", "E-bike trekking (giornata)", 1),
       C("forno-pane-altopascio", "Laboratorio del pane di Altopascio", 1)], markup="10", tiers=((7, 100), (2, 50))),
    P("sapori-del-casentino", "Sapori del Casentino", "Flavours of the Casentino", "bibbiena", 3, "wine",
      "Prosciutto del Casentino, formaggi di montagna e farina di castagne, con due notti a Bibbiena.", "Casentino ham, mountain cheeses and chestnut flour, with two nights in Bibbiena.",
      "Tre giorni a tavola nella valle: i salumi del maiale grigio, i formaggi di Cetica e la farina di castagne, con base nel centro storico di Bibbiena.",
      "Three days at the table in the valley: grey pig cured meats, Cetica cheeses and chestnut flour, staying in Bibbiena's old town.",
      "Due notti in hotel\nDue degustazioni", "Two hotel nights\nTwo tastings",
      STANDARD_EXCLUDED_IT, STANDARD_EXCLUDED_EN, "Hotel Bibbiena Centro Storico", "Hotel Bibbiena Centro Storico",
      [C("hotel-bibbiena-centro", "Camera doppia", 1), C("hotel-bibbiena-centro", "Camera doppia", 2),
       C("prosciutto-casentino", "Degustazione di salumi del Casentino", 1, time="18:00"),
       C("caseificio-castagneto", "Degustazione di formaggi e castagne", 2)]),
]  # fmt: skip


def _service(spec: C) -> Service | None:
    return Service.objects.filter(operator__slug=spec.operator, name_it=spec.service).first()


def _create(spec: P, services: list[Service]) -> Package:
    package = Package.objects.create(
        slug=spec.slug, title_it=spec.title_it, title_en=spec.title_en, area=spec.area, duration_days=spec.days,
        themes=spec.themes, summary_it=spec.summary_it, summary_en=spec.summary_en,
        description_it=spec.description_it, description_en=spec.description_en,
        included_it=spec.included_it, included_en=spec.included_en, excluded_it=spec.excluded_it,
        excluded_en=spec.excluded_en, meeting_point_it=spec.meeting_it, meeting_point_en=spec.meeting_en,
        markup_kind=Package.MarkupKind.PERCENT, markup_value=Decimal(spec.markup),
    )  # fmt: skip
    PackageComponent.objects.bulk_create(
        [
            PackageComponent(
                package=package,
                service=service,
                position=i,
                day=c.day,
                quantity_rule=c.rule,
                room_size=c.room_size,
                start_time=dt.time.fromisoformat(c.time) if c.time else None,
                note_it=c.note_it,
                note_en=c.note_en,
            )  # fmt: skip
            for i, (c, service) in enumerate(zip(spec.components, services, strict=True))
        ]
    )
    _add_photo(package=package, spec=spec)
    CancellationTier.objects.bulk_create(
        [CancellationTier(package=package, days_before=days, refund_percent=percent) for days, percent in spec.tiers]
    )
    return package


def _add_photo(*, package: Package, spec: P) -> None:
    """One generated landscape per package (ours, CC0: cms.demo_images), so cards are not blank."""
    from django.core.files.base import ContentFile

    from cms.demo_images import landscape_png

    moods = ["noon", "dawn", "dusk", "forest", "stone"]
    mood = moods[sum(map(ord, spec.slug)) % len(moods)]
    data = landscape_png(spec.title_it, mood=mood, size=(960, 640))
    photo = PackagePhoto(package=package, position=0, caption_it=spec.title_it, caption_en=spec.title_en)
    photo.image.save(f"{spec.slug}.jpg", ContentFile(data), save=True)


def _add_missing_extras(*, package: Package, spec: P) -> int:
    """Optional extras added to a spec after its package was first created (demo databases loaded
    before extras were sellable get them too); included components are never touched."""
    have = set(package.components.filter(quantity_rule="optional").values_list("service_id", "day"))
    position = max(package.components.values_list("position", flat=True), default=0)
    added = 0
    for c in spec.components:
        if c.rule != "optional":
            continue
        service = _service(c)
        if service is None or (service.pk, c.day) in have:
            continue
        position += 1
        PackageComponent.objects.create(
            package=package, service=service, position=position, day=c.day, quantity_rule=c.rule,
            start_time=dt.time.fromisoformat(c.time) if c.time else None, note_it=c.note_it, note_en=c.note_en,
        )  # fmt: skip
        added += 1
    return added


def load(stdout=None) -> None:
    created = published = 0
    skipped = []
    for spec in PACKAGES:
        with transaction.atomic():
            package = Package.objects.filter(slug=spec.slug).first()
            if package is None:
                services = [_service(c) for c in spec.components]
                if any(s is None for s in services):
                    skipped.append(spec.slug)
                    continue
                package = _create(spec, services)
                created += 1
            else:
                if not package.photos.exists():
                    _add_photo(package=package, spec=spec)
                _add_missing_extras(package=package, spec=spec)
            if package.status != Package.Status.WITHDRAWN:
                package_publish(package=package)
                published += 1
    # Every sellable service is also sold alone, as its automatic one-component package.
    single = service_packages_sync()
    if stdout is not None:
        stdout.write(f"  packages: {created} created, {published} published with their Oscar products")
        stdout.write(f"  single services sold alone: {single} packages")
        if skipped:
            stdout.write(f"  packages skipped (operators demo services missing): {', '.join(skipped)}")
