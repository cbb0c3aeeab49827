"""Demo destination: home, areas, points of interest, itineraries, events, collections, articles and
tourist offices, in Italian and English, with generated pictures (cms/demo_images.py).

Idempotent: every page is looked up by its parent and slug before being created, and its English
version is a wagtail-localize translation of it (created once, its segments filled with the demo's
English), so `load_demo` can run any number of times.
"""

import copy
import datetime as dt
import json
import re
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from .demo_images import demo_image
from .demo_legal import load_legal
from .models import (
    AreaIndexPage,
    AreaPage,
    ArticleIndexPage,
    ArticlePage,
    CollectionIndexPage,
    CollectionPage,
    EventIndexPage,
    EventPage,
    HomePage,
    ItineraryIndexPage,
    ItineraryPage,
    PointOfInterestPage,
    TouristOfficeIndexPage,
    TouristOfficePage,
)
from .sites import site_address, sites_sync

HOME = {
    "it": {
        "title": "Terre di Lucca e Casentino",
        "slug": "home",
        "hero_title": "Tra le mura di Lucca e le foreste del Casentino",
        "hero_text": "Ville, pievi romaniche, vino delle colline e cammini lungo la Via Francigena: "
        "pacchetti e esperienze scelti dagli operatori del territorio.",
        "intro": "<p>La Piana di Lucca unisce sei comuni (Lucca, Capannori, Altopascio, Montecarlo, "
        "Villa Basilica e Porcari) tra città d'arte, ville storiche e campagna. Più a est, il Casentino "
        "custodisce le Foreste Casentinesi, i monasteri di Camaldoli e La Verna e i castelli dei Conti Guidi.</p>",
    },
    "en": {
        "title": "Lucca and Casentino",
        "slug": "home-en",
        "hero_title": "From the walls of Lucca to the forests of the Casentino",
        "hero_text": "Villas, Romanesque churches, hill wines and walks on the Via Francigena: "
        "packages and experiences chosen with local operators.",
        "intro": "<p>The Piana di Lucca joins six municipalities (Lucca, Capannori, Altopascio, Montecarlo, "
        "Villa Basilica and Porcari): a city of art, historic villas and open countryside. Further east, the "
        "Casentino keeps the Casentino Forests, the monasteries of Camaldoli and La Verna and the castles of "
        "the Guidi counts.</p>",
    },
}

INDEXES = [
    (
        AreaIndexPage,
        "dawn",
        {
            "title": "Territori",
            "slug": "territori",
            "summary": "Sei comuni della Piana di Lucca e la valle del Casentino.",
        },
        {
            "title": "Areas",
            "slug": "areas",
            "summary": "Six municipalities of the Piana di Lucca and the Casentino valley.",
        },
    ),
    (
        ItineraryIndexPage,
        "noon",
        {
            "title": "Itinerari",
            "slug": "itinerari",
            "summary": "A piedi, in bicicletta, lungo la Via Francigena e nelle foreste.",
        },
        {
            "title": "Itineraries",
            "slug": "itineraries",
            "summary": "On foot, by bike, on the Via Francigena and in the forests.",
        },
    ),
    (
        EventIndexPage,
        "dusk",
        {"title": "Eventi", "slug": "eventi", "summary": "Feste, mercati, concerti e tradizioni nei borghi."},
        {
            "title": "Events",
            "slug": "events",
            "summary": "Festivals, markets, concerts and traditions in the villages.",
        },
    ),
    (
        CollectionIndexPage,
        "stone",
        {
            "title": "Idee di viaggio",
            "slug": "idee",
            "summary": "Proposte scelte dalla nostra redazione con gli operatori locali.",
        },
        {"title": "Ideas for your stay", "slug": "ideas", "summary": "Selections by our editors with local operators."},
    ),
    (
        ArticleIndexPage,
        "noon",
        {"title": "Racconti", "slug": "racconti", "summary": "Storie, sapori e notizie dal territorio."},
        {"title": "Stories", "slug": "stories", "summary": "Stories, flavours and news from the area."},
    ),
    (
        TouristOfficeIndexPage,
        "stone",
        {
            "title": "Uffici turistici",
            "slug": "uffici-turistici",
            "summary": "Gli uffici IAT: informazioni, mappe e accoglienza.",
        },
        {
            "title": "Tourist offices",
            "slug": "tourist-offices",
            "summary": "IAT offices: information, maps and welcome.",
        },
    ),
]

AREAS = [
    (
        "lucca",
        "municipality",
        43.8429,
        10.5027,
        14,
        "dawn",
        (
            "Lucca",
            "La città dalle mura intatte: cento chiese, torri e piazze da percorrere a piedi o in bicicletta.",
            "Lucca",
            "The city within intact walls: a hundred churches, towers and squares to explore on foot or by bike.",
        ),
    ),
    (
        "capannori",
        "municipality",
        43.8417,
        10.5736,
        12,
        "stone",
        (
            "Capannori",
            "Ville storiche, pievi romaniche e l'acquedotto del Nottolini tra colline e piana.",
            "Capannori",
            "Historic villas, Romanesque parish churches and the Nottolini aqueduct between hills and plain.",
        ),
    ),
    (
        "altopascio",
        "municipality",
        43.8160,
        10.6760,
        14,
        "noon",
        (
            "Altopascio",
            "Il borgo dei Cavalieri del Tau, antico ospitale sulla Via Francigena, e il suo pane.",
            "Altopascio",
            "The village of the Knights of the Tau, an ancient hospice on the Via Francigena, and its bread.",
        ),
    ),
    (
        "montecarlo",
        "municipality",
        43.8510,
        10.6680,
        15,
        "dusk",
        (
            "Montecarlo",
            "Borgo fortificato tra i vigneti: vino DOC, la Fortezza del Cerruglio e un piccolo teatro.",
            "Montecarlo",
            "A walled village among vineyards: DOC wine, the Cerruglio fortress and a tiny theatre.",
        ),
    ),
    (
        "villa-basilica",
        "municipality",
        43.9270,
        10.6460,
        13,
        "forest",
        (
            "Villa Basilica",
            "La valle della carta: cartiere storiche lungo il torrente Pescia e boschi di castagni.",
            "Villa Basilica",
            "The paper valley: historic paper mills along the Pescia stream and chestnut woods.",
        ),
    ),
    (
        "porcari",
        "municipality",
        43.8390,
        10.6170,
        14,
        "noon",
        (
            "Porcari",
            "Sul colle della Torre, tra Francigena e industria della carta, con la Fondazione Lazzareschi.",
            "Porcari",
            "On the Torre hill, between the Francigena and the paper industry, home of the Lazzareschi Foundation.",
        ),
    ),
    (
        "casentino",
        "valley",
        43.7400,
        11.7800,
        10,
        "forest",
        (
            "Casentino",
            "La valle dell'Arno alto: foreste sacre, monasteri, castelli dei Conti Guidi e panno di lana.",
            "Casentino",
            "The upper Arno valley: sacred forests, monasteries, castles of the Guidi counts and woollen cloth.",
        ),
    ),
]

