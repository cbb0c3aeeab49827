"""The demo destination's pages in two languages, every one of them rendering (loading twice: test_load_demo)."""

import pytest
from wagtail.models import Page

from cms.models import AreaPage, CollectionPage, EventPage, ItineraryPage, PointOfInterestPage, TouristOfficePage


@pytest.mark.django_db
def test_demo_builds_the_destination_in_two_languages_once(client):
    counts = {
        model: model.objects.filter(locale__language_code="it").count()
        for model in (AreaPage, PointOfInterestPage, ItineraryPage, EventPage, CollectionPage, TouristOfficePage)
    }
    assert counts == {
        AreaPage: 7,
        PointOfInterestPage: 22,
        ItineraryPage: 4,
        EventPage: 10,
        CollectionPage: 5,
        TouristOfficePage: 3,
    }
    assert set(AreaPage.objects.filter(locale__language_code="it").values_list("area_code", flat=True)) == {
        "lucca",
        "capannori",
        "altopascio",
        "montecarlo",
        "villa-basilica",
        "porcari",
        "casentino",
    }
    for page in Page.objects.live().filter(depth__gt=1).specific():
        assert page.get_translations().live().exists(), f"{page} has no translation"
        response = client.get(page.url)
        assert response.status_code == 200, page.url
    # The English pages are wagtail-localize translations of the Italian ones (the admin's translation
    # editor, PO export and "Sync translated pages" work on them), every segment translated.
    from wagtail_localize.models import StringSegment, Translation

    italian = Page.objects.live().filter(depth__gt=1, locale__language_code="it")
    translations = Translation.objects.filter(target_locale__language_code="en").select_related("source")
    assert {t.source.object_id for t in translations} == set(italian.values_list("translation_key", flat=True))
    for translation in translations:
        segments = StringSegment.objects.filter(source=translation.source)
        untranslated = segments.annotate_translation(translation.target_locale).filter(translation__isnull=True)
        assert not untranslated.exists(), f"{translation.source.get_source_instance()}: {list(untranslated)}"
    lucca_en = AreaPage.objects.get(locale__language_code="en", area_code="lucca")
    html = client.get(lucca_en.url).content.decode()
    assert "Do I need a car?" in html and "Serve l'auto?" not in html
