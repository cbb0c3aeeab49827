"""Evidence is checked by content: a bad file is a field error and nothing is saved."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certifications.models import Award, AwardEvidence
from certifications.subjects import subject_key
from tests.certifications.factories import pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data()["evidence"]]


def _post(client, scheme, subject, *files):
    return client.post(
        reverse("certifications:award-request"),
        {"scheme": scheme.pk, "subject": subject_key(subject), "evidence": list(files), "note": ""},
    )


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf"), "bad_type"),
        (SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 truncated jpeg", "image/jpeg"), "bad_type"),
        (SimpleUploadedFile("broken.pdf", b"%PDF-1.4\n1 0 obj", "application/pdf"), "bad_pdf"),
        (SimpleUploadedFile("empty.pdf", b"", "application/pdf"), "empty"),
    ],
)
def test_bad_file_is_a_field_error_and_nothing_is_saved(client, operator_user, operator, scheme, upload, code):
    client.force_login(operator_user)
    response = _post(client, scheme, operator, upload)
    assert response.status_code == 200
    assert _codes(response) == [code]
    assert Award.objects.count() == 0
    assert AwardEvidence.objects.count() == 0


def test_image_renamed_as_pdf_is_refused(client, operator_user, operator, scheme):
    client.force_login(operator_user)
    response = _post(client, scheme, operator, png_upload("scan.pdf"))
    assert _codes(response) == ["mismatch"]
    assert Award.objects.count() == 0


def test_one_bad_file_among_good_ones_refuses_them_all(client, operator_user, operator, scheme):
    client.force_login(operator_user)
    bad = SimpleUploadedFile("virus.png", b"#!/bin/sh\nrm -rf /", "image/png")
    response = _post(client, scheme, operator, pdf_upload(), bad)
    assert _codes(response) == ["bad_type"]
    assert Award.objects.count() == 0
    assert AwardEvidence.objects.count() == 0


def test_oversized_file_is_refused(client, operator_user, operator, scheme, settings):
    settings.CERTIFICATION_EVIDENCE_MAX_BYTES = 100
    client.force_login(operator_user)
    response = _post(client, scheme, operator, pdf_upload())
    assert _codes(response) == ["too_large"]
    assert Award.objects.count() == 0


def test_pdf_and_image_are_stored_under_random_names(client, operator_user, operator, scheme):
    client.force_login(operator_user)
    response = _post(client, scheme, operator, pdf_upload("Certificato ISPRA.pdf"), png_upload("targa.png"))
    assert response.status_code == 302
    award = Award.objects.get()
    evidence = list(award.evidence.order_by("pk"))
    assert [(e.original_name, e.content_type) for e in evidence] == [
        ("Certificato ISPRA.pdf", "application/pdf"),
        ("targa.png", "image/png"),
    ]
    assert all("ISPRA" not in e.file.name and "targa" not in e.file.name for e in evidence)
    assert evidence[0].file.read().startswith(b"%PDF-")
    assert evidence[0].file.storage is storages["private"]  # never under the public MEDIA_ROOT


def test_request_without_evidence_is_a_field_error(client, operator_user, operator, scheme):
    client.force_login(operator_user)
    response = _post(client, scheme, operator)
    assert "evidence" in response.context["form"].errors
    assert Award.objects.count() == 0