AREA_INTROS = {
    "lucca": (
        "Dentro le mura cinquecentesche la città si gira a piedi: San Martino e il Volto Santo, San Michele, "
        "le torri Guinigi e delle Ore, la piazza nata dall'anfiteatro romano. Sopra, quattro chilometri di "
        "passeggiata alberata.",
        "Inside its 16th-century walls the city is explored on foot: San Martino and the Holy Face, San Michele, "
        "the Guinigi and Clock towers, the square born of the Roman amphitheatre. Above, four kilometres of "
        "tree-lined promenade.",
    ),
    "capannori": (
        "Il comune più grande della piana sale verso le colline delle ville: Marlia, Camigliano, Segromigno. "
        "In pianura corrono l'acquedotto del Nottolini e le strade del biologico e dei mercati contadini.",
        "The plain's largest municipality climbs to the villa hills: Marlia, Camigliano, Segromigno. Down on the "
        "plain run the Nottolini aqueduct and the roads of organic farms and farmers' markets.",
    ),
    "altopascio": (
        "Per secoli l'ospitale dei Cavalieri del Tau ha accolto i pellegrini della Via Francigena: la campana "
        "Smarrita suona ancora la sera. Il pane sciapo, cotto a legna, è il suo orgoglio.",
        "For centuries the hospice of the Knights of the Tau welcomed Via Francigena pilgrims: the Smarrita bell "
        "still rings at night. Its unsalted, wood-baked bread is the town's pride.",
    ),
    "montecarlo": (
        "Un borgo murato sulla collina, con la Fortezza del Cerruglio, il Teatro dei Rassicurati e le cantine "
        "del Montecarlo DOC. Dalle mura lo sguardo arriva alla Valdinievole.",
        "A walled hill village with the Cerruglio fortress, the tiny Rassicurati theatre and the wineries of "
        "Montecarlo DOC. From the walls the view reaches the Valdinievole.",
    ),
    "villa-basilica": (
        "Una valle stretta e boscosa dove l'acqua del Pescia ha mosso per secoli le cartiere. Pievi romaniche, "
        "castagneti e sentieri tra i borghi di Boveglio, Colognora e Pariana.",
        "A narrow wooded valley where the Pescia stream drove the paper mills for centuries. Romanesque churches, "
        "chestnut woods and trails between the hamlets of Boveglio, Colognora and Pariana.",
    ),
    "porcari": (
        "Sul colle della Torre passava la Francigena; oggi Porcari è il cuore del distretto della carta, con "
        "la Fondazione Lazzareschi e i suoi premi alla cultura del lavoro.",
        "The Francigena crossed the Torre hill; today Porcari is the heart of the paper district, with the "
        "Lazzareschi Foundation and its prizes for the culture of work.",
    ),
    "casentino": (
        "L'alta valle dell'Arno tra le Foreste Casentinesi e il Pratomagno: i monasteri di Camaldoli e La Verna, "
        "i castelli dei Conti Guidi a Poppi e Romena, le pievi romaniche e il panno di lana di Stia.",
        "The upper Arno valley between the Casentino Forests and the Pratomagno: the monasteries of Camaldoli and "
        "La Verna, the Guidi castles at Poppi and Romena, Romanesque churches and the woollen cloth of Stia.",
    ),
}

AREA_PRACTICAL = {
    "it": "<p><b>Come arrivare</b>: treno regionale da Firenze o Pisa; autostrada A11. "
    "<b>Muoversi</b>: bicicletta e trasporto pubblico locale; parcheggi fuori dal centro storico.</p>",
    "en": "<p><b>Getting there</b>: regional trains from Florence or Pisa; A11 motorway. "
    "<b>Getting around</b>: bicycles and local buses; car parks outside the historic centre.</p>",
}
CASENTINO_PRACTICAL = {
    "it": "<p><b>Come arrivare</b>: treno Arezzo–Stia, strada regionale 70 dal Passo della Consuma. "
    "<b>Muoversi</b>: auto o bus locali; sentieri CAI segnati nel Parco Nazionale.</p>",
    "en": "<p><b>Getting there</b>: Arezzo–Stia railway, regional road 70 over the Consuma pass. "
    "<b>Getting around</b>: car or local buses; marked CAI trails in the National Park.</p>",
}

