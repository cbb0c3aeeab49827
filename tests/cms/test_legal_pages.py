"""Legal pages: staff keep the terms of sale, the privacy notice and the company's identity in Wagtail;
every page's footer links them and shows who sells; the checkout links the terms by a stable URL name."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import CompanyIdentity, LegalPage
from tests.factories import UserFactory

from .factories import add, translate


@pytest.fixture
def legal(site_tree):
    home = site_tree["home"]
    terms = add(
        home,
        LegalPage,
        title="Condizioni generali di vendita",
        slug="condizioni",
        kind="terms",
        body="<p>Codice del Turismo, d.lgs. 79/2011.</p>",
    )
    terms_en = translate(terms, "en", title="Terms of sale", slug="terms", body="<p>Italian Tourism Code.</p>")
    privacy = add(home, LegalPage, title="Informativa privacy", slug="privacy", kind="privacy", body="<p>GDPR</p>")
    privacy_en = translate(privacy, "en", title="Privacy notice", slug="privacy", body="<p>GDPR notice</p>")
    return {"terms": {"it": terms, "en": terms_en}, "privacy": {"it": privacy, "en": privacy_en}}


@pytest.fixture
def identity(site_tree):
    company = CompanyIdentity.for_site(Site.objects.get(is_default_site=True))
    company.legal_name = "Terre di Lucca S.r.l."
    company.address = "Piazza San Michele 1\n55100 Lucca"
    company.vat_number = "IT01234560467"
    company.phone = "+39 0583 000 123"
    company.email = "info@terredilucca.example"
    company.save()
    return company


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), [("legal-terms", "terms"), ("legal-privacy", "privacy")])
def test_legal_urls_lead_to_the_page_in_every_served_language(client, legal, name, kind):
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse(name)
            assert url == f"/{code}/legal/{'terms' if kind == 'terms' else 'privacy'}/"
            response = client.get(url)
            expected = legal[kind].get(code, legal[kind]["it"])
            assert response.status_code == 302
            assert response["Location"] == expected.url
        assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_language_without_its_own_pages_gets_the_italian_text_under_its_prefix(client, legal, site_languages):
    site_languages("it", "en", "fr")
    with translation.override("fr"):
        response = client.get(reverse("legal-terms"))
    assert response.status_code == 302
    assert response["Location"] == "/fr/condizioni/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Codice del Turismo" in page.content.decode()


@pytest.mark.django_db
def test_without_a_legal_page_the_visitor_gets_the_company_contacts_not_an_error(client, site_tree, identity):
    with translation.override("en"):
        response = client.get(reverse("legal-terms"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Terms of sale" in html and "info@terredilucca.example" in html and "+39 0583 000 123" in html


@pytest.mark.django_db
def test_every_page_footer_links_the_legal_texts_and_names_the_company(client, legal, identity, site_tree):
    for url in ["/it/", "/en/", site_tree["area"].url, "/en/shop/catalogue/", "/en/shop/accounts/login/"]:
        html = client.get(url).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        language = url.split("/")[1]
        assert f'href="/{language}/legal/terms/"' in footer, url
        assert f'href="/{language}/legal/privacy/"' in footer, url
        for text in ["Terre di Lucca S.r.l.", "IT01234560467", "Piazza San Michele 1, 55100 Lucca"]:
            assert text in footer, (url, text)
        assert 'href="mailto:info@terredilucca.example"' in footer and 'href="tel:+390583000123"' in footer


@pytest.mark.django_db
def test_a_new_vat_number_reaches_pages_served_from_the_cache(client, site_tree, identity, settings):
    """The footer is outside the cached fragments but its identity is remembered: saving it lets go."""
    from django.core.cache import cache

    from cms.memo import memo_clear

    settings.CMS_FRAGMENT_CACHE_SECONDS = 300
    cache.clear()
    memo_clear()
    client.cookies["csrftoken"] = "a" * 32  # not the whole-page cache: rendered around the fragments
    assert "IT01234560467" in client.get("/en/").content.decode()
    identity.vat_number = "IT09876540467"
    identity.save()
    html = client.get("/en/").content.decode()
    assert "IT09876540467" in html and "IT01234560467" not in html
    cache.clear()
    memo_clear()


@pytest.fixture
def editor(client, site_tree):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
def test_staff_edit_and_publish_the_terms_in_the_wagtail_admin(editor, legal):
    page = legal["terms"]["it"]
    data = nested_form_data(
        {
            "title": "Condizioni generali di vendita",
            "slug": "condizioni",
            "kind": "terms",
            "last_updated": "2026-03-01",
            "body": rich_text("<p>Nuovo testo: recesso gratuito fino a 30 giorni.</p>"),
            "summary": "",
            "theme": "",
            "seo_title": "",
            "search_description": "",
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = editor.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = editor.get(reverse("legal-terms"), follow=True).content.decode()
    assert "recesso gratuito fino a 30 giorni" in html


@pytest.mark.django_db
def test_staff_can_add_a_legal_page_under_the_home_page(editor, site_tree):
    response = editor.get(f"/admin/pages/add/cms/legalpage/{site_tree['home'].pk}/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_set_the_company_identity_in_the_wagtail_settings(editor, site_tree):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/cms/companyidentity/{site.pk}/"
    assert editor.get(url).status_code == 200
    response = editor.post(
        url,
        {
            "legal_name": "Casentino Viaggi S.r.l.",
            "address": "Via Roma 3, Poppi",
            "vat_number": "IT05555550514",
            "registration": "",
            "phone": "+39 0575 111 222",
            "email": "ciao@casentino.example",
        },
    )
    assert response.status_code == 302
    footer = editor.get("/en/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert "Casentino Viaggi S.r.l." in footer and "IT05555550514" in footer
