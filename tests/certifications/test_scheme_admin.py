"""Staff edit schemes in Wagtail's admin, in both languages, with a logo checked for active content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certifications.models import Scheme
from certifications.validators import validate_logo

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'


def _data(**overrides):
    data = {
        "name_it": "Marchio Ciclabile",
        "name_en": "Cycling mark",
        "summary_it": "Per chi viaggia in bici",
        "summary_en": "For travellers on a bike",
        "criteria_it": "",
        "criteria_en": "",
        "slug": "marchio-ciclabile",
        "issuer": "FIAB",
        "issuer_url": "https://fiabitalia.it/",
        "criteria_url": "",
        "awardable_to": ["operators.operator", "operators.service"],
        "expires": "on",
        "validity_months": "24",
        "verified_by": "dmc",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_staff_create_a_scheme_in_wagtail_admin(client, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/certification_schemes/new/", {**_data(), "logo": SimpleUploadedFile("bici.svg", SVG)}
    )
    assert response.status_code == 302, response.context["form"].errors
    scheme = Scheme.objects.get(slug="marchio-ciclabile")
    assert (scheme.name_it, scheme.name_en) == ("Marchio Ciclabile", "Cycling mark")
    assert scheme.awardable_to == ["operators.operator", "operators.service"]
    assert scheme.logo.name.endswith(".svg")


def test_awardable_to_offers_only_the_allowed_models(client, staff):
    client.force_login(staff)
    response = client.post("/admin/certification_schemes/new/", _data(awardable_to=["auth.user"]))
    assert response.status_code == 200
    assert "awardable_to" in response.context["form"].errors
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        b"not xml at all",
    ],
)
def test_logo_with_active_content_is_refused(client, staff, svg):
    client.force_login(staff)
    response = client.post(
        "/admin/certification_schemes/new/", {**_data(), "logo": SimpleUploadedFile("logo.svg", svg)}
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Scheme.objects.exists()


def test_operators_cannot_reach_the_scheme_admin(client, operator_user):
    client.force_login(operator_user)
    response = client.get("/admin/certification_schemes/")
    assert response.status_code in (302, 403)


def test_png_logo_is_accepted():
    from tests.certifications.factories import png_upload

    validate_logo(png_upload("logo.png"))