# (area, kind, lat, lng, mood, free, wheelchair, it (title, summary, body), en (title, summary, body), address)
POIS = [
    (
        "lucca",
        "monument",
        43.8440,
        10.4990,
        "dawn",
        True,
        True,
        (
            "Mura di Lucca",
            "Quattro chilometri di mura rinascimentali trasformate in un parco alberato.",
            "Le mura, completate nel Seicento, non hanno mai subito un assedio: oggi sono una passeggiata "
            "alberata sopra la città, con baluardi, porte e sotterranei.",
        ),
        (
            "The walls of Lucca",
            "Four kilometres of Renaissance walls turned into a tree-lined park.",
            "Completed in the 17th century, the walls never saw a siege: today they are a tree-lined promenade "
            "above the city, with bastions, gates and underground passages.",
        ),
        "Passeggiata delle Mura, 55100 Lucca",
    ),
    (
        "lucca",
        "church",
        43.8405,
        10.5058,
        "stone",
        False,
        True,
        (
            "Duomo di San Martino",
            "La cattedrale con il Volto Santo e il monumento a Ilaria del Carretto.",
            "La facciata romanica a loggette ospita il labirinto scolpito; all'interno il tempietto di Matteo Civitali "
            "custodisce il Volto Santo, meta di pellegrini lungo la Via Francigena.",
        ),
        (
            "San Martino Cathedral",
            "The cathedral of the Holy Face and the tomb of Ilaria del Carretto.",
            "The arcaded Romanesque façade bears the carved labyrinth; inside, Matteo Civitali's shrine keeps the "
            "Holy Face, a goal of pilgrims on the Via Francigena.",
        ),
        "Piazza San Martino, 55100 Lucca",
    ),
    (
        "lucca",
        "monument",
        43.8455,
        10.5065,
        "dusk",
        True,
        True,
        (
            "Piazza dell'Anfiteatro",
            "Una piazza ellittica nata sulle rovine dell'anfiteatro romano.",
            "Le case medievali hanno seguito la forma dell'arena romana: la piazza fu liberata nell'Ottocento "
            "dall'architetto Lorenzo Nottolini.",
        ),
        (
            "Piazza dell'Anfiteatro",
            "An elliptical square built on the ruins of the Roman amphitheatre.",
            "Medieval houses followed the shape of the Roman arena; the architect Lorenzo Nottolini cleared the "
            "square in the 19th century.",
        ),
        "Piazza dell'Anfiteatro, 55100 Lucca",
    ),
    (
        "lucca",
        "story",
        43.8430,
        10.5000,
        "dusk",
        False,
        False,
        (
            "La leggenda di Lucida Mansi",
            "La dama che vendette l'anima per restare giovane.",
            "Si racconta che nelle notti di agosto la carrozza infuocata di Lucida Mansi corra sulle mura "
            "prima di precipitare nel laghetto dell'Orto Botanico.",
        ),
        (
            "The legend of Lucida Mansi",
            "The lady who sold her soul to stay young.",
            "It is said that on August nights Lucida Mansi's burning carriage races along the walls before "
            "plunging into the pond of the Botanical Garden.",
        ),
        "Palazzo Mansi, Via Galli Tassi 43, Lucca",
    ),
    (
        "lucca",
        "food",
        43.8435,
        10.5040,
        "noon",
        True,
        True,
        (
            "Il buccellato",
            "Il dolce di Lucca con uvetta e anice, da regalare ai figliocci.",
            "«Chi viene a Lucca e non mangia il buccellato è come non ci fosse stato»: il pane dolce ad anello "
            "si trova nelle pasticcerie storiche del centro.",
        ),
        (
            "Buccellato",
            "Lucca's sweet bread with raisins and aniseed.",
            '"Whoever comes to Lucca without eating buccellato might as well not have come": the ring-shaped '
            "sweet bread is sold in the historic pastry shops of the centre.",
        ),
        "Via Fillungo, Lucca",
    ),
    (
        "capannori",
        "villa",
        43.8855,
        10.5510,
        "stone",
        False,
        True,
        (
            "Villa Reale di Marlia",
            "Giardini all'italiana, il teatro di verzura e i ricordi di Elisa Bonaparte.",
            "La villa fu residenza di Elisa Baciocchi Bonaparte; il parco custodisce il teatro di verzura, "
            "la grotta di Pan e il giardino dei limoni.",
        ),
        (
            "Villa Reale di Marlia",
            "Italian gardens, the green theatre and memories of Elisa Bonaparte.",
            "The villa was the residence of Elisa Baciocchi Bonaparte; the park holds the green theatre, "
            "Pan's grotto and the lemon garden.",
        ),
        "Viale Europa, Marlia, Capannori",
    ),
    (
        "capannori",
        "villa",
        43.8810,
        10.5800,
        "dawn",
        False,
        False,
        (
            "Villa Torrigiani",
            "La villa barocca di Camigliano con il giardino di Flora e i suoi giochi d'acqua.",
            "Una facciata scenografica, un viale di cipressi e il ninfeo del giardino di Flora con scherzi d'acqua.",
        ),
        (
            "Villa Torrigiani",
            "The Baroque villa of Camigliano with Flora's garden and its water games.",
            "A theatrical façade, an avenue of cypresses and the nymphaeum of Flora's garden with water tricks.",
        ),
        "Via del Gomberaio 3, Camigliano, Capannori",
    ),
    (
        "capannori",
        "church",
        43.8990,
        10.6020,
        "noon",
        True,
        False,
        (
            "Pieve di San Gennaro",
            "Pieve romanica sulle colline con un angelo attribuito a Leonardo.",
            "Dalla pieve si domina la piana; all'interno l'angelo in terracotta discusso dagli studiosi.",
        ),
        (
            "Pieve di San Gennaro",
            "A Romanesque hill church with an angel attributed to Leonardo.",
            "The church overlooks the plain; inside, a terracotta angel debated by scholars.",
        ),
        "Via della Chiesa, San Gennaro, Capannori",
    ),
    (
        "capannori",
        "monument",
        43.8330,
        10.5330,
        "dawn",
        True,
        True,
        (
            "Acquedotto del Nottolini",
            "Più di quattrocento archi che portavano l'acqua dei monti a Lucca.",
            "Costruito nell'Ottocento, l'acquedotto attraversa la campagna con 459 archi; "
            "accanto corre una pista ciclabile.",
        ),
        (
            "Nottolini aqueduct",
            "Over four hundred arches that carried mountain water to Lucca.",
            "Built in the 19th century, the aqueduct crosses the countryside on 459 arches, "
            "with a cycle path alongside.",
        ),
        "Via di Vorno, Guamo, Capannori",
    ),
    (
        "altopascio",
        "monument",
        43.8161,
        10.6775,
        "noon",
        False,
        True,
        (
            "Magione dei Cavalieri del Tau",
            "L'ospitale medievale che accoglieva i pellegrini della Francigena.",
            "I Cavalieri del Tau assistevano i viandanti: la campana «Smarrita» suonava ogni sera per guidare chi "
            "si era perso nella selva.",
        ),
        (
            "Magione of the Knights of the Tau",
            "The medieval hospice that welcomed Francigena pilgrims.",
            "The Knights of the Tau cared for travellers: the bell called 'Smarrita' rang every evening to guide "
            "those lost in the forest.",
        ),
        "Piazza Ricasoli, Altopascio",
    ),
    (
        "altopascio",
        "food",
        43.8165,
        10.6770,
        "dawn",
        True,
        True,
        (
            "Il pane di Altopascio",
            "Il pane sciapo dei Cavalieri, cotto a legna dal Medioevo.",
            "Lievito madre e lunga lievitazione: il pane di Altopascio era offerto ai pellegrini e oggi è celebrato "
            "da una festa in settembre.",
        ),
        (
            "Altopascio bread",
            "The unsalted bread of the Knights, baked in wood ovens since the Middle Ages.",
            "Sourdough and a long rise: Altopascio bread was given to pilgrims and is celebrated by a festival in "
            "September.",
        ),
        "Altopascio",
    ),
    (
        "montecarlo",
        "castle",
        43.8517,
        10.6696,
        "dusk",
        False,
        False,
        (
            "Fortezza del Cerruglio",
            "La rocca che domina la Valdinievole e la piana di Lucca.",
            "La fortezza trecentesca, con il mastio e le mura a stella, è il cuore del borgo di Montecarlo.",
        ),
        (
            "Cerruglio fortress",
            "The castle that watches over the Valdinievole and the Lucca plain.",
            "The 14th-century fortress, with its keep and star-shaped walls, is the heart of Montecarlo.",
        ),
        "Via della Fortezza, Montecarlo",
    ),
    (
        "montecarlo",
        "food",
        43.8500,
        10.6650,
        "dusk",
        False,
        True,
        (
            "Il vino di Montecarlo",
            "Bianchi e rossi DOC da vitigni francesi e toscani.",
            "Dall'Ottocento le colline di Montecarlo mescolano sangiovese e syrah, trebbiano e sauvignon: "
            "molte cantine aprono per degustazioni.",
        ),
        (
            "Montecarlo wine",
            "DOC whites and reds from French and Tuscan grapes.",
            "Since the 19th century the Montecarlo hills have blended sangiovese and syrah, trebbiano and "
            "sauvignon: many wineries open for tastings.",
        ),
        "Colline di Montecarlo",
    ),
    (
        "villa-basilica",
        "craft",
        43.9230,
        10.6390,
        "forest",
        False,
        False,
        (
            "Le cartiere di Villa Basilica",
            "Acqua, stracci e fatica: la storia della carta paglia.",
            "Lungo il torrente Pescia le cartiere hanno prodotto per secoli la carta paglia; alcune si visitano "
            "con guide del museo della carta.",
        ),
        (
            "The paper mills of Villa Basilica",
            "Water, rags and toil: the story of straw paper.",
            "Along the Pescia stream, paper mills made straw paper for centuries; some can be visited with guides "
            "from the paper museum.",
        ),
        "Via delle Cartiere, Villa Basilica",
    ),
    (
        "villa-basilica",
        "church",
        43.9270,
        10.6460,
        "forest",
        True,
        False,
        (
            "Pieve di Santa Maria Assunta",
            "La pieve romanica in pietra con il crocifisso dipinto.",
            "La pieve del XII secolo conserva un crocifisso su tavola di scuola lucchese.",
        ),
        (
            "Santa Maria Assunta parish church",
            "The stone Romanesque church with its painted cross.",
            "The 12th-century church keeps a painted cross of the Lucca school.",
        ),
        "Piazza della Chiesa, Villa Basilica",
    ),
    (
        "porcari",
        "museum",
        43.8370,
        10.6160,
        "noon",
        True,
        True,
        (
            "Fondazione Lazzareschi",
            "Arte contemporanea e cultura d'impresa nel paese della carta.",
            "La fondazione ospita mostre d'arte e il premio dedicato alla cultura del lavoro.",
        ),
        (
            "Lazzareschi Foundation",
            "Contemporary art and business culture in the paper town.",
            "The foundation hosts art exhibitions and a prize devoted to the culture of work.",
        ),
        "Via Roma, Porcari",
    ),
    (
        "casentino",
        "castle",
        43.7214,
        11.7636,
        "forest",
        False,
        False,
        (
            "Castello di Poppi",
            "Il castello dei Conti Guidi con la biblioteca Rilliana e la cappella affrescata.",
            "Dalla torre si vede il campo della battaglia di Campaldino, dove combatté Dante.",
        ),
        (
            "Poppi castle",
            "The castle of the Guidi counts, with the Rilliana library and a frescoed chapel.",
            "From the tower you see the field of the battle of Campaldino, where Dante fought.",
        ),
        "Piazza della Repubblica 1, Poppi",
    ),
    (
        "casentino",
        "church",
        43.8090,
        11.8210,
        "forest",
        True,
        False,
        (
            "Eremo di Camaldoli",
            "Le celle dei monaci nella foresta di abeti fondata da san Romualdo.",
            "Nel 1012 san Romualdo fondò l'eremo tra gli abeti bianchi; le celle si visitano in silenzio.",
        ),
        (
            "Camaldoli hermitage",
            "The monks' cells in the fir forest founded by Saint Romuald.",
            "In 1012 Saint Romuald founded the hermitage among silver firs; the cells are visited in silence.",
        ),
        "Eremo di Camaldoli, Poppi",
    ),
    (
        "casentino",
        "church",
        43.7077,
        11.9310,
        "dawn",
        True,
        False,
        (
            "Santuario della Verna",
            "Il monte delle stimmate di san Francesco, a picco sulla valle.",
            "Il santuario sorge sullo sperone dove Francesco ricevette le stimmate nel 1224; ogni giorno la "
            "processione dei frati.",
        ),
        (
            "La Verna sanctuary",
            "The mountain where Saint Francis received the stigmata, above the valley.",
            "The sanctuary stands on the spur where Francis received the stigmata in 1224; the friars' procession "
            "takes place every day.",
        ),
        "Via del Santuario 45, Chiusi della Verna",
    ),
    (
        "casentino",
        "church",
        43.7770,
        11.6990,
        "stone",
        True,
        False,
        (
            "Pieve di Romena",
            "Una delle più belle pievi romaniche della Toscana, tra i cipressi.",
            "Capitelli scolpiti e abside a due ordini di arcate: la pieve è oggi anche un luogo di accoglienza.",
        ),
        (
            "Pieve di Romena",
            "One of Tuscany's finest Romanesque churches, among cypresses.",
            "Carved capitals and a two-tier apse: the church is also a place of hospitality today.",
        ),
        "Località Romena, Pratovecchio Stia",
    ),
    (
        "casentino",
        "story",
        43.7790,
        11.6930,
        "dusk",
        True,
        False,
        (
            "Mastro Adamo e il castello di Romena",
            "Il falsario dei fiorini che Dante mise all'Inferno.",
            "I Conti Guidi fecero coniare fiorini falsi a Mastro Adamo, bruciato nel 1281: Dante lo ricorda nel "
            "canto XXX dell'Inferno.",
        ),
        (
            "Master Adam and Romena castle",
            "The forger of florins whom Dante put in Hell.",
            "The Guidi counts had Master Adam forge florins; burned in 1281, he appears in Canto XXX of Dante's "
            "Inferno.",
        ),
        "Castello di Romena, Pratovecchio Stia",
    ),
    (
        "casentino",
        "craft",
        43.8010,
        11.7080,
        "forest",
        False,
        True,
        (
            "Il panno casentino",
            "La lana arancione e verde dal pelo arricciato, tessuta a Stia.",
            "Il Museo dell'Arte della Lana racconta il tessuto dei cappotti casentinesi.",
        ),
        (
            "Casentino cloth",
            "The curly orange and green wool woven in Stia.",
            "The Wool Art Museum tells the story of the cloth of Casentino coats.",
        ),
        "Museo dell'Arte della Lana, Stia",
    ),
]

