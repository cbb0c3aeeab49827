"""The languages the site serves come from SITE_LANGUAGES; French and German are ready to switch on.

Ready means: no migration (model texts have French and German columns whatever the site serves), a clear
startup error for a language we have no translations for, texts that fall back when a language is empty,
and back-office forms that show the served languages only.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from marketplace.env import site_languages
from operators.forms import ServiceForm
from operators.models import Service
from tests.factories import UserFactory
from tests.operators.factories import ServiceFactory

ROOT = Path(__file__).resolve().parents[2]


def test_italian_and_english_by_default(monkeypatch):
    monkeypatch.delenv("SITE_LANGUAGES", raising=False)
    assert site_languages() == [("it", "Italiano"), ("en", "English")]


def test_site_languages_names_the_languages_in_order(monkeypatch):
    monkeypatch.setenv("SITE_LANGUAGES", " it, EN ,fr,de ")
    assert site_languages() == [("it", "Italiano"), ("en", "English"), ("fr", "Français"), ("de", "Deutsch")]
    monkeypatch.setenv("SITE_LANGUAGES", "it,de")
    assert [code for code, _name in site_languages()] == ["it", "de"]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("it,en,es", "not translated into es"),
        ("it,xx,yy", "not translated into xx, yy"),
        ("en,it", "must start with it"),
        ("fr,de", "must start with it"),
        ("", "must start with it"),
        ("it,en,it", "lists it more than once"),
    ],
)
def test_a_language_we_cannot_serve_is_refused_with_the_reason(monkeypatch, value, says):
    monkeypatch.setenv("SITE_LANGUAGES", value)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        site_languages()
    assert "SITE_LANGUAGES" in str(excinfo.value)
    assert says in str(excinfo.value)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_LANGUAGES", "REDIS_URL"}}
    clean.update(DJANGO_SETTINGS_MODULE="marketplace.settings.dev", DATABASE_URL="sqlite:////tmp/languages.sqlite3")
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_the_site_does_not_start_with_an_unknown_language():
    result = _manage("check", SITE_LANGUAGES="it,en,es")
    assert result.returncode != 0
    assert "SITE_LANGUAGES='it,en,es': this site is not translated into es" in result.stderr


def test_switching_french_and_german_on_needs_no_migration():
    """The whole promise: the models and migrations are the same whatever the site serves."""
    for languages in ("it", "it,en,fr,de", "it,de"):
        result = _manage("makemigrations", "--check", "--dry-run", SITE_LANGUAGES=languages)
        assert result.returncode == 0, f"SITE_LANGUAGES={languages}: {result.stdout}{result.stderr}"


@pytest.mark.django_db
def test_an_empty_text_falls_back_to_english_then_italian():
    service = ServiceFactory(name_it="Degustazione in cantina", name_en="Wine tasting in the cellar")
    for language, expected in [("it", "Degustazione in cantina"), ("en", "Wine tasting in the cellar"),
                               ("fr", "Wine tasting in the cellar"), ("de", "Wine tasting in the cellar")]:  # fmt: skip
        with translation.override(language):
            assert Service.objects.get(pk=service.pk).name == expected
    Service.objects.filter(pk=service.pk).update(name_en="", name_fr="Dégustation à la cave")
    with translation.override("fr"):
        assert Service.objects.get(pk=service.pk).name == "Dégustation à la cave"
    with translation.override("de"):
        assert Service.objects.get(pk=service.pk).name == "Degustazione in cantina"
    with translation.override("en"):
        assert Service.objects.get(pk=service.pk).name == "Degustazione in cantina"


@pytest.mark.django_db
def test_operator_service_form_shows_the_served_languages_only(site_languages):
    form = ServiceForm()
    assert {"name_it", "name_en", "description_it", "description_en"} <= set(form.fields)
    assert not {"name_fr", "name_de", "description_fr", "description_de"} & set(form.fields)
    site_languages("it", "en", "fr")
    form = ServiceForm()
    assert {"name_fr", "description_fr"} <= set(form.fields)
    assert not {"name_de", "description_de"} & set(form.fields)
    with translation.override("it"):
        assert str(form.fields["name_fr"].label) == "Nome (francese)"
    # Italian is the text every other language falls back to: only it is required.
    assert form.fields["name_it"].required
    assert not form.fields["name_en"].required and not form.fields["name_fr"].required


@pytest.mark.django_db
def test_saving_with_a_language_switched_off_keeps_its_text():
    service = ServiceFactory(name_it="Visita", name_en="Visit", name_fr="Visite", capacity_model="per_person")
    data = {"name_it": "Visita guidata", "name_en": "Guided visit", "kind": service.kind,
            "capacity_model": service.capacity_model, "min_party": 1, "cutoff_hours": 0, "child_max_age": 12,
            "infant_max_age": 2, "is_active": "on"}  # fmt: skip
    form = ServiceForm(data, instance=service)
    assert form.is_valid(), form.errors
    form.save()
    service.refresh_from_db()
    assert (service.name_it, service.name_en, service.name_fr) == ("Visita guidata", "Guided visit", "Visite")


@pytest.mark.django_db
def test_django_admin_shows_the_served_languages_only(client, site_languages):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    service = ServiceFactory(name_it="Visita", name_en="Visit")
    url = reverse("admin:operators_service_change", args=[service.pk])
    html = client.get(url).content.decode()
    assert 'name="name_it"' in html and 'name="name_en"' in html
    assert 'name="name_fr"' not in html and 'name="name_de"' not in html
    site_languages("it", "en", "de")
    html = client.get(url).content.decode()
    assert 'name="name_de"' in html and 'name="description_de"' in html
    assert 'name="name_fr"' not in html


@pytest.mark.django_db
def test_package_admin_inlines_follow_the_served_languages(client, site_languages):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:packages_package_add")
    html = client.get(url).content.decode()
    assert 'name="title_it"' in html and 'name="components-0-note_en"' in html
    assert "title_fr" not in html and "note_fr" not in html and "caption_de" not in html
    site_languages("it", "en", "fr", "de")
    html = client.get(url).content.decode()
    assert 'name="title_fr"' in html and 'name="components-0-note_de"' in html


@pytest.mark.django_db
def test_wagtail_scheme_form_follows_the_served_languages(site_languages):
    from certifications.wagtail_hooks import SchemeAdminForm

    assert "name_fr" not in SchemeAdminForm().fields
    site_languages("it", "fr")
    fields = SchemeAdminForm().fields
    assert {"name_it", "name_fr", "summary_fr", "criteria_fr"} <= set(fields)
    assert "name_en" not in fields and "name_de" not in fields
