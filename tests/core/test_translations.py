"""Every catalogue of ours is complete in Italian, French and German, and pages read in each language.

A msgid left empty or fuzzy is silently shown in English, which is how English crept onto Italian
pages before; these tests make that a failure instead of a surprise. French and German catalogues hold
exactly the Italian msgids (scripts/translate.py rebuilds them from it), so the Italian completeness,
and the check that every string our code marks is in some catalogue, carries over to them.
"""

import importlib.util
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from oscar.apps.catalogue.models import ProductClass
from oscar.test.factories import create_product

from marketplace.env import LANGUAGE_NAMES
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "media", ".git"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# English is the language of the msgids: every other language has catalogues of its own.
TRANSLATED = [code for code in LANGUAGE_NAMES if code != "en"]


def our_catalogues(language: str = "it") -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    )


def _keys(po_path: Path) -> set:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(po_path)) if not entry.obsolete}


def test_our_italian_catalogues_are_found():
    found = {str(path.relative_to(ROOT)) for path in our_catalogues()}
    assert {
        "locale/it/LC_MESSAGES/django.po",
        "operators/locale/it/LC_MESSAGES/django.po",
        "marketplace/payments/locale/it/LC_MESSAGES/django.po",
        "marketplace/bookings/locale/it/LC_MESSAGES/django.po",
        "marketplace/shop/checkout/locale/it/LC_MESSAGES/django.po",
        "packages/locale/it/LC_MESSAGES/django.po",
        "certifications/locale/it/LC_MESSAGES/django.po",
        "cms/locale/it/LC_MESSAGES/django.po",
    } <= found


@pytest.mark.parametrize("language", [code for code in TRANSLATED if code != "it"])
def test_every_language_has_the_italian_msgids(language):
    """Wherever Italian has a catalogue, this language has one with the same msgids (no more, no fewer)."""
    for italian in our_catalogues("it"):
        other = Path(str(italian).replace("/locale/it/", f"/locale/{language}/"))
        assert other.exists(), f"{other} is missing: run scripts/translate.py"
        assert _keys(other) == _keys(italian), f"{other} differs from the Italian: run scripts/translate.py"