ITINERARIES = [
    {
        "mode": "walk",
        "km": "18.5",
        "difficulty": "easy",
        "area": "altopascio",
        "mood": "noon",
        "it": (
            "Via Francigena: da Altopascio a Lucca",
            "Una tappa piana tra campi e pievi, dall'ospitale del Tau al Volto Santo.",
            "5 ore",
            "Marzo–novembre",
        ),
        "en": (
            "Via Francigena: Altopascio to Lucca",
            "A flat stage among fields and churches, from the Tau hospice to the Holy Face.",
            "5 hours",
            "March–November",
        ),
        "stages": [
            ("Magione del Tau", "Tau hospice", 43.8161, 10.6775, None),
            ("Badia di Pozzeveri", "Pozzeveri abbey", 43.8270, 10.6440, "3.5"),
            ("Porcari", "Porcari", 43.8390, 10.6170, "3.0"),
            ("Capannori", "Capannori", 43.8417, 10.5736, "4.5"),
            ("Duomo di San Martino, Lucca", "San Martino cathedral, Lucca", 43.8405, 10.5058, "7.5"),
        ],
    },
    {
        "mode": "walk",
        "km": "6",
        "difficulty": "easy",
        "area": "lucca",
        "mood": "dawn",
        "it": (
            "Lucca: le mura e le chiese",
            "Un anello sulle mura e dentro la città, da San Frediano a San Michele.",
            "3 ore",
            "Tutto l'anno",
        ),
        "en": (
            "Lucca: the walls and the churches",
            "A loop on the walls and through the city, from San Frediano to San Michele.",
            "3 hours",
            "All year",
        ),
        "stages": [
            ("Porta San Pietro", "Porta San Pietro", 43.8385, 10.5040, None),
            ("Duomo di San Martino", "San Martino cathedral", 43.8405, 10.5058, "0.4"),
            ("San Michele in Foro", "San Michele in Foro", 43.8430, 10.5030, "0.5"),
            ("Piazza dell'Anfiteatro", "Piazza dell'Anfiteatro", 43.8455, 10.5065, "0.6"),
            ("Basilica di San Frediano", "San Frediano basilica", 43.8460, 10.5040, "0.3"),
            ("Baluardo San Paolino, sulle mura", "San Paolino bastion, on the walls", 43.8425, 10.4975, "1.2"),
        ],
    },
    {
        "mode": "bike",
        "km": "42",
        "difficulty": "moderate",
        "area": "capannori",
        "mood": "stone",
        "it": (
            "In bicicletta nella Piana",
            "Ville, acquedotto e vigneti su strade secondarie.",
            "Una giornata",
            "Aprile–ottobre",
        ),
        "en": ("Cycling the Piana", "Villas, aqueduct and vineyards on quiet roads.", "One day", "April–October"),
        "stages": [
            ("Lucca, Porta Elisa", "Lucca, Porta Elisa", 43.8420, 10.5110, None),
            ("Villa Reale di Marlia", "Villa Reale di Marlia", 43.8855, 10.5510, "8"),
            ("Villa Torrigiani", "Villa Torrigiani", 43.8810, 10.5800, "4"),
            ("Pieve di San Gennaro", "Pieve di San Gennaro", 43.8990, 10.6020, "4"),
            ("Montecarlo", "Montecarlo", 43.8510, 10.6680, "10"),
            ("Altopascio", "Altopascio", 43.8160, 10.6760, "5"),
            ("Acquedotto del Nottolini", "Nottolini aqueduct", 43.8330, 10.5330, "11"),
        ],
    },
    {
        "mode": "walk",
        "km": "26",
        "difficulty": "moderate",
        "area": "casentino",
        "mood": "forest",
        "it": (
            "Le Foreste Casentinesi",
            "Due giorni tra abeti e faggi, da Camaldoli al santuario della Verna.",
            "2 giorni",
            "Maggio–ottobre",
        ),
        "en": (
            "The Casentino forests",
            "Two days among firs and beeches, from Camaldoli to La Verna sanctuary.",
            "2 days",
            "May–October",
        ),
        "stages": [
            ("Monastero di Camaldoli", "Camaldoli monastery", 43.7960, 11.8200, None),
            ("Eremo di Camaldoli", "Camaldoli hermitage", 43.8090, 11.8210, "3"),
            ("Badia Prataglia", "Badia Prataglia", 43.7860, 11.8770, "8"),
            ("Chiusi della Verna", "Chiusi della Verna", 43.6980, 11.9370, "13"),
            ("Santuario della Verna", "La Verna sanctuary", 43.7077, 11.9310, "2"),
        ],
    },
]

