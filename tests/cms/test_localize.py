"""Translating a page with wagtail-localize, through its admin views as an editor uses them.

The Italian page is the source; its English version is a translation that wagtail-localize keeps in step
(segments edited in its translation editor, synchronised fields copied on every update).
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, Translation

from tests.factories import UserFactory


@pytest.fixture
def editor(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # Wagtail's admin speaks the user's language (the site's is Italian)
    profile.save()
    client.force_login(user)
    return user


def _translate_segment(client, translation: Translation, path: str, value: str):
    segment = StringSegment.objects.get(source=translation.source, context__path=path)
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    return client.put(url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded")


@pytest.mark.django_db
def test_editor_translates_an_italian_page_into_english(client, site_tree, editor, django_capture_on_commit_callbacks):
    market = site_tree["market"]
    en = Locale.objects.get(language_code="en")

    response = client.post(reverse("wagtail_localize:submit_page_translation", args=[market.pk]), {"locales": [en.pk]})

    assert response.status_code == 302
    translated = market.get_translation(en)
    assert translated.get_parent().specific == site_tree["events_en"]
    assert response.url == reverse("wagtailadmin_pages:edit", args=[translated.pk])
    translation = Translation.objects.get(source__object_id=market.translation_key, target_locale=en)
    # The editor opens the translation editor (the page's edit view) and translates the title.
    editor_page = client.get(response.url)
    assert editor_page.status_code == 200
    assert "Mercato contadino" in editor_page.content.decode()
    assert _translate_segment(client, translation, "title", "Farmers' market").status_code == 201
    assert _translate_segment(client, translation, "slug", "farmers-market").status_code == 201

    # wagtail-localize publishes once the transaction commits (the test's never does: run its callbacks).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_pages:edit", args=[translated.pk]), {"action": "publish"})

    assert response.status_code == 302
    translated.refresh_from_db()
    assert translated.live and translated.title == "Farmers' market"
    assert translated.specific.price == market.specific.price  # synchronised, not translated
    page = client.get(translated.url)
    assert translated.url.startswith("/en/") and translated.url.endswith("/farmers-market/")
    assert page.status_code == 200
    assert "Farmers&#x27; market" in page.content.decode() or "Farmers' market" in page.content.decode()


@pytest.mark.django_db
def test_synchronised_fields_follow_the_italian_page(client, site_tree, editor):
    """An office's address and phone are copied from the Italian page, never offered to translators."""
    office = site_tree["office"]
    en = Locale.objects.get(language_code="en")
    site_tree["offices_en"] = site_tree["offices"].copy_for_translation(en)
    client.post(reverse("wagtail_localize:submit_page_translation", args=[office.pk]), {"locales": [en.pk]})
    translation = Translation.objects.get(source__object_id=office.translation_key, target_locale=en)
    paths = set(StringSegment.objects.filter(source=translation.source).values_list("context__path", flat=True))
    assert {"title", "opening_hours"} <= paths
    assert not {"address", "phone"} & paths


@pytest.mark.django_db
def test_untranslated_page_says_so_in_the_admin(client, site_tree, editor):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[site_tree["market"].pk])).content.decode()
    assert "Not translated yet into: English." in html
    html = client.get(reverse("wagtailadmin_pages:edit", args=[site_tree["area"].pk])).content.decode()
    assert "Not translated yet" not in html
