"""The demo step: six schemes with their logos, idempotent, and awards once operators exist."""

import pytest
from django.utils import timezone

from certifications import demo
from certifications.models import Award, Scheme
from marketplace.core.demo import load_users

pytestmark = pytest.mark.django_db


def test_demo_schemes_are_created_once_with_logos_and_translations():
    load_users()
    demo.load()
    demo.load()
    assert Scheme.objects.count() == 6
    ecolabel = Scheme.objects.get(slug="eu-ecolabel")
    assert ecolabel.logo.read().lstrip().startswith(b"<svg")
    assert ecolabel.summary_en and ecolabel.summary_it and ecolabel.summary_it != ecolabel.summary_en
    # no operators yet: no one to award
    assert Award.objects.count() == 0


def test_demo_awards_go_to_operators_found_through_the_app_registry():
    """Operators found by the demo get valid awards, one expiring this week, one pending."""
    from operators.models import Operator
    from tests.certifications.factories import OperatorFactory

    load_users()
    for name in ("Agriturismo Colle Verde", "Hotel San Martino Lucca", "Bici Piana di Lucca", "Rifugio", "Cantina"):
        OperatorFactory(name=name)
    schemes = demo.load_schemes()
    demo.load_awards(schemes=schemes)
    demo.load_awards(schemes=schemes)

    assert Award.objects.count() == len(demo.DEMO_AWARDS)
    assert Award.objects.filter(status=Award.Status.REQUESTED).count() == 1
    assert Award.objects.get(status=Award.Status.REQUESTED).evidence.count() == 1
    expiring = Award.objects.get(scheme__slug="turismo-accessibile")
    assert 0 < (expiring.expires_on - timezone.localdate()).days <= 7
    colle_verde = Operator.objects.get(name="Agriturismo Colle Verde")
    assert set(
        Award.objects.filter(subject_id=colle_verde.pk, status="verified").values_list("scheme__slug", flat=True)
    ) == {"eu-ecolabel", "vetrina-toscana"}