# (area, category, (month, day) or weekday-recurrence, hour, place, free, price, mood, it (title, summary), en)
EVENTS = [
    (
        "lucca",
        "tradition",
        (9, 13),
        20,
        "Centro storico, Lucca",
        True,
        None,
        "dusk",
        ("Luminara di Santa Croce", "La processione del Volto Santo tra migliaia di lumini."),
        ("Luminara of the Holy Cross", "The procession of the Holy Face among thousands of candles."),
    ),
    (
        "lucca",
        "festival",
        (10, 30),
        9,
        "Mura e piazze di Lucca",
        False,
        "28.00",
        "noon",
        ("Lucca Comics & Games", "Il grande festival del fumetto e del gioco dentro le mura."),
        ("Lucca Comics & Games", "The great comics and games festival inside the walls."),
    ),
    (
        "lucca",
        "market",
        "monthly",
        9,
        "Piazza San Martino e dintorni",
        True,
        None,
        "stone",
        ("Mercato dell'antiquariato", "Il terzo fine settimana del mese, tra le piazze del centro."),
        ("Antiques market", "Every month, among the squares of the centre."),
    ),
    (
        "capannori",
        "market",
        "weekly",
        8,
        "Piazza Aldo Moro, Capannori",
        True,
        None,
        "dawn",
        ("Mercato contadino di Capannori", "Produttori della piana: ortaggi, farine, formaggi."),
        ("Capannori farmers' market", "Producers of the plain: vegetables, flours, cheeses."),
    ),
    (
        "capannori",
        "exhibition",
        (3, 14),
        10,
        "Pieve di Compito, Capannori",
        False,
        "5.00",
        "dawn",
        ("Antiche Camelie della Lucchesia", "La mostra delle camelie storiche nei borghi di Compito."),
        ("Ancient Camellias of Lucca", "The exhibition of historic camellias in the villages of Compito."),
    ),
    (
        "altopascio",
        "food",
        (9, 6),
        18,
        "Piazza Ricasoli, Altopascio",
        True,
        None,
        "noon",
        ("Festa del pane di Altopascio", "Forni aperti, assaggi e racconti dei Cavalieri del Tau."),
        ("Altopascio bread festival", "Open ovens, tastings and tales of the Knights of the Tau."),
    ),
    (
        "montecarlo",
        "food",
        (9, 1),
        17,
        "Borgo di Montecarlo",
        False,
        "15.00",
        "dusk",
        ("Festa del vino di Montecarlo", "Degustazioni delle cantine DOC nelle vie del borgo."),
        ("Montecarlo wine festival", "Tastings from the DOC wineries in the village streets."),
    ),
    (
        "villa-basilica",
        "exhibition",
        (5, 10),
        10,
        "Museo della carta, Villa Basilica",
        False,
        "4.00",
        "forest",
        ("Giornata della carta", "Cartiere aperte e laboratori di carta a mano."),
        ("Paper day", "Open paper mills and hand-made paper workshops."),
    ),
    (
        "casentino",
        "music",
        "weekly-summer",
        21,
        "Cortile del Castello di Poppi",
        False,
        "12.00",
        "forest",
        ("Concerti al Castello di Poppi", "Musica da camera ogni venerdì d'estate nel cortile del castello."),
        ("Concerts at Poppi castle", "Chamber music every summer Friday in the castle courtyard."),
    ),
    (
        "casentino",
        "food",
        (10, 12),
        10,
        "Raggiolo, Ortignano Raggiolo",
        True,
        None,
        "dusk",
        ("Festa della castagna a Raggiolo", "Il borgo dei castagni celebra farina, necci e vecchi metati."),
        ("Chestnut festival in Raggiolo", "The chestnut village celebrates flour, necci and old drying huts."),
    ),
]

COLLECTIONS = [
    (
        "vino-ville",
        "villas",
        "dusk",
        True,
        (
            "Vino e ville delle colline lucchesi",
            "Degustazioni, giardini storici e cene in villa tra Capannori e Montecarlo.",
            "<p>Le colline a nord della piana alternano ville seicentesche e vigneti DOC. Abbiamo scelto con gli "
            "operatori soggiorni e visite che uniscono giardini e cantine.</p>",
        ),
        (
            "Wine and villas of the Lucca hills",
            "Tastings, historic gardens and villa dinners between Capannori and Montecarlo.",
            "<p>The hills north of the plain alternate 17th-century villas and DOC vineyards. With local "
            "operators we chose stays and visits that join gardens and wineries.</p>",
        ),
    ),
    (
        "francigena-lenta",
        "spirituality",
        "noon",
        True,
        (
            "Passo lento sulla Via Francigena",
            "Tappe a piedi, ostelli per pellegrini e trasporto bagagli.",
            "<p>Da Altopascio a Lucca la Francigena attraversa campi e pievi: proposte per camminare senza fretta.</p>",
        ),
        (
            "Slow walks on the Via Francigena",
            "Walking stages, pilgrim hostels and luggage transfer.",
            "<p>From Altopascio to Lucca the Francigena crosses fields and churches: ideas for walking without "
            "hurry.</p>",
        ),
    ),
    (
        "foreste-monasteri",
        "nature",
        "forest",
        True,
        (
            "Casentino: foreste e monasteri",
            "Camaldoli, La Verna e i sentieri del Parco Nazionale.",
            "<p>Silenzio, abeti bianchi e antichi monasteri: soggiorni in foresteria e escursioni guidate.</p>",
        ),
        (
            "Casentino: forests and monasteries",
            "Camaldoli, La Verna and the National Park trails.",
            "<p>Silence, silver firs and ancient monasteries: guest-house stays and guided walks.</p>",
        ),
    ),
    (
        "lucca-famiglia",
        "family",
        "dawn",
        False,
        (
            "Lucca in famiglia",
            "Bici sulle mura, laboratori e giardini per bambini.",
            "<p>Una città a misura di bambino: percorsi facili, musei con laboratori e picnic sulle mura.</p>",
        ),
        (
            "Lucca with children",
            "Bikes on the walls, workshops and gardens for children.",
            "<p>A child-sized city: easy routes, museums with workshops and picnics on the walls.</p>",
        ),
    ),
    (
        "sapori-piana",
        "food-wine",
        "stone",
        False,
        (
            "Sapori della Piana",
            "Pane di Altopascio, buccellato, farro e olio delle colline.",
            "<p>Forni, frantoi e botteghe della Piana di Lucca, con i produttori che aprono le porte.</p>",
        ),
        (
            "Flavours of the Piana",
            "Altopascio bread, buccellato, spelt and hill olive oil.",
            "<p>Bakeries, olive mills and workshops of the Piana di Lucca, with producers who open their doors.</p>",
        ),
    ),
]

