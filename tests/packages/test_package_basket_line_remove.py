"""Removing a package line on Oscar's basket page gives its places back at once (packages.receivers)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from oscar.apps.basket.models import Basket, Line

from operators.models import Hold, Slot
from packages.services import line_booking
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_places_package(today):
    """Every component has 2 places a day: one party of two adults takes them all."""
    return make_package(
        services=[
            priced_service(name="Camera doppia", capacity=2),
            priced_service(name="Cena in fattoria", capacity=2),
        ],
        days=[1, 1],
    )


def add(client, package, on):
    response = client.post(
        reverse("packages:basket-add", kwargs={"pk": package.pk}),
        {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0},
    )
    assert response.status_code == 302
    return response


def basket_post(client, change, capture):
    """Post Oscar's basket formset as the page renders it, with `change(index, prefix, data)` applied per
    line; what waits for the commit (the release) runs as it would after the request's commit."""
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    lines = []
    for index, form in enumerate(formset.forms):
        lines.append((form.instance.pk, line_booking(form.instance)[0]))
        data[f"{form.prefix}-id"] = form.instance.pk
        data[f"{form.prefix}-quantity"] = form.instance.quantity
        change(index, form.prefix, data)
    with capture(execute=True):
        return client.post(reverse("basket:summary"), data), lines


def held(package, on) -> list[int]:
    return list(
        Slot.objects.filter(service__package_components__package=package, date=on).values_list("held", flat=True)
    )


@pytest.mark.parametrize("how", ["delete box", "quantity 0"])
def test_removing_a_line_frees_its_places_at_once_and_keeps_the_others(
    client, last_places_package, today, how, django_capture_on_commit_callbacks
):
    first, second = today + dt.timedelta(days=10), today + dt.timedelta(days=11)
    add(client, last_places_package, first)
    add(client, last_places_package, second)
    assert held(last_places_package, first) == [2, 2] and held(last_places_package, second) == [2, 2]

    def remove_first(index, prefix, data):
        if index == 0:
            if how == "delete box":
                data[f"{prefix}-DELETE"] = "on"
            else:
                data[f"{prefix}-quantity"] = 0

    response, [(removed, removed_on), (kept, kept_on)] = basket_post(
        client, remove_first, django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    assert not Line.objects.filter(pk=removed).exists()
    assert {removed_on, kept_on} == {first, second}
    assert held(last_places_package, removed_on) == [0, 0]
    assert held(last_places_package, kept_on) == [2, 2]
    assert not Hold.objects.filter(reference=f"basket-line:{removed}", status=Hold.Status.ACTIVE).exists()
    assert Hold.objects.filter(reference=f"basket-line:{kept}", status=Hold.Status.ACTIVE).count() == 2


def test_another_buyer_gets_the_places_as_soon_as_the_first_removes_the_line(
    client, last_places_package, today, django_capture_on_commit_callbacks
):
    on = today + dt.timedelta(days=10)
    add(client, last_places_package, on)
    other = Client()
    other.post(reverse("packages:basket-add", kwargs={"pk": last_places_package.pk}),
               {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0})  # fmt: skip
    assert Basket.objects.filter(lines__isnull=False).distinct().count() == 1  # sold out for the second buyer

    basket_post(client, lambda index, prefix, data: data.update({f"{prefix}-DELETE": "on"}),
                django_capture_on_commit_callbacks)  # fmt: skip

    add(other, last_places_package, on)  # no waiting for the first buyer's hold to expire
    assert held(last_places_package, on) == [2, 2]
    assert Line.objects.count() == 1
