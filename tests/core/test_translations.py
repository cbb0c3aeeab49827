"""Italian is the site's default language: our catalogues are complete and /it/ pages read in Italian.

A msgid left empty or fuzzy is silently shown in English, which is how English crept onto Italian
pages before; these tests make that a failure instead of a surprise.
"""

import re
import subprocess
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

from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "media", ".git"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def our_italian_catalogues() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("**/locale/it/LC_MESSAGES/django.po")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    )


def test_our_italian_catalogues_are_found():
    found = {str(path.relative_to(ROOT)) for path in our_italian_catalogues()}
    assert {
        "locale/it/LC_MESSAGES/django.po",
        "operators/locale/it/LC_MESSAGES/django.po",
        "marketplace/payments/locale/it/LC_MESSAGES/django.po",
        "marketplace/bookings/locale/it/LC_MESSAGES/django.po",
        "marketplace/shop/checkout/locale/it/LC_MESSAGES/django.po",
    } <= found


@pytest.mark.parametrize("po_path", our_italian_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_italian_catalogue_is_complete_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{po_path}: untranslated {untranslated}"
    assert not fuzzy, f"{po_path}: fuzzy {fuzzy}"
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for msgstr in translations:
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid
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
    for po_path in our_italian_catalogues():
        result = subprocess.run(
            [str(msgfmt), "--check-format", "-o", "/dev/null", str(po_path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


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