ARTICLES = [
    (
        -3,
        "noon",
        (
            "Cinque sapori da non perdere nella Piana",
            "Dal buccellato al vino di Montecarlo, cosa assaggiare.",
            "<p>Il buccellato di Lucca, il pane di Altopascio, la farina di neccio, il farro della Garfagnana e i "
            "vini di Montecarlo: una piccola guida per chi viaggia con il palato.</p>",
        ),
        (
            "Five flavours not to miss in the Piana",
            "From buccellato to Montecarlo wine, what to taste.",
            "<p>Lucca's buccellato, Altopascio bread, chestnut flour, Garfagnana spelt and Montecarlo wines: a "
            "short guide for travellers who travel with their palate.</p>",
        ),
    ),
    (
        -10,
        "dawn",
        (
            "In cammino da Altopascio",
            "La campana Smarrita e l'ospitalità dei Cavalieri del Tau.",
            "<p>Per secoli la campana della Magione ha guidato i pellegrini nella selva delle Cerbaie. Oggi la "
            "Francigena riparte da qui con nuovi ostelli.</p>",
        ),
        (
            "Walking from Altopascio",
            "The Smarrita bell and the hospitality of the Knights of the Tau.",
            "<p>For centuries the Magione's bell guided pilgrims through the Cerbaie forest. Today the Francigena "
            "starts again from here, with new hostels.</p>",
        ),
    ),
    (
        -20,
        "forest",
        (
            "Autunno in Casentino",
            "Castagne, foliage e i bramiti dei cervi nelle foreste.",
            "<p>In ottobre le Foreste Casentinesi si colorano e nei boschi si sente il bramito dei cervi: ecco "
            "dove ascoltarlo con una guida del parco.</p>",
        ),
        (
            "Autumn in the Casentino",
            "Chestnuts, foliage and the roaring of deer in the forests.",
            "<p>In October the Casentino Forests change colour and the deer roar in the woods: here is where to "
            "hear them with a park guide.</p>",
        ),
    ),
]

OFFICES = [
    (
        "lucca",
        43.8432,
        10.4960,
        "Piazzale Verdi, 55100 Lucca",
        "+39 0583 000 001",
        "iat.lucca@terredilucca.example",
        ("Ufficio turistico di Lucca", "Lun–Dom 9:00–19:00\nNovembre–marzo 9:00–17:00"),
        ("Lucca tourist office", "Mon–Sun 9:00–19:00\nNovember–March 9:00–17:00"),
    ),
    (
        "montecarlo",
        43.8512,
        10.6690,
        "Piazza Garibaldi, Montecarlo",
        "+39 0583 000 002",
        "iat.montecarlo@terredilucca.example",
        ("Ufficio turistico di Montecarlo", "Ven–Dom 10:00–13:00, 15:00–18:00"),
        ("Montecarlo tourist office", "Fri–Sun 10:00–13:00, 15:00–18:00"),
    ),
    (
        "casentino",
        43.7220,
        11.7640,
        "Via Nazionale, Poppi",
        "+39 0575 000 003",
        "iat.casentino@terredilucca.example",
        ("Ufficio turistico del Casentino", "Mar–Dom 9:30–12:30, 15:00–18:00"),
        ("Casentino tourist office", "Tue–Sun 9:30–12:30, 15:00–18:00"),
    ),
]


STAGE_NOTES = {
    "Magione del Tau": (
        "Partenza dalla piazza dei Cavalieri: timbro sulla credenziale e pane appena sfornato.",
        "Start from the Knights' square: a stamp on your credential and fresh bread.",
    ),
    "Badia di Pozzeveri": (
        "L'abbazia camaldolese sul vecchio lago di Bientina, con gli scavi archeologici.",
        "The Camaldolese abbey on the old Bientina lake, with its archaeological dig.",
    ),
    "Porcari": (
        "Salita al colle della Torre e discesa tra orti e capannoni della carta.",
        "Up the Torre hill and down among vegetable gardens and paper works.",
    ),
    "Capannori": (
        "Strade di campagna e corti contadine fino al Frizzone.",
        "Country lanes and farm courtyards as far as the Frizzone canal.",
    ),
    "Duomo di San Martino, Lucca": (
        "Ingresso da Porta San Gervasio e arrivo davanti al labirinto del Duomo.",
        "Enter through Porta San Gervasio and finish at the cathedral's labyrinth.",
    ),
    "Porta San Pietro": (
        "La porta d'ingresso dalla stazione, con lo stemma della Libertas.",
        "The gate from the station, with the Libertas coat of arms.",
    ),
    "Duomo di San Martino": (
        "La facciata a loggette e il Volto Santo nel tempietto del Civitali.",
        "The arcaded façade and the Holy Face in Civitali's shrine.",
    ),
    "San Michele in Foro": (
        "La chiesa sul foro romano, con l'arcangelo in cima alla facciata.",
        "The church on the Roman forum, with the archangel atop its façade.",
    ),
    "Piazza dell'Anfiteatro": (
        "Un caffè nella piazza ellittica, poi via Fillungo.",
        "A coffee in the elliptical square, then Via Fillungo.",
    ),
    "Basilica di San Frediano": (
        "Il mosaico dorato della facciata e il fonte battesimale scolpito.",
        "The golden façade mosaic and the carved baptismal font.",
    ),
    "Baluardo San Paolino, sulle mura": (
        "Si sale sulle mura e si chiude l'anello all'ombra dei platani.",
        "Climb the walls and close the loop in the shade of plane trees.",
    ),
    "Lucca, Porta Elisa": (
        "Partenza dalla porta napoleonica verso nord-est.",
        "Start from the Napoleonic gate, heading north-east.",
    ),
    "Villa Reale di Marlia": (
        "Sosta nel parco: teatro di verzura e giardino dei limoni.",
        "Stop in the park: green theatre and lemon garden.",
    ),
    "Villa Torrigiani": ("Il viale di cipressi e il giardino di Flora.", "The cypress avenue and Flora's garden."),
    "Pieve di San Gennaro": ("Breve salita e panorama sulla piana.", "A short climb and a view over the plain."),
    "Montecarlo": ("Pranzo nel borgo e degustazione in cantina.", "Lunch in the village and a winery tasting."),
    "Altopascio": ("Discesa verso la Francigena e la torre campanaria.", "Down to the Francigena and the bell tower."),
    "Acquedotto del Nottolini": (
        "Rientro a Lucca sulla ciclabile lungo gli archi.",
        "Back to Lucca on the cycle path beside the arches.",
    ),
    "Monastero di Camaldoli": ("La farmacia dei monaci e la foresteria.", "The monks' pharmacy and guest house."),
    "Eremo di Camaldoli": (
        "Salita tra gli abeti fino alle celle dell'eremo.",
        "Climb among the firs to the hermits' cells.",
    ),
    "Badia Prataglia": (
        "Notte nel borgo del parco, tra faggete e sorgenti.",
        "Night in the park village, among beech woods and springs.",
    ),
    "Chiusi della Verna": ("Il paese ai piedi del sasso della Verna.", "The village at the foot of La Verna's rock."),
    "Santuario della Verna": (
        "Arrivo al santuario per la processione dei frati delle 15.",
        "Arrive at the sanctuary for the friars' 3 pm procession.",
    ),
}


def _rich(paragraph: str) -> str:
    return paragraph if paragraph.startswith("<") else f"<p>{paragraph}</p>"


def _stream(*blocks) -> str:
    return json.dumps([{"type": t, "value": v} for t, v in blocks])


def _locales() -> dict[str, Locale]:
    """The served languages the demo has texts in (Italian and English). French or German switched on get
    no pages of their own: Wagtail serves them the Italian ones with their interface (docs/i18n.md)."""
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES if code in HOME}


def _ensure(parent: Page, model, *, common: dict, it: dict, en: dict, en_locale: Locale) -> Page:
    """The Italian page under `parent` (by slug) and its English translation, created and published once."""
    from django.utils.text import slugify

    it.setdefault("slug", slugify(it["title"]))
    en.setdefault("slug", slugify(en["title"]))
    page = model.objects.child_of(parent).filter(slug=it["slug"]).first()
    if page is None:
        page = model(locale=parent.locale, **common, **it)
        parent.add_child(instance=page)
        page.save_revision().publish()
    _localize(page, en_locale, en)
    return page


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|None")