def _script():
    spec = importlib.util.spec_from_file_location("translate_script", ROOT / "scripts" / "translate.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_every_string_marked_in_our_code_is_in_a_catalogue():
    """What makemessages would extract (read with Django's own templatize) is in our Italian catalogues,
    so no string of a template or a form is left to English on a translated page."""
    script = _script()
    known = set().union(*(_keys(path) for path in our_catalogues("it")))
    marked = script.marked_strings()
    assert len(marked) > 900  # the collector reads our code (a sanity check that it can fail)
    missing = {f"{where}: {msgid!r}" for (ctx, msgid), (_plural, where) in marked.items() if (ctx, msgid) not in known}
    assert not missing, f"not in any catalogue (run scripts/translate.py --extract): {sorted(missing)}"


def _catalogue(root: Path, language: str, entries: dict[str, str]) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
    for msgid, msgstr in entries.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path = root / "app" / "locale" / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def test_the_completeness_check_passes_on_our_catalogues():
    result = subprocess.run(
        [sys.executable, "scripts/translate.py"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "catalogues complete (it, fr, de)" in result.stdout


def test_the_completeness_check_fails_on_a_missing_msgstr(tmp_path):
    _catalogue(tmp_path, "it", {"Bookings": "Prenotazioni", "Manifest": "Lista passeggeri"})
    _catalogue(tmp_path, "fr", {"Bookings": "Réservations", "Manifest": ""})
    _catalogue(tmp_path, "de", {"Bookings": "Buchungen", "Manifest": "Teilnehmerliste"})
    result = subprocess.run(
        [sys.executable, "scripts/translate.py", "--root", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "app/locale/fr/LC_MESSAGES/django.po:\n    missing (1):\n        'Manifest'" in result.stdout
    assert "2 of 3 catalogues complete" in result.stdout


def test_merge_writes_a_wording_file_into_the_catalogues(tmp_path):
    """How the other helpers' wording reaches the catalogues: --merge, then the check passes."""
    script = _script()
    for language in ("it", "fr", "de"):
        _catalogue(tmp_path, language, {"Check-in": "", "Bookings": "x"})
    wording = tmp_path / "wording.py"
    wording.write_text(
        'IT = {"Check-in": "Accettazione", "Unknown": "?", "Bookings": "y"}\nFR = {"Check-in": "Enregistrement"}\n'
        'DE = {"Check-in": "Check-in"}\n'
    )
    unknown = script.merge(wording, ["it", "fr", "de"], root=tmp_path)
    assert unknown == ["it: 'Unknown'"]
    assert not script.completeness(["it", "fr", "de"], root=tmp_path)
    french = polib.pofile(str(tmp_path / "app/locale/fr/LC_MESSAGES/django.po"))
    assert french.find("Check-in").msgstr == "Enregistrement"
    italian = polib.pofile(str(tmp_path / "app/locale/it/LC_MESSAGES/django.po"))
    assert italian.find("Bookings").msgstr == "x"  # an established translation is kept


@pytest.mark.parametrize(
    "po_path",
    [path for language in TRANSLATED for path in our_catalogues(language)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_catalogue_is_complete_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{po_path}: untranslated {untranslated}"
    assert not fuzzy, f"{po_path}: fuzzy {fuzzy}"
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:  # a plural's forms may each leave out a count the English singular spells out
            known = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            for msgstr in entry.msgstr_plural.values():
                assert set(PLACEHOLDER.findall(msgstr)) <= known, entry.msgid
        else:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid
    compiled = po_path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run manage.py compilemessages"
    # The committed .mo holds exactly what the .po says (a new user's machine may have no gettext).
    in_mo = {(e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural) for e in polib.mofile(str(compiled)) if e.msgid}
    in_po = {(e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural) for e in catalogue.translated_entries()}
    assert in_mo == in_po, f"{compiled} is stale: run manage.py compilemessages"


def test_msgfmt_accepts_our_catalogues():
    msgfmt = Path("/usr/bin/msgfmt")
    if not msgfmt.exists():
        pytest.skip("gettext's msgfmt is not installed")
    for po_path in [path for language in TRANSLATED for path in our_catalogues(language)]:
        result = subprocess.run(
            [str(msgfmt), "--check-format", "-o", "/dev/null", str(po_path)], capture_output=True, text=True
        )
        assert result.returncode == 0, f"{po_path}: {result.stderr}"


def page(client, name: str) -> str:
    with translation.override("it"):
        url = reverse(name)
    assert url.startswith("/it/")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_operator_signup_page_is_in_italian(client):
    client.force_login(UserFactory())
    html = page(client, "operator-area:signup")
    assert "Diventa operatore" in html
    assert "Invia la candidatura" in html
    assert "Partita IVA" in html
    for english in ("Become an operator", "Send application", "Sell your services with us", "company name"):
        assert english not in html


@pytest.mark.django_db
def test_operator_area_home_is_in_italian(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    html = page(client, "operator-area:home")
    assert "I tuoi servizi" in html
    assert "Prenotazioni" in html
    for english in ("Your services", "Latest bookings", "Overview", "No services yet."):
        assert english not in html


@pytest.mark.django_db
def test_login_page_is_in_italian(client):
    html = page(client, "customer:login")
    assert "Accedi" in html
    assert "Log in" not in html


@pytest.mark.django_db
@override_settings(STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="", STRIPE_API_BASE="")
def test_checkout_travellers_step_is_in_italian(client):
    ProductClass.objects.get_or_create(name="Experience", defaults={"slug": "experience", "requires_shipping": False})
    product = create_product(
        title="Degustazione a Montecarlo", product_class="Experience", price=Decimal("120.00"), num_in_stock=10
    )
    with translation.override("it"):
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
        client.post(reverse("checkout:index"), {"username": "giulia@example.com", "options": "anonymous"})
    html = page(client, "checkout:travellers")
    assert "Chi viaggia?" in html
    assert "Politica di cancellazione" in html
    assert "Nome del referente del viaggio" in html
    for english in ("Who is travelling?", "Cancellation policy", "Continue to payment", "Lead traveller"):
        assert english not in html


# French and German switched on (SITE_LANGUAGES=it,en,fr,de): the same pages read in each of them.

INTERFACE = {
    "fr": {
        "home": ["Séjours et expériences", "Panier", "Idées de séjour", "Réservation sécurisée"],
        "area": ["À voir", "Informations pratiques"],
        "package": ["Jour après jour", "Conditions d'annulation", "Mettre à jour les prix", "Adultes"],
        "signup": ["Devenir prestataire", "Envoyer la candidature", "Description (français)", "Raison sociale"],
        "basket": [
            "Procéder au paiement",
            "Qui voyage ?",
            "Prénom du voyageur principal",
            "Continuer vers le paiement",
        ],
    },
    "de": {
        "home": ["Urlaub und Erlebnisse", "Warenkorb", "Reiseideen", "Sichere Buchung"],
        "area": ["Sehenswertes", "Praktische Informationen"],
        "package": ["Tag für Tag", "Stornobedingungen", "Preise aktualisieren", "Erwachsene"],
        "signup": ["Anbieter werden", "Bewerbung senden", "Beschreibung (Deutsch)", "Firmenname"],
        "basket": ["Weiter zur Kasse", "Wer reist?", "Vorname der/des Hauptreisenden", "Weiter zur Zahlung"],
    },
}
ENGLISH = {
    "home": ["Holidays and experiences", "Ideas for your stay", "Secure booking"],
    "area": ["What to see", "Practical information"],
    "package": ["Day by day", "Cancellation policy", "Update prices"],
    "signup": ["Become an operator", "Send application", "company name"],
    "basket": ["Proceed to checkout", "Who is travelling?", "Lead traveller", "Continue to payment"],
}


def _switcher(html: str) -> dict[str, str]:
    return {
        lang: url for url, lang in re.findall(r'class="site-lang__link[^"]*" href="([^"]+)" hreflang="(\w+)"', html)
    }


def _reads_in(client, url: str, language: str, page_name: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    for text in INTERFACE[language][page_name]:
        assert text in html, f"{url}: {text!r} missing"
    for english in ENGLISH[page_name]:
        assert english not in html, f"{url}: {english!r} left in English"
    links = _switcher(html)
    assert list(links) == ["it", "en", "fr", "de"]
    assert links[language] == url
    for code, link in links.items():
        assert client.get(link).status_code == 200, f"{url}: the {code} link {link} is broken"
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "de"])
def test_destination_package_and_signup_pages_read_in_french_and_german(client, site_languages, language):
    from tests.cms.factories import build_site
    from tests.packages.factories import make_package, priced_service

    site_languages("it", "en", "fr", "de")
    tree = build_site()
    package = make_package(services=[priced_service(name_it="Degustazione", name_en="Tasting")])
    with translation.override(language):
        # No page is translated into this language yet: Wagtail serves the Italian ones under its prefix.
        home, area = tree["home"].url, tree["area"].url
        package_url, signup = package.product.get_absolute_url(), reverse("operator-area:signup")
    assert (home, area) == (f"/{language}/", f"/{language}/territori/lucca/")
    _reads_in(client, home, language, "home")
    _reads_in(client, area, language, "area")
    html = _reads_in(client, package_url, language, "package")
    assert "Tasting" in html  # the service's text falls back to English, not Italian
    client.force_login(UserFactory())
    _reads_in(client, signup, language, "signup")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "de"])
@override_settings(STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="", STRIPE_API_BASE="")
def test_basket_and_checkout_read_in_french_and_german(client, site_languages, language):
    site_languages("it", "en", "fr", "de")
    ProductClass.objects.get_or_create(name="Experience", defaults={"slug": "experience", "requires_shipping": False})
    product = create_product(
        title="Degustazione a Montecarlo", product_class="Experience", price=Decimal("120.00"), num_in_stock=10
    )
    with translation.override(language):
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
        basket = reverse("basket:summary")
        client.post(reverse("checkout:index"), {"username": "claire@example.com", "options": "anonymous"})
        travellers = reverse("checkout:travellers")
    html = client.get(basket).content.decode() + client.get(travellers).content.decode()
    for text in INTERFACE[language]["basket"]:
        assert text in html, f"{text!r} missing"
    for english in ENGLISH["basket"]:
        assert english not in html, f"{english!r} left in English"
