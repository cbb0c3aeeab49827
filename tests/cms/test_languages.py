"""Page translation (wagtail-localize, tests/cms/test_localize.py for its editor), the language switcher and hreflang alternates."""

import re

import pytest
from django.utils import translation

from cms.models import AreaPage
from tests.factories import UserFactory


def _links(html):
    return {
        lang: url for url, lang in re.findall(r'class="site-lang__link[^"]*" href="([^"]+)" hreflang="(\w+)"', html)
    }


@pytest.mark.django_db
def test_switcher_keeps_the_visitor_on_the_same_page(client, site_tree):
    links = _links(client.get(site_tree["poi"].url).content.decode())
    assert links == {"it": site_tree["poi"].url, "en": site_tree["poi_en"].url}
    links = _links(client.get(site_tree["poi_en"].url).content.decode())
    assert links["it"] == site_tree["poi"].url


@pytest.mark.django_db
def test_switcher_falls_back_to_home_when_a_page_is_not_translated(client, site_tree):
    links = _links(client.get(site_tree["market"].url).content.decode())
    assert links["en"] == site_tree["home_en"].url


@pytest.mark.django_db
def test_hreflang_lists_only_existing_translations(client, site_tree):
    html = client.get(site_tree["area"].url).content.decode()
    assert f'<link rel="alternate" hreflang="it" href="http://testserver{site_tree["area"].url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{site_tree["area_en"].url}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{site_tree["area"].url}">' in html
    html = client.get(site_tree["market"].url).content.decode()
    assert 'hreflang="en"' not in html.split("</head>")[0]


@pytest.mark.django_db
def test_translation_keeps_the_area_code_and_the_tree(client, site_tree):
    from wagtail.models import Locale

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    area = site_tree["area"]
    new = site_tree["areas"].add_child(instance=AreaPage(title="Capannori", slug="capannori", area_code="capannori"))
    new.save_revision().publish()
    en = Locale.objects.get(language_code="en")
    response = client.post(f"/admin/localize/submit/page/{new.pk}/", {"locales": [en.pk]})
    assert response.status_code == 302
    translated = new.get_translation(en)
    assert translated.get_parent().specific == site_tree["areas_en"]
    assert translated.area_code == "capannori"
    assert area.get_translation(en) == site_tree["area_en"]


@pytest.mark.django_db
def test_interface_strings_are_translated(client, site_tree):
    it_html = client.get(site_tree["area"].url).content.decode()
    en_html = client.get(site_tree["area_en"].url).content.decode()
    assert "Cosa vedere" in it_html and "What to see" in en_html
    assert "Informazioni pratiche" in it_html


@pytest.mark.django_db
def test_area_code_is_unique_per_language(site_tree):
    from django.core.exceptions import ValidationError

    clash = AreaPage(title="Lucca bis", slug="lucca-bis", area_code="lucca", locale=site_tree["area"].locale)
    with pytest.raises(ValidationError):
        site_tree["areas"].add_child(instance=clash)


# French or German switched on before any page is translated into it (SITE_LANGUAGES=it,en,fr).


def _without_switcher(html: str) -> str:
    return re.sub(r'<a class="site-lang__link[^>]*>', "", html)


def _in(code: str, url: str) -> str:
    """The same path under another language prefix."""
    return f"/{code}/" + url.split("/", 2)[2]


@pytest.mark.django_db
def test_locales_of_the_served_languages_exist_after_migrate(settings):
    from django.core.management.sql import emit_post_migrate_signal
    from wagtail.models import Locale

    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [
        ("it", "Italiano"),
        ("fr", "Français"),
        ("de", "Deutsch"),
    ]
    assert not Locale.objects.filter(language_code__in=["fr", "de"]).exists()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"it", "fr", "de"}


@pytest.mark.django_db
def test_a_language_without_pages_serves_the_italian_pages_with_its_interface(client, site_tree, site_languages):
    site_languages("it", "en", "fr")
    with translation.override("it"):
        area, area_en, poi = site_tree["area"].url, site_tree["area_en"].url, site_tree["poi"].url
    response = client.get(_in("fr", area))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "La città delle mura" in html  # the page's own (Italian) content
    assert "À voir" in html and "Informations pratiques" in html  # the French interface
    assert "Cosa vedere" not in html and "What to see" not in html
    # Every link to a page keeps the visitor in French: breadcrumbs, cards, menus.
    assert 'href="/it/' not in _without_switcher(html)
    assert f'href="{_in("fr", poi)}"' in html
    assert _links(html) == {"it": area, "en": area_en, "fr": _in("fr", area)}
    assert f'hreflang="fr" href="http://testserver{_in("fr", area)}"' in html
    # From the English page, French leads to the page French visitors get: the Italian one under /fr/.
    assert _links(client.get(area_en).content.decode())["fr"] == _in("fr", area)


@pytest.mark.django_db
def test_a_language_without_pages_has_its_home_listings_search_and_feed(client, site_tree, site_languages):
    site_languages("it", "en", "de")
    with translation.override("it"):
        areas, poi, event = site_tree["areas"].url, site_tree["poi"].url, site_tree["event"].url
    html = client.get("/de/").content.decode()
    assert "Benvenuti" in html
    assert f'href="{_in("de", areas)}"' in html
    html = client.get("/de/search/", {"q": "mura"}).content.decode()
    assert _in("de", poi) in html
    feed = client.get("/de/events.ics").content.decode()
    assert "Luminara di Santa Croce" in feed and _in("de", event) in feed


@pytest.mark.django_db
def test_sitemap_covers_a_language_without_pages(client, site_tree, site_languages):
    site_languages("it", "en", "fr", "de")
    with translation.override("it"):
        poi, poi_en = site_tree["poi"].url, site_tree["poi_en"].url
    # Served outside the language prefixes: the visitor's language must not change the URLs.
    xml = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", xml)
    for url in (poi, _in("fr", poi), _in("de", poi), poi_en):
        assert f"http://testserver{url}" in locations
    assert f'hreflang="fr" href="http://testserver{_in("fr", poi)}"' in xml
    assert f'hreflang="it" href="http://testserver{poi}"' in xml


@pytest.mark.django_db
def test_once_translated_a_language_follows_its_own_pages(client, site_tree, site_languages):
    from tests.cms.factories import translate

    site_languages("it", "en", "fr")
    home_fr = translate(site_tree["home"], "fr", title="Terres de Lucques", slug="home-fr", hero_title="Bienvenue")
    with translation.override("it"):
        area, home_fr_url = site_tree["area"].url, home_fr.url
    assert "Bienvenue" in client.get("/fr/").content.decode()
    html = client.get(area).content.decode()
    assert _links(html)["fr"] == home_fr_url == "/fr/"  # no French Lucca page yet: the French home
    assert 'hreflang="fr"' not in html.split("</head>")[0]