def _strings(instance: Page) -> list[tuple[str, str]]:
    """The (segment path, source text) wagtail-localize offers translators, in page order."""
    from wagtail_localize.segments import StringSegmentValue
    from wagtail_localize.segments.extract import extract_segments

    return [(s.path, s.string.data) for s in extract_segments(instance) if isinstance(s, StringSegmentValue)]


def _in_block_format(instance: Page) -> bool:
    """Rewrite the instance's StreamFields as Wagtail stores them (ids on blocks and list items): the demo
    writes plain lists, in which wagtail-localize finds no segments. True if anything changed."""
    changed = False
    for field in instance._meta.get_fields():
        if isinstance(field, StreamField):
            value = getattr(instance, field.name)
            list(value)  # every block read, so none is written back as it was stored
            prepared = value.get_prep_value()
            if prepared != list(value.raw_data):
                setattr(instance, field.name, json.dumps(prepared, cls=DjangoJSONEncoder))
                changed = True
    return changed


def _localize(page: Page, locale: Locale, texts: dict) -> None:
    """The page's version in `locale` as a wagtail-localize translation, its segments filled with `texts`
    (the demo's English, written beside the Italian with the same structure) and published.

    The admin then shows it as a translation of the Italian page (the translation editor, the PO export,
    "Sync translated pages" after an edit of the Italian). Pages already translated are left alone; an
    English copy made by hand (a demo loaded before wagtail-localize) becomes the translation's target.
    """
    from wagtail_localize.models import Translation, TranslationSource

    page = page.specific
    if Translation.objects.filter(source__object_id=page.translation_key, target_locale=locale).exists():
        return
    if _in_block_format(page):
        page.save_revision().publish()
    # The translated texts' segments, read from a copy of the page holding them: same fields and blocks
    # as the Italian, so the segments pair up in order (block ids differ: compared without them).
    shadow = copy.copy(page)
    for field, value in texts.items():
        setattr(shadow, field, value)
    _in_block_format(shadow)
    source_strings, target_strings = _strings(page), _strings(shadow)
    shapes = [_UUID.sub("*", path) for path, _ in source_strings]
    if shapes != [_UUID.sub("*", path) for path, _ in target_strings]:
        raise ValueError(f"the demo's {locale.language_code} texts of {page.title!r} do not match its blocks")
    translated = {path: text for (path, _), (_, text) in zip(source_strings, target_strings, strict=True)}
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = translated.get(entry.msgctxt, "")
    translation.import_po(po, tool_name="load_demo")
    # wagtail-localize would publish once the transaction commits (never, inside a test's): a draft
    # revision, published here and now.
    translation.save_target(publish=False)
    page.get_translation(locale).get_latest_revision().publish()


# What each demo collection holds: the live offers (packages, services, operators) that the offer
# providers' search finds for these words, in this order. The cms imports no seller app (cms/offers.py).
COLLECTION_SEARCHES = {
    "vino-ville": ["ville", "vino", "Montecarlo"],
    "francigena-lenta": ["Francigena", "pellegrin", "Altopascio"],
    "foreste-monasteri": ["Casentino", "Verna", "foreste"],
    "lucca-famiglia": ["Mura", "bici", "famiglie"],
    "sapori-piana": ["degustazione", "olio", "pane"],
}
COLLECTION_SIZE = 6


def _fill_collection(collection: CollectionPage, searches: list[str]) -> None:
    """Give an empty demo collection (and its translations) the offers its searches find, once: a
    collection that already has offers, the editors' or an earlier run's, is left as it is."""
    from .offers import offer_search

    if collection.offers.raw_data:
        return
    refs: list[str] = []
    for query in searches:
        for card in offer_search(query=query, language=settings.LANGUAGE_CODE, limit=COLLECTION_SIZE):
            if card.key not in refs:
                refs.append(card.key)
    if not refs:
        return  # the seller apps' demo data is not loaded: the page says offers are being prepared
    for page in [collection, *(p.specific for p in collection.get_translations())]:
        page.offers = [("offer", ref) for ref in refs[:COLLECTION_SIZE]]
        page.save_revision().publish()


def _next_date(month: int, day: int, hour: int) -> dt.datetime:
    today = timezone.localdate()
    candidate = dt.date(today.year, month, day)
    if candidate < today:
        candidate = dt.date(today.year + 1, month, day)
    return timezone.make_aware(dt.datetime.combine(candidate, dt.time(hour)))


def _load_home(locales) -> HomePage:
    default = locales[settings.LANGUAGE_CODE]
    # Wagtail's migrations create the tree's root; a flushed database (transactional tests) has none.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=default))
    home = HomePage.objects.filter(locale=default).first()
    if home is None:
        # Wagtail's "Welcome to your new Wagtail site!" placeholder takes the slug we want; deleting it
        # also deletes the default Site that points at it, recreated below.
        for placeholder in root.get_children().filter(content_type__model="page", numchild=0):
            placeholder.delete()
        home = HomePage(locale=default, **HOME[settings.LANGUAGE_CODE])
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port, _ = site_address()
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=settings.DMC_NAME
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    sites_sync()  # the demo runs where SITE_URL says (make demo passes it): its absolute links say so too
    for code, locale in locales.items():
        if code != settings.LANGUAGE_CODE:
            _localize(home, locale, HOME.get(code, HOME["en"]))
    if home.hero_image_id is None:
        image = demo_image("Piana di Lucca", mood="dawn")
        for page in HomePage.objects.all():
            page.hero_image = image
            page.hero_credit = "Illustrazione generata · Generated illustration (CC0)"
            page.save_revision().publish()
    return home


