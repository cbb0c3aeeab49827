"""A package shows a certification label when every component's service or operator holds it
(packages.certification.PackageCertificationPolicy, read by certifications)."""

import datetime as dt

import pytest
from django.utils import timezone

from certifications.models import Scheme
from certifications.selectors import subject_labels
from certifications.services import award_grant
from tests.factories import UserFactory
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


def test_package_label_follows_its_components_operators():
    scheme = Scheme.objects.create(
        name="Toscana Ecoefficiente", slug="toscana-eco", issuer="Regione Toscana",
        awardable_to=["operators.operator", "operators.service", "packages.package"], expires=True,
        validity_months=12, verified_by=Scheme.Verifier.DMC,
    )  # fmt: skip
    villa, walk = priced_service(name="Notte in villa"), priced_service(name="Passeggiata")
    package = make_package(services=[villa, walk])
    staff = UserFactory(is_staff=True, is_superuser=True)
    on = timezone.localdate() - dt.timedelta(days=10)

    award_grant(scheme=scheme, subject=villa.operator, user=staff, awarded_on=on)
    assert subject_labels(subject=package) == []

    award_grant(scheme=scheme, subject=walk, user=staff, awarded_on=on)
    assert [label.scheme.slug for label in subject_labels(subject=package)] == ["toscana-eco"]
