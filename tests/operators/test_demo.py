"""The operators' demo step: ~25 approved operators over the destination, idempotent."""

import pytest

from marketplace.core.demo import demo_user, load_users
from operators import demo
from operators.models import Operator, Rate, Slot
from operators.selectors import operator_for_user

pytestmark = pytest.mark.django_db


def test_demo_operators_load_twice_without_duplicates():
    load_users()
    demo.load()
    counts = (Operator.objects.count(), Slot.objects.count(), Rate.objects.count())
    demo.load()
    assert (Operator.objects.count(), Slot.objects.count(), Rate.objects.count()) == counts

    assert Operator.objects.filter(status=Operator.Status.APPROVED).count() >= 25
    assert Operator.objects.filter(status=Operator.Status.PENDING).count() == 1
    municipalities = set(Operator.objects.values_list("municipality", flat=True))
    assert {"lucca", "capannori", "altopascio", "montecarlo", "villa-basilica", "porcari"} <= municipalities
    assert {"poppi", "bibbiena"} <= municipalities
    assert Slot.objects.count() > 10000
    owner = demo_user(demo.OPERATOR_LOGIN)
    assert operator_for_user(user=owner).slug == demo.OPERATOR_LOGIN_SLUG
    for operator in Operator.objects.all():
        operator.full_clean()  # valid Partite IVA, coordinates, e-mails
