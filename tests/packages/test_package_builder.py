"""The back office builder (Django admin): staff see the price preview and sellable days; others don't."""

import datetime as dt

import pytest
from django.urls import reverse

from operators.models import Slot
from packages.models import Package
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_change_page_previews_price_for_a_sample_date_and_party(client, package, three_services, today):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:packages_package_change", args=[package.pk])
    on = today + dt.timedelta(days=5)

    response = client.get(url, {"adults": 2, "children_ages": "8", "date": on.isoformat()})

    assert response.status_code == 200
    preview = response.context["package_preview"]
    assert preview["price"].total == 363
    assert str(on) == str(preview["sample_date"])
    assert on in preview["sellable"]
    assert 'id="preview-total"' in response.content.decode()

    Slot.objects.filter(service=three_services[0], date=on).update(closed=True)
    again = client.get(url, {"adults": 2, "date": on.isoformat()}).context["package_preview"]
    assert on not in again["sellable"] and again["price"] is not None  # priced, but not sellable that day


def test_preview_shows_what_each_optional_extra_adds_on_the_sample_date(client, extras, today):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:packages_package_change", args=[extras.package.pk])

    response = client.get(url, {"adults": 2, "date": (today + dt.timedelta(days=5)).isoformat()})

    preview = response.context["package_preview"]
    assert preview["price"].total == 264  # included components only
    assert {o.component.pk: o.price for o in preview["extras"]} == {extras.ebike.pk: 55, extras.cooking.pk: 88}
    assert response.content.decode().count('class="preview-extra"') == 2


def test_publish_action_creates_the_product_and_withdraw_hides_it(client, three_services):
    from tests.packages.factories import make_package

    package = make_package(services=three_services, publish=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:packages_package_changelist")
    client.post(changelist, {"action": "publish_selected", "_selected_action": [package.pk]})
    package.refresh_from_db()
    assert package.status == Package.Status.PUBLISHED and package.product.is_public

    client.post(changelist, {"action": "withdraw_selected", "_selected_action": [package.pk]})
    package.product.refresh_from_db()
    assert not package.product.is_public


def test_operators_and_tourists_cannot_open_the_builder(client, package):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:packages_package_change", args=[package.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_wagtail_admin_links_staff_to_the_builder(client):
    from marketplace.core.roles import Role

    client.force_login(UserFactory(role=Role.STAFF))
    html = client.get("/admin/").content.decode()
    assert reverse("admin:packages_package_changelist") in html
    assert client.get(reverse("admin:packages_package_changelist")).status_code == 200
