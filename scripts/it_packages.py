"""Italian for the packages app's own catalogue (packages/locale/it). Run after `makemessages` inside packages/."""

from pathlib import Path

import polib

IT = {
    "Publish the selected packages": "Pubblica i pacchetti selezionati",
    "Withdraw the selected packages": "Ritira i pacchetti selezionati",
    "Packages": "Pacchetti",
    "Departure": "Partenza",
    "Adults": "Adulti",
    "Children's ages": "Età dei bambini",
    "e.g. 4, 9 (empty: no children)": "es. 4, 9 (vuoto: nessun bambino)",
    "Infants (0–2)": "Neonati (0–2)",
    "Give each child's age as a number from 0 to 17, separated by commas.": "Indica l'età di ogni bambino con un numero da 0 a 17, separato da virgole.",
    "For groups over %(n)d people please contact us.": "Per gruppi di oltre %(n)d persone contattaci.",
    "Food and wine": "Enogastronomia",
    "Walking and pilgrim routes": "Cammini e vie di pellegrinaggio",
    "Cycling": "In bicicletta",
    "Nature and forests": "Natura e foreste",
    "Art, villas and heritage": "Arte, ville e patrimonio",
    "Monasteries and spirituality": "Monasteri e spiritualità",
    "Families": "Famiglie",
    "Draft": "Bozza",
    "Published": "Pubblicato",
    "Withdrawn": "Ritirato",
    "Percent of the components' prices": "Percentuale sui prezzi dei servizi",
    "Fixed amount per booking (EUR)": "Importo fisso per prenotazione (EUR)",
    "title": "titolo",
    "summary": "sommario",
    "description": "descrizione",
    "duration (days)": "durata (giorni)",
    "destination area": "zona di destinazione",
    "The municipality the package starts from (same codes as the operators').": "Il comune da cui parte il pacchetto (stessi codici degli operatori).",
    "themes": "temi",
    "Comma-separated theme codes.": "Codici dei temi separati da virgole.",
    "included": "incluso",
    "One item per line.": "Una voce per riga.",
    "not included": "non incluso",
    "meeting point": "punto di ritrovo",
    "markup": "ricarico",
    "markup value": "valore del ricarico",
    "status": "stato",
    "price from (EUR, 2 adults)": "prezzo da (EUR, 2 adulti)",
    "Lowest price over the next year, computed on publishing: the listings' 'from' price.": "Il prezzo più basso del prossimo anno, calcolato alla pubblicazione: il prezzo «da» degli elenchi.",
    "package": "pacchetto",
    "packages": "pacchetti",
    "image": "immagine",
    "caption": "didascalia",
    "One per person (as the service counts)": "Uno a persona (come conta il servizio)",
    "One room per N people": "Una camera ogni N persone",
    "One per group": "Uno per gruppo",
    "Optional extra (not included)": "Extra facoltativo (non incluso)",
    "order": "ordine",
    "day": "giorno",
    "1 is the package's first day.": "1 è il primo giorno del pacchetto.",
    "start time": "orario di inizio",
    "Empty: the first departure of the day with room.": "Vuoto: la prima partenza del giorno con posti liberi.",
    "quantity": "quantità",
    "people per room": "persone per camera",
    "note for travellers": "nota per i viaggiatori",
    "component": "servizio incluso",
    "components": "servizi inclusi",
    "until days before departure": "fino a giorni prima della partenza",
    "refund (%)": "rimborso (%)",
    "commission (%)": "commissione (%)",
    "supplier terms": "condizioni del fornitore",
    "Confirmed": "Confermato",
    "Cancelled": "Annullato",  # as Oscar says it: app catalogues share one namespace
    "first day": "primo giorno",
    "party": "gruppo di viaggio",
    "price (EUR, VAT included)": "prezzo (EUR, IVA inclusa)",
    "component price": "prezzo del servizio",
    "Package": "Pacchetto",
    "This package has nothing to book yet.": "Questo pacchetto non ha ancora nulla da prenotare.",
    "This package cannot be booked on this date.": "Questo pacchetto non è prenotabile in questa data.",
    "Not enough places left on this date for your party.": "In questa data non restano abbastanza posti per il tuo gruppo.",
    "A package needs at least one component before it can be published.": "Un pacchetto deve avere almeno un servizio prima di essere pubblicato.",
    "This line has no date or party.": "Questa riga non ha data o gruppo di viaggio.",
    "This package is not on sale.": "Questo pacchetto non è in vendita.",
    "This order is already cancelled.": "Questo ordine è già stato cancellato.",
    "Cancelled by the customer, refund under the cancellation policy: %(amount)s %(currency)s.": "Cancellato dal cliente, rimborso secondo la politica di cancellazione: %(amount)s %(currency)s.",
    "%(title)s is in your basket: places are held for you.": "%(title)s è nel carrello: i posti sono tenuti per te.",
    "Your places are held again.": "I tuoi posti sono di nuovo bloccati per te.",
    "Your booking is cancelled; the refund will follow shortly. %(e)s": "La prenotazione è cancellata; il rimborso seguirà a breve. %(e)s",
    "Your booking is cancelled. Refund: € %(amount)s.": "La prenotazione è cancellata. Rimborso: € %(amount)s.",
    "%(n)d adults": "%(n)d adulti",
    "%(n)d seniors": "%(n)d over 65",
    "children aged %(ages)s": "bambini di %(ages)s anni",
    "%(n)d infants": "%(n)d neonati",
    "Travel voucher": "Voucher di viaggio",
    "Day %(n)d": "Giorno %(n)d",
    "all day": "tutto il giorno",
    "Show this voucher (printed or on your phone) to each provider.": "Mostra questo voucher (stampato o sul telefono) a ogni fornitore.",
    # Optional extras (page, basket, order, operators)
    "Optional extras": "Extra facoltativi",
    "This optional extra is not offered with this package.": "Questo extra facoltativo non è offerto con questo pacchetto.",
    "The optional extra “%(name)s” is sold out on this date for your party. Untick it to book the package.": "L'extra facoltativo «%(name)s» è esaurito in questa data per il vostro gruppo. Togli la spunta per prenotare il pacchetto.",
    "The optional extra “%(name)s” cannot be booked on this date.": "L'extra facoltativo «%(name)s» non è prenotabile in questa data.",
    "Sold out on this date for your party": "Esaurito in questa data per il vostro gruppo",
    "Not available on this date": "Non disponibile in questa data",
    "This package has no price on this date for your party.": "Questo pacchetto non ha un prezzo in questa data per il vostro gruppo.",
    "optional extra": "extra facoltativo",
    "Chosen by the traveller on top of the package.": "Scelto dal viaggiatore in aggiunta al pacchetto.",
    "optional extra, to choose when booking": "extra facoltativo, da scegliere al momento della prenotazione",
    "Tick what you would like to add: its places are held with the package's.": "Spunta quello che vuoi aggiungere: i posti vengono bloccati insieme a quelli del pacchetto.",
    "day %(day)s": "giorno %(day)s",
    "Update the total": "Aggiorna il totale",
    "Optional extras (choose a day to add them)": "Extra facoltativi (scegli un giorno per aggiungerli)",
    "optional extra chosen by the traveller": "extra facoltativo scelto dal viaggiatore",
    "All packages of this area in the catalogue": "Tutti i pacchetti di questa zona nel catalogo",
}
PLURALS = {
    "%(n)d place": ("%(n)d posto", "%(n)d posti"),
    "Including %(n)s optional extra.": ("Compreso %(n)s extra facoltativo.", "Compresi %(n)s extra facoltativi."),
}

path = Path(__file__).resolve().parent.parent / "packages" / "locale" / "it" / "LC_MESSAGES" / "django.po"
po = polib.pofile(str(path))
missing = []
for entry in po:
    if entry.msgid_plural and entry.msgid in PLURALS:
        entry.msgstr_plural = dict(enumerate(PLURALS[entry.msgid]))
    elif entry.msgid in IT:
        entry.msgstr = IT[entry.msgid]
    elif not entry.translated():
        missing.append(entry.msgid)
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
po.save()
print("missing:", missing)  # noqa: T201
