"""Fill Italian translations of interface strings (a developer tool; the .mo files are committed).

Usage: python scripts/translate_it.py && python manage.py compilemessages --ignore=.venv
Strings not listed here stay untranslated and show in English; add them here or with a .po editor.
"""

from pathlib import Path

import polib

IT = {
    "hero title": "titolo di apertura",
    "hero text": "testo di apertura",
    "introduction": "introduzione",
    "destination home page": "home page della destinazione",
    "Holidays in the Piana di Lucca and the Casentino": "Vacanze nella Piana di Lucca e in Casentino",
    "Find your holiday": "Trova la tua vacanza",
    "Plan your stay": "Organizza il soggiorno",
    "Destination": "Destinazione",
    "Holidays and experiences": "Vacanze ed esperienze",
    "Operators and trade partners: log in": "Operatori e agenzie: accedi",
    "Secure booking": "Prenotazione sicura",
    "Prices in euro, VAT included. Payments handled by Stripe.": "Prezzi in euro, IVA inclusa. Pagamenti gestiti da Stripe.",
    "Skip to content": "Vai al contenuto",
    "Main navigation": "Navigazione principale",
    "Toggle navigation": "Apri il menu",
    "Basket": "Carrello",
    "My area": "La mia area",
    "Log out": "Esci",
    "Log in": "Accedi",
    "Language": "Lingua",
    "Holidays, experiences and local producers in the Piana di Lucca and the Casentino valley.": (
        "Vacanze, esperienze e produttori locali nella Piana di Lucca e nella valle del Casentino."
    ),
    "The destination management company of the Piana di Lucca (Lucca, Capannori, Altopascio, Montecarlo, "
    "Villa Basilica, Porcari) and the Casentino valley.": (
        "La società di gestione della destinazione della Piana di Lucca (Lucca, Capannori, Altopascio, "
        "Montecarlo, Villa Basilica, Porcari) e della valle del Casentino."
    ),
}

path = Path(__file__).resolve().parent.parent / "locale" / "it" / "LC_MESSAGES" / "django.po"
po = polib.pofile(str(path))
for entry in po:
    if entry.msgid in IT and (not entry.msgstr or "fuzzy" in entry.flags):
        entry.msgstr = IT[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save()
print(f"{path}: {po.percent_translated()}% translated")  # noqa: T201
