"""A label decision is in the award's history of changes on the staff page, with who decided."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_verification_shows_in_the_history_with_the_staff_member(client, requested_award, staff):
    staff.first_name, staff.last_name = "Marco", "Neri"
    staff.save()
    client.force_login(staff)
    with translation.override("en"):
        client.post(reverse("certifications:award-verify", args=[requested_award.public_id]),
                    {"awarded_on": "2026-02-01", "reference": "VT-42"})  # fmt: skip
        page = client.get(reverse("certifications:award-detail-staff", args=[requested_award.public_id]))
    text = page.content.decode()
    assert "History of changes" in text
    assert "Marco Neri" in text
    assert "Certificate number: — → VT-42" in text
