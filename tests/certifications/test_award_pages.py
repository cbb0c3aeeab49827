"""Pages show only valid labels: the public award page and its QR code, the scheme page, the badges
template tag and the schema.org helper all agree with award_qs_shown."""

import json
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from certifications.selectors import subject_schema_org
from certifications.services import award_revoke, award_verify, awards_expire_due
from tests.certifications.factories import SchemeFactory

pytestmark = pytest.mark.django_db


def _render(template: str, **context) -> str:
    return Template("{% load certification_tags %}" + template).render(Context(context))


def test_public_page_of_a_valid_award_names_holder_issuer_and_validity(client, grant, scheme, operator):
    expires = timezone.localdate() + timedelta(days=40)
    award = grant(scheme, operator, expires_on=expires, reference="VT-2026-118")
    response = client.get(award.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Agriturismo Colle Verde" in content
    assert scheme.issuer in content
    assert "VT-2026-118" in content
    assert response.context["is_valid"] is True
    assert award.get_absolute_url().startswith("/it/labels/")
    assert "Rilasciato da" in content  # Italian first
    english = client.get(award.get_absolute_url().replace("/it/", "/en/", 1))
    assert "Issued by" in english.content.decode()


def test_public_page_of_a_revoked_or_expired_award_says_it_is_not_valid(client, grant, scheme, operator, staff):
    award = grant(scheme, operator)
    award_revoke(award=award, user=staff, reason="Ritirata")
    response = client.get(award.get_absolute_url())
    assert response.status_code == 410
    assert response.context["is_valid"] is False
    assert 'class="badge badge-success"' not in response.content.decode()
    assert client.get(reverse("certifications:award-qr", args=[award.public_id])).status_code == 404


def test_requests_have_no_public_page(client, requested_award):
    assert client.get(requested_award.get_absolute_url()).status_code == 404
    assert client.get(reverse("certifications:award-qr", args=[requested_award.public_id])).status_code == 404


def test_qr_code_is_an_svg(client, grant, scheme, operator):
    award = grant(scheme, operator)
    response = client.get(reverse("certifications:award-qr", args=[award.public_id]) + "?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") or b"<svg" in response.content[:200]
    assert "attachment" in response["Content-Disposition"]


def test_badges_show_only_valid_labels(grant, scheme, operator, requested_award, staff):
    other = SchemeFactory(name="Bike Friendly", slug="bike-friendly")
    assert "Vetrina Toscana" not in _render("{% label_badges subject %}", subject=operator)  # requested only
    award_verify(award=requested_award, user=staff)
    bike = grant(other, operator, expires_on=timezone.localdate() + timedelta(days=1))
    html = _render("{% label_badges subject %}", subject=operator)
    assert "Vetrina Toscana" in html and "Bike Friendly" in html
    assert requested_award.get_absolute_url() in html

    awards_expire_due(today=bike.expires_on)
    html = _render("{% label_badges subject %}", subject=operator)
    assert "Bike Friendly" not in html


def test_badges_from_a_batch_for_a_page_of_cards(grant, scheme, operator, other_operator):
    grant(scheme, other_operator)
    html = _render(
        "{% labels_for subjects as batch %}{% for s in subjects %}[{% label_badges s labels=batch %}]{% endfor %}",
        subjects=[operator, other_operator],
    )
    first, second = html.split("][")
    assert "Vetrina Toscana" not in first
    assert "Vetrina Toscana" in second


def test_scheme_page_lists_only_current_holders(client, grant, scheme, operator, other_operator, staff):
    grant(scheme, operator)
    revoked = grant(scheme, other_operator)
    award_revoke(award=revoked, user=staff, reason="Ritirata")
    response = client.get(scheme.get_absolute_url())
    assert [award.subject for award in response.context["holders"]] == [operator]
    assert "Bici in Piana" not in response.content.decode()


def test_schema_org_carries_the_labels(grant, scheme, operator, other_operator):
    scheme.issuer_url = "https://www.vetrina.toscana.it/"
    scheme.save()
    expires = timezone.localdate() + timedelta(days=100)
    award = grant(scheme, operator, expires_on=expires, reference="VT-9")
    request = RequestFactory().get("/")
    data = subject_schema_org(subject=operator, request=request)
    assert data["award"] == ["Vetrina Toscana"]
    [certification] = data["hasCertification"]
    assert certification["@type"] == "Certification"
    assert certification["issuedBy"] == {
        "@type": "Organization",
        "name": scheme.issuer,
        "url": "https://www.vetrina.toscana.it/",
    }
    assert certification["url"] == f"http://testserver{award.get_absolute_url()}"
    assert certification["expires"] == expires.isoformat()
    assert certification["certificationIdentification"] == "VT-9"
    assert subject_schema_org(subject=other_operator) == {}
    rendered = _render("{% schema_org_labels_json subject %}", subject=operator, request=request)
    assert json.loads(rendered)["award"] == ["Vetrina Toscana"]


def test_inactive_scheme_shows_no_label_anywhere(client, grant, scheme, operator):
    award = grant(scheme, operator)
    scheme.is_active = False
    scheme.save()  # an admin edit: the receiver invalidates the cache
    assert "Vetrina Toscana" not in _render("{% label_badges subject %}", subject=operator)
    assert client.get(award.get_absolute_url()).status_code == 410
    assert client.get(scheme.get_absolute_url()).status_code == 404


def test_label_data_for_the_trade_api(grant, scheme, operator):
    from certifications.selectors import subject_labels_data

    expires = timezone.localdate() + timedelta(days=100)
    award = grant(scheme, operator, expires_on=expires)
    [data] = subject_labels_data(subject=operator, request=RequestFactory().get("/"))
    assert data == {
        "scheme": "vetrina-toscana",
        "name": "Vetrina Toscana",
        "issuer": scheme.issuer,
        "logo": None,
        "url": f"http://testserver{award.get_absolute_url()}",
        "valid_until": (expires - timedelta(days=1)).isoformat(),
        "via_components": False,
    }
