"""The catalogue filter: subjects carrying a scheme's label, direct or through every component."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certifications.selectors import scheme_qs_filterable, subject_qs_with_label
from certifications.services import award_revoke
from operators.models import Operator
from packages.models import Package
from tests.certifications.factories import ComponentFactory, PackageFactory, SchemeFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_filter_operators_and_packages_by_label(grant, operator, other_operator, staff):
    eco = SchemeFactory(slug="eu-ecolabel")
    bike = SchemeFactory(slug="bike-friendly")
    all_eco = PackageFactory(title="Tutto eco")
    ComponentFactory(package=all_eco, service=ServiceFactory(operator=operator))
    ComponentFactory(package=all_eco, service=ServiceFactory(operator=other_operator))
    half_eco = PackageFactory(title="Metà eco")
    ComponentFactory(package=half_eco, service=ServiceFactory(operator=operator))
    ComponentFactory(package=half_eco, service=ServiceFactory())
    direct = PackageFactory(title="Premiato direttamente")
    empty = PackageFactory(title="Senza componenti")

    grant(eco, operator)
    revocable = grant(eco, other_operator)
    grant(eco, direct)
    grant(bike, operator)
    grant(eco, half_eco.components.last().service, expires_on=timezone.localdate())  # not shown any more

    assert set(subject_qs_with_label(queryset=Operator.objects.all(), scheme=eco)) == {operator, other_operator}
    assert set(subject_qs_with_label(queryset=Operator.objects.all(), scheme=bike)) == {operator}
    assert set(subject_qs_with_label(queryset=Package.objects.all(), scheme=eco)) == {all_eco, direct}
    assert empty not in subject_qs_with_label(queryset=Package.objects.all(), scheme=eco)
    assert set(scheme_qs_filterable()) == {eco, bike}

    award_revoke(award=revocable, user=staff, reason="Ritirata")
    assert set(subject_qs_with_label(queryset=Package.objects.all(), scheme=eco)) == {direct}


def test_filter_keeps_the_callers_queryset_and_inactive_schemes_match_nothing(grant, operator, other_operator):
    eco = SchemeFactory()
    grant(eco, operator)
    grant(eco, other_operator)
    narrowed = Operator.objects.filter(pk=other_operator.pk)
    assert list(subject_qs_with_label(queryset=narrowed, scheme=eco)) == [other_operator]
    eco.is_active = False
    eco.save()
    assert list(subject_qs_with_label(queryset=Operator.objects.all(), scheme=eco)) == []


def test_filter_honours_a_given_day(grant, operator):
    eco = SchemeFactory()
    today = timezone.localdate()
    grant(eco, operator, expires_on=today + timedelta(days=10))
    assert list(subject_qs_with_label(queryset=Operator.objects.all(), scheme=eco, today=today)) == [operator]
    later = today + timedelta(days=10)
    assert list(subject_qs_with_label(queryset=Operator.objects.all(), scheme=eco, today=later)) == []


def test_scheme_from_filter_names_only_active_schemes():
    from certifications.selectors import scheme_from_filter

    eco = SchemeFactory(slug="eu-ecolabel")
    SchemeFactory(slug="old-mark", is_active=False)
    assert scheme_from_filter(slug="eu-ecolabel") == eco
    assert scheme_from_filter(slug="old-mark") is None
    assert scheme_from_filter(slug="") is None
