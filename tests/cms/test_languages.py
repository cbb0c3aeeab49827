"""Page translation (simple_translation), the language switcher and hreflang alternates."""

import re

import pytest

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
def test_editor_translates_a_page_with_simple_translation(client, site_tree):
    from wagtail.models import Locale

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    area = site_tree["area"]
    new = site_tree["areas"].add_child(instance=AreaPage(title="Capannori", slug="capannori", area_code="capannori"))
    new.save_revision().publish()
    en = Locale.objects.get(language_code="en")
    response = client.post(f"/admin/translation/submit/page/{new.pk}/", {"locales": [en.pk]})
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
