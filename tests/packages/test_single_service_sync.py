"""A service sold alone is an automatic one-component package, kept in step with the service."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from operators.models import Operator, Rate
from operators.services import operator_set_status
from packages.models import Package
from packages.products import bookable
from packages.selectors import package_qs_catalogue
from packages.services import SAMPLE_PARTY, service_package_sync
from tests.operators.factories import OperatorFactory, ServiceFactory
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinner(db):
    operator = OperatorFactory(name="Agriturismo Marlia Verde", municipality="capannori")
    return priced_service(
        operator=operator, name="Cena in fattoria", adult="32.00", child="16.00", times=(dt.time(20, 0),),
        kind="food-wine", description="Cena con i prodotti della fattoria.",
    )  # fmt: skip


def test_a_priced_service_of_an_approved_operator_gets_a_published_one_component_package(dinner, today):
    package = service_package_sync(service=dinner)

    package.refresh_from_db()
    assert package.single_service == dinner and package.is_single_service
    assert (package.title, package.description) == ("Cena in fattoria", "Cena con i prodotti della fattoria.")
    assert (package.area, package.duration_days, package.themes) == ("capannori", 1, "wine")
    assert (package.markup_kind, package.markup_value) == ("percent", Decimal("0.00"))
    assert package.status == Package.Status.PUBLISHED and package.product.is_public
    [component] = package.components.all()
    assert (component.service, component.day, component.quantity_rule, component.start_time) == (
        dinner, 1, "per_person", None,
    )  # fmt: skip
    assert [(t.days_before, t.refund_percent) for t in package.cancellation_tiers.all()] == [(2, 100)]
    cheapest = min(
        bookable(service=dinner).price(on=today + dt.timedelta(days=i), party=SAMPLE_PARTY).total for i in range(60)
    )
    assert package.price_from == cheapest == Decimal("64.00")


def test_a_stay_starts_with_the_stay_policy(today):
    room = priced_service(name="Camera doppia", kind="accommodation", capacity_model="per_unit", max_occupancy=2,
                          adult=None, child=None, unit="90.00", times=())  # fmt: skip
    package = service_package_sync(service=room)
    assert [(t.days_before, t.refund_percent) for t in package.cancellation_tiers.all()] == [(7, 100), (2, 50)]
    assert package.price_from == Decimal("90.00")


def test_the_sync_is_idempotent(dinner):
    first = service_package_sync(service=dinner)
    second = service_package_sync(service=dinner)

    assert first.pk == second.pk and Package.objects.filter(single_service=dinner).count() == 1
    assert second.components.count() == 1 and second.cancellation_tiers.count() == 1
    assert second.product_id == first.product_id


def test_renaming_and_repricing_the_service_updates_its_package(dinner, django_capture_on_commit_callbacks):
    package = service_package_sync(service=dinner)

    with django_capture_on_commit_callbacks(execute=True):
        dinner.name_it = "Cena contadina"
        dinner.save()
    with django_capture_on_commit_callbacks(execute=True):
        rate = Rate.objects.get(season__service=dinner, category="adult")
        rate.amount = Decimal("35.00")
        rate.save()

    package.refresh_from_db()
    assert package.title == "Cena contadina" and package.product.title == "Cena contadina"
    assert package.price_from == Decimal("70.00") == package.product.stockrecords.get().price


def test_deactivating_the_service_withdraws_its_package_and_reactivating_publishes_it_again(
    dinner, django_capture_on_commit_callbacks
):
    package = service_package_sync(service=dinner)

    with django_capture_on_commit_callbacks(execute=True):
        dinner.is_active = False
        dinner.save()
    package.refresh_from_db()
    assert package.status == Package.Status.WITHDRAWN and not package.product.is_public

    with django_capture_on_commit_callbacks(execute=True):
        dinner.is_active = True
        dinner.save()
    package.refresh_from_db()
    assert package.status == Package.Status.PUBLISHED and package.product.is_public
    assert Package.objects.filter(single_service=dinner).count() == 1


def test_suspending_the_operator_withdraws_its_services_packages(dinner, django_capture_on_commit_callbacks):
    package = service_package_sync(service=dinner)

    with django_capture_on_commit_callbacks(execute=True):
        operator_set_status(operator=dinner.operator, status=Operator.Status.SUSPENDED, reason="Documenti scaduti")

    package.refresh_from_db()
    assert package.status == Package.Status.WITHDRAWN and not package.product.is_public


def test_a_service_without_a_rate_or_of_a_pending_operator_gets_no_package(db):
    unpriced = ServiceFactory(name="Visita senza prezzi")
    pending = priced_service(operator=OperatorFactory(status=Operator.Status.PENDING), name="In attesa")

    assert service_package_sync(service=unpriced) is None
    assert service_package_sync(service=pending) is None
    assert not Package.objects.exists()


def test_staff_packages_with_the_same_service_are_left_alone(dinner):
    staff = make_package(services=[dinner], markup="10", title="Cena e vigne")

    service_package_sync(service=dinner)
    call_command("sync_single_services", stdout=io.StringIO())

    staff.refresh_from_db()
    assert (staff.title, staff.markup_value, staff.single_service) == ("Cena e vigne", Decimal("10.00"), None)
    assert staff.components.count() == 1 and staff.cancellation_tiers.count() == 2
    assert Package.objects.count() == 2


def test_the_command_gives_existing_services_theirs_and_the_catalogue_keeps_them_apart(dinner):
    staff = make_package(services=[priced_service(name="Notte in villa", adult="80.00")], title="Ville e cene")

    call_command("sync_single_services", stdout=io.StringIO())

    single = Package.objects.get(single_service=dinner)
    assert list(package_qs_catalogue()) == [staff]
    assert single in list(package_qs_catalogue(kind="single")) and staff not in package_qs_catalogue(kind="single")
    assert {staff, single} <= set(package_qs_catalogue(kind="all"))


def test_slots_generated_from_a_rule_give_the_package_its_from_price(today, django_capture_on_commit_callbacks):
    from operators.models import AvailabilityRule
    from operators.services import rule_generate_slots

    walk = priced_service(name="Passeggiata sulle Mura", adult="20.00", child=None, days=0)
    package = service_package_sync(service=walk)
    assert package.status == Package.Status.PUBLISHED and package.price_from is None  # no day to sell yet

    with django_capture_on_commit_callbacks(execute=True):
        rule = AvailabilityRule.objects.create(
            service=walk, starts_on=today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=30),
            start_times="10:00,15:00", capacity=12,
        )  # fmt: skip
        rule_generate_slots(rule=rule)

    package.refresh_from_db()
    assert package.price_from == Decimal("40.00")
    assert package in package_qs_catalogue(kind="single")


def test_staff_tell_single_services_from_packages_in_the_admin(client, dinner):
    from django.urls import reverse

    from tests.factories import UserFactory

    single = service_package_sync(service=dinner)
    make_package(services=[priced_service(name="Notte in villa")], title="Ville e cene")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    changelist = reverse("admin:packages_package_changelist")
    singles = client.get(changelist, {"single_service__isempty": "0"}).content.decode()
    staffs = client.get(changelist, {"single_service__isempty": "1"}).content.decode()
    assert "Cena in fattoria" in singles and "Ville e cene" not in singles
    assert "Ville e cene" in staffs and "Cena in fattoria" not in staffs
    assert client.get(reverse("admin:packages_package_change", args=[single.pk])).status_code == 200
