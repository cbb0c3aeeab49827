"""A package carries a scheme when the DMC awards it directly, or when every component's service or
operator holds it; computed on every read (through the cache), so it goes when one component lapses."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certifications.selectors import labels_for_subjects, subject_labels
from certifications.services import award_expire, award_revoke, awards_expire_due
from tests.certifications.factories import ComponentFactory, PackageFactory, SchemeFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eco():
    return SchemeFactory(name="EU Ecolabel", slug="eu-ecolabel")


@pytest.fixture
def package(operator, other_operator):
    """Two nights at the agriturismo (its service) + a bike tour by another operator."""
    package = PackageFactory(title="Lucca in bici, slow")
    ComponentFactory(package=package, service=ServiceFactory(operator=operator, name="Due notti"))
    ComponentFactory(package=package, service=ServiceFactory(operator=other_operator, name="Tour in bici"))
    return package


def _schemes(labels):
    return [label.scheme.slug for label in labels]


def test_package_carries_the_scheme_when_every_component_holds_it(grant, eco, package, operator, other_operator):
    first, second = (component.service for component in package.components.order_by("pk"))
    grant(eco, operator)  # the agriturismo itself: stands for its "Due notti" service
    assert subject_labels(subject=package) == []
    grant(eco, second)  # the bike tour service
    labels = subject_labels(subject=package)
    assert _schemes(labels) == ["eu-ecolabel"]
    assert labels[0].derived
    assert labels[0].award is None
    assert len(labels[0].via) == 2


def test_package_label_goes_when_one_component_award_lapses(grant, eco, package, operator, other_operator, staff):
    grant(eco, operator)
    lapsing = grant(eco, other_operator, expires_on=timezone.localdate() + timedelta(days=2))
    assert _schemes(subject_labels(subject=package)) == ["eu-ecolabel"]  # now cached

    assert awards_expire_due(today=timezone.localdate() + timedelta(days=2)) == 1
    assert subject_labels(subject=package) == []  # the cache did not keep it
    lapsing.refresh_from_db()
    assert lapsing.status == "expired"


def test_package_label_goes_when_one_component_award_is_revoked(grant, eco, package, operator, other_operator, staff):
    grant(eco, operator)
    revoked = grant(eco, other_operator)
    assert subject_labels(subject=package)
    award_revoke(award=revoked, user=staff, reason="Licenza ritirata")
    assert subject_labels(subject=package) == []


def test_direct_award_to_a_package_needs_no_components(grant, eco):
    empty = PackageFactory(title="Serata all'opera a Lucca")
    award = grant(eco, empty)
    assert [label.award for label in subject_labels(subject=empty)] == [award]


def test_a_package_without_components_does_not_inherit_anything(eco):
    assert subject_labels(subject=PackageFactory()) == []


def test_only_schemes_held_by_all_components_survive(grant, eco, package, operator, other_operator):
    bike = SchemeFactory(name="Bike Friendly", slug="bike-friendly")
    grant(eco, operator)
    grant(eco, other_operator)
    grant(bike, other_operator)
    assert _schemes(subject_labels(subject=package)) == ["eu-ecolabel"]


def test_explicit_components_with_stand_in_subjects(grant, eco, settings):
    """Any allowed model works as a subject: auth Groups stand in for components here."""
    settings.CERTIFICATION_SUBJECT_MODELS = [*settings.CERTIFICATION_SUBJECT_MODELS, "auth.group"]
    eco.awardable_to = [*eco.awardable_to, "auth.group"]
    eco.save()
    cellar, kitchen = Group.objects.create(name="Cantina"), Group.objects.create(name="Cucina")
    owner = PackageFactory()
    grant(eco, cellar)
    assert subject_labels(subject=owner, components=[cellar, kitchen]) == []
    grant(eco, kitchen)
    assert _schemes(subject_labels(subject=owner, components=[cellar, kitchen])) == ["eu-ecolabel"]
    # an item of alternatives: the component holds it if any alternative does
    assert _schemes(subject_labels(subject=owner, components=[(Group.objects.create(name="x"), cellar)])) == [
        "eu-ecolabel"
    ]


def test_a_page_of_cards_costs_a_fixed_number_of_queries(grant, eco, operator, other_operator):
    packages = []
    for _ in range(6):
        package = PackageFactory()
        ComponentFactory(package=package, service=ServiceFactory(operator=operator))
        ComponentFactory(package=package, service=ServiceFactory(operator=other_operator))
        packages.append(package)
    grant(eco, operator)
    grant(eco, other_operator)
    with CaptureQueriesContext(connection) as queries:
        labels = labels_for_subjects(subjects=packages)
    assert all(_schemes(labels[p.pk]) == ["eu-ecolabel"] for p in packages)
    assert len(queries) <= 4
    with CaptureQueriesContext(connection) as queries:
        labels_for_subjects(subjects=packages)
    assert len(queries) == 0  # served from the cache


def test_expire_of_a_direct_award_clears_the_cached_label(grant, eco, operator):
    award = grant(eco, operator, expires_on=timezone.localdate() + timedelta(days=1))
    assert subject_labels(subject=operator)
    award.expires_on = timezone.localdate()  # as if the day had come
    award.save()
    assert award_expire(award=award)
    assert subject_labels(subject=operator) == []