def load(stdout=None) -> None:
    locales = _locales()
    en = locales.get("en")
    home = _load_home(locales)
    if en is None:
        return
    indexes = {}
    for model, mood, it, en_texts in INDEXES:
        indexes[model] = _ensure(
            home,
            model,
            common={"image": demo_image(it["title"], mood=mood)},
            it=dict(it),
            en=dict(en_texts),
            en_locale=en,
        )

    areas = {}
    for code, kind, lat, lng, zoom, mood, (it_title, it_summary, en_title, en_summary) in AREAS:
        practical = CASENTINO_PRACTICAL if code == "casentino" else AREA_PRACTICAL
        faq = (
            "faq",
            {
                "title": "Domande frequenti",
                "items": [
                    {
                        "question": "Serve l'auto?",
                        "answer": "<p>Non per il centro: treno, bus e bicicletta bastano.</p>",
                    },
                    {"question": "Dove trovo le mappe?", "answer": "<p>Negli uffici turistici IAT, gratuitamente.</p>"},
                ],
            },
        )
        faq_en = (
            "faq",
            {
                "title": "Frequently asked questions",
                "items": [
                    {
                        "question": "Do I need a car?",
                        "answer": "<p>Not for the centre: trains, buses and bikes will do.</p>",
                    },
                    {
                        "question": "Where can I get maps?",
                        "answer": "<p>At the IAT tourist offices, free of charge.</p>",
                    },
                ],
            },
        )
        areas[code] = _ensure(
            indexes[AreaIndexPage],
            AreaPage,
            common={
                "area_code": code,
                "kind": kind,
                "lat": lat,
                "lng": lng,
                "zoom": zoom,
                "image": demo_image(it_title, mood=mood),
                "theme": "heritage",
            },
            it={
                "title": it_title,
                "slug": code,
                "summary": it_summary,
                "intro": _rich(AREA_INTROS[code][0]),
                "practical_info": practical["it"],
                "body": _stream(faq),
            },
            en={
                "title": en_title,
                "slug": code,
                "summary": en_summary,
                "intro": _rich(AREA_INTROS[code][1]),
                "practical_info": practical["en"],
                "body": _stream(faq_en),
            },
            en_locale=en,
        )

    themes = {"church": "spirituality", "villa": "villas", "food": "food-wine", "craft": "crafts", "story": "heritage"}
    for area, kind, lat, lng, mood, free, wheelchair, it, en_texts, address in POIS:
        image = demo_image(it[0], mood=mood)
        body_it = _stream(
            ("paragraph", _rich(it[2])),
            ("image", {"image": image.pk, "caption": it[0], "credit": "Illustrazione generata (CC0)"}),
        )
        body_en = _stream(
            ("paragraph", _rich(en_texts[2])),
            ("image", {"image": image.pk, "caption": en_texts[0], "credit": "Generated illustration (CC0)"}),
        )
        _ensure(
            areas[area],
            PointOfInterestPage,
            common={
                "kind": kind,
                "lat": lat,
                "lng": lng,
                "image": image,
                "address": address,
                "free_entry": free,
                "wheelchair_accessible": wheelchair,
                "theme": themes.get(kind, "heritage"),
            },
            it={
                "title": it[0],
                "summary": it[1],
                "body": body_it,
                "opening_hours": "Tutti i giorni 9:00–18:00" if not free else "Sempre aperto",
                "accessibility": "Percorso senza gradini." if wheelchair else "Scale e fondo irregolare.",
            },
            en={
                "title": en_texts[0],
                "summary": en_texts[1],
                "body": body_en,
                "opening_hours": "Daily 9:00–18:00" if not free else "Always open",
                "accessibility": "Step-free route." if wheelchair else "Stairs and uneven ground.",
            },
            en_locale=en,
        )

    for item in ITINERARIES:
        image = demo_image(item["it"][0], mood=item["mood"])
        stages_it, stages_en = [], []
        for it_name, en_name, lat, lng, km in item["stages"]:
            base = {"lat": lat, "lng": lng, "distance_km": km, "image": None}
            note_it, note_en = STAGE_NOTES.get(it_name, (it_name, en_name))
            stages_it.append(("stage", {**base, "title": it_name, "text": _rich(note_it)}))
            stages_en.append(("stage", {**base, "title": en_name, "text": _rich(note_en)}))
        _ensure(
            indexes[ItineraryIndexPage],
            ItineraryPage,
            common={
                "mode": item["mode"],
                "distance_km": Decimal(item["km"]),
                "difficulty": item["difficulty"],
                "area": areas[item["area"]],
                "image": image,
                "theme": "nature" if item["mode"] != "walk" or item["area"] == "casentino" else "spirituality",
            },
            it={
                "title": item["it"][0],
                "summary": item["it"][1],
                "duration": item["it"][2],
                "season": item["it"][3],
                "stages": _stream(*stages_it),
            },
            en={
                "title": item["en"][0],
                "summary": item["en"][1],
                "duration": item["en"][2],
                "season": item["en"][3],
                "stages": _stream(*stages_en),
            },
            en_locale=en,
        )

    today = timezone.localdate()
    for area, category, when, hour, place, free, price, mood, it, en_texts in EVENTS:
        common = {
            "category": category,
            "place": place,
            "area": areas[area],
            "is_free": free,
            "price": Decimal(price) if price else None,
            "image": demo_image(it[0], mood=mood),
            "lat": areas[area].lat,
            "lng": areas[area].lng,
        }
        if when == "weekly":
            start = timezone.make_aware(
                dt.datetime.combine(today - dt.timedelta(days=today.weekday() - 5), dt.time(hour))
            )
            common.update(
                start=start,
                end=start + dt.timedelta(hours=5),
                recurrence="weekly",
                recurrence_until=today + dt.timedelta(days=365),
            )
        elif when == "weekly-summer":
            friday = today + dt.timedelta(days=(4 - today.weekday()) % 7)
            start = timezone.make_aware(dt.datetime.combine(friday, dt.time(hour)))
            common.update(
                start=start,
                end=start + dt.timedelta(hours=2),
                recurrence="weekly",
                recurrence_until=today + dt.timedelta(days=90),
            )
        elif when == "monthly":
            start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=10), dt.time(hour)))
            common.update(
                start=start,
                end=start + dt.timedelta(hours=9),
                recurrence="monthly",
                recurrence_until=today + dt.timedelta(days=365),
            )
        else:
            start = _next_date(*when, hour)
            common.update(start=start, end=start + dt.timedelta(hours=4))
        _ensure(
            indexes[EventIndexPage],
            EventPage,
            common=common,
            it={"title": it[0], "summary": it[1], "body": _stream(("paragraph", _rich(it[1])))},
            en={"title": en_texts[0], "summary": en_texts[1], "body": _stream(("paragraph", _rich(en_texts[1])))},
            en_locale=en,
        )

    offices_index = indexes[TouristOfficeIndexPage]
    advice = {"page": offices_index.pk, "url": ""}
    cta_it = _stream(
        (
            "call_to_action",
            {
                **advice,
                "title": "Vuoi un consiglio?",
                "button": "Uffici turistici",
                "text": "Gli uffici turistici IAT ti aiutano a scegliere e a prenotare.",
            },
        )
    )
    cta_en = _stream(
        (
            "call_to_action",
            {
                "page": offices_index.get_translation(en).pk,
                "url": "",
                "button": "Tourist offices",
                "title": "Would you like some advice?",
                "text": "The IAT tourist offices help you choose and book.",
            },
        )
    )
    for slug, theme, mood, on_home, it, en_texts in COLLECTIONS:
        collection = _ensure(
            indexes[CollectionIndexPage],
            CollectionPage,
            common={"theme": theme, "show_on_home": on_home, "image": demo_image(it[0], mood=mood)},
            it={"title": it[0], "slug": slug, "summary": it[1], "intro": it[2], "body": cta_it},
            en={"title": en_texts[0], "slug": slug, "summary": en_texts[1], "intro": en_texts[2], "body": cta_en},
            en_locale=en,
        )
        _fill_collection(collection, COLLECTION_SEARCHES[slug])

    for days, mood, it, en_texts in ARTICLES:
        _ensure(
            indexes[ArticleIndexPage],
            ArticlePage,
            common={
                "date": today + dt.timedelta(days=days),
                "author": "Redazione",
                "theme": "heritage",
                "image": demo_image(it[0], mood=mood),
            },
            it={"title": it[0], "summary": it[1], "body": _stream(("paragraph", it[2]))},
            en={"title": en_texts[0], "summary": en_texts[1], "body": _stream(("paragraph", en_texts[2]))},
            en_locale=en,
        )

    for area, lat, lng, address, phone, email, it, en_texts in OFFICES:
        _ensure(
            indexes[TouristOfficeIndexPage],
            TouristOfficePage,
            common={
                "area": areas[area],
                "lat": lat,
                "lng": lng,
                "address": address,
                "phone": phone,
                "email": email,
                "image": demo_image(it[0], mood="stone"),
            },
            it={"title": it[0], "summary": address, "opening_hours": it[1]},
            en={"title": en_texts[0], "summary": address, "opening_hours": en_texts[1]},
            en_locale=en,
        )
    load_legal(home, en, _ensure)
    if stdout is not None:
        stdout.write(f"  destination pages: {Page.objects.live().count()} live pages")
