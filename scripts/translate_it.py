"""Keep our Italian catalogues complete (a developer tool; the .po files are the source, the .mo are committed).

Usage, from the repository root:

    python scripts/translate_it.py --extract   # makemessages -l it: each app's strings to its own catalogue
    (translate the empty msgstr in the .po files it lists, with any .po editor or polib)
    python scripts/translate_it.py             # fill what Django/Oscar already translate, report what is left
    python manage.py compilemessages -l it --ignore=.venv --ignore=packages

Catalogues: locale/ (templates/ and marketplace/core), operators/locale, marketplace/{payments,bookings}/locale,
marketplace/shop/checkout/locale,
marketplace/shop/dashboard/orders/locale; certifications/, cms/ and packages/ keep their own (extracted from inside the
app). tests/core/test_translations.py fails while any msgid is empty or fuzzy.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    "locale",
    "operators/locale",
    "marketplace/payments/locale",
    "marketplace/bookings/locale",
    "marketplace/shop/checkout/locale",
    "marketplace/shop/dashboard/orders/locale",
]
# Apps and template folders with catalogues of their own, which the root extraction must not swallow.
IGNORE = [".venv/*", "packages/*", "certifications/*", "cms/*", "tests/*", "bench/*", "scripts/*", "static/*",
          "docs/*", "staticfiles/*", "media/*", "private-media/*", "templates/certifications/*", "templates/cms/*",
          "templates/blocks/*"]  # fmt: skip
SITE_PACKAGES = Path(polib.__file__).resolve().parent
# Our wording where the libraries' Italian differs (the root catalogue overrides them site-wide).
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


def library_translations() -> dict[tuple[str | None, str], str]:
    """Django's and Oscar's Italian, reused for the identical strings of our overridden templates."""
    found = {}
    paths = [SITE_PACKAGES / "django/conf/locale/it/LC_MESSAGES/django.po",
             SITE_PACKAGES / "oscar/locale/it/LC_MESSAGES/django.po",
             *SITE_PACKAGES.glob("django/contrib/*/locale/it/LC_MESSAGES/django.po")]  # fmt: skip
    for path in paths:
        if path.exists():
            for entry in polib.pofile(str(path)):
                if entry.msgstr and not entry.fuzzy and not entry.msgid_plural:
                    found.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
    return found


def main() -> int:
    if "--extract" in sys.argv:
        ignores = [f"--ignore={pattern}" for pattern in IGNORE]
        subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "it", "--no-obsolete", *ignores],
                       cwd=ROOT, check=True)  # fmt: skip
    library = library_translations()
    missing = 0
    for folder in CATALOGUES:
        path = ROOT / folder / "it" / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
            if not entry.msgid_plural and not entry.msgstr:
                entry.msgstr = IT.get(entry.msgid) or library.get((entry.msgctxt, entry.msgid), "")
        po.save()
        left = po.untranslated_entries()
        missing += len(left)
        print(f"{path.relative_to(ROOT)}: {po.percent_translated()}% translated")  # noqa: T201
        for entry in left:
            print(f"    missing: {entry.msgid!r}")  # noqa: T201
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
