"""Sign-up as an operator, staff approval/suspension/rejection with a reason, emailed via Celery."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.core.roles import Role, user_has_role
from operators.models import Operator, OperatorMembership, OperatorPhoto
from tests.factories import UserFactory

from .conftest import image_upload
from .factories import OperatorFactory, vat_number

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "name": "Tenuta San Gennaro", "vat_number": vat_number(4242), "kind": "winery", "municipality": "montecarlo",
        "address": "Via San Gennaro 12", "latitude": "43.8512", "longitude": "10.6673",
        "email": "info@sangennaro.example", "phone": "+39 0583 123456", "website": "https://sangennaro.example",
        "description_it": "Cantina sulle colline di Montecarlo.", "description_en": "Winery on the Montecarlo hills.",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_signup_creates_a_pending_operator_owned_by_the_user_with_a_resized_photo(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("operator-area:signup"), {**signup_data(), "photo": image_upload(size=(3000, 2000))})
    assert response.status_code == 302
    operator = Operator.objects.get(name="Tenuta San Gennaro")
    assert operator.status == Operator.Status.PENDING
    assert operator.description_en == "Winery on the Montecarlo hills."
    assert OperatorMembership.objects.get(operator=operator).user == user
    assert user_has_role(user, Role.OPERATOR)
    photo = OperatorPhoto.objects.get(operator=operator)
    assert max(photo.image.width, photo.image.height) == 1600
    assert client.get(reverse("operator-area:home")).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"vat_number": "12345678901"}, "vat_number"),
        ({"email": "not-an-email"}, "email"),
        ({"latitude": "123"}, "latitude"),
        ({"photo": image_upload(name="x.png").__class__("x.png", b"not an image", "image/png")}, "photo"),
    ],
)
def test_bad_signups_show_field_errors_and_create_nothing(client, overrides, field):
    client.force_login(UserFactory())
    response = client.post(reverse("operator-area:signup"), signup_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Operator.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [lambda n: f"IT{n}", lambda n: f"it{n}", lambda n: f"IT {n}", lambda n: f" {n} ", lambda n: f"IT-{n}",
     lambda n: f"IT {n[:3]} {n[3:6]} {n[6:]}"],
)  # fmt: skip
def test_partita_iva_typed_with_its_prefix_or_spaces_is_accepted(client, typed):
    number = vat_number(4242)
    client.force_login(UserFactory())

    response = client.post(reverse("operator-area:signup"), signup_data(vat_number=typed(number)))

    assert response.status_code == 302, response.context["form"].errors
    assert Operator.objects.get().vat_number == number


def test_partita_iva_with_its_prefix_is_still_a_duplicate(client):
    OperatorFactory(vat_number=vat_number(7))
    client.force_login(UserFactory())
    response = client.post(reverse("operator-area:signup"), signup_data(vat_number="IT " + vat_number(7)))
    assert "vat_number" in response.context["form"].errors
    assert Operator.objects.count() == 1


def test_duplicate_partita_iva_is_refused(client):
    OperatorFactory(vat_number=vat_number(7))
    client.force_login(UserFactory())
    response = client.post(reverse("operator-area:signup"), signup_data(vat_number=vat_number(7)))
    assert "vat_number" in response.context["form"].errors


def test_staff_approve_and_the_operator_is_emailed(client, django_capture_on_commit_callbacks):
    operator = OperatorFactory(status=Operator.Status.PENDING, email="info@colline.example")
    client.force_login(UserFactory(role=Role.STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("operator-area:staff-operator-decide", args=[operator.pk]), {"status": "approved"}
        )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.status == Operator.Status.APPROVED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["info@colline.example"]


def test_suspension_needs_a_reason_which_is_emailed(client, django_capture_on_commit_callbacks):
    operator = OperatorFactory(status=Operator.Status.APPROVED)
    owner = OperatorMembership.objects.create(operator=operator, user=UserFactory(email="owner@example.com")).user
    OperatorMembership.objects.filter(user=owner).update(role="owner")
    client.force_login(UserFactory(role=Role.STAFF))
    url = reverse("operator-area:staff-operator-decide", args=[operator.pk])
    response = client.post(url, {"status": "suspended", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "suspended", "reason": "Insurance certificate expired."})
    operator.refresh_from_db()
    assert (operator.status, operator.status_reason) == ("suspended", "Insurance certificate expired.")
    assert "Insurance certificate expired." in mail.outbox[0].body
    assert sorted(mail.outbox[0].to) == sorted([operator.email, "owner@example.com"])


def test_impossible_transitions_are_form_errors(client):
    operator = OperatorFactory(status=Operator.Status.PENDING)
    client.force_login(UserFactory(role=Role.STAFF))
    response = client.post(reverse("operator-area:staff-operator-decide", args=[operator.pk]),
                           {"status": "suspended", "reason": "x"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    operator.refresh_from_db()
    assert operator.status == Operator.Status.PENDING


def test_staff_list_shows_pending_operators(client):
    OperatorFactory(name="Nuovo B&B Porcari", status=Operator.Status.PENDING)
    client.force_login(UserFactory(role=Role.STAFF))
    assert "Nuovo B&amp;B Porcari" in client.get(reverse("operator-area:staff-operator-list")).content.decode()


def test_photos_over_the_size_limit_are_refused(client, world_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from operators.services import PHOTO_MAX_BYTES

    client.force_login(world_a["user"])
    big = SimpleUploadedFile("big.png", image_upload().read() + b"\0" * PHOTO_MAX_BYTES, "image/png")
    response = client.post(reverse("operator-area:photo-create"), {"image": big})
    assert response.status_code == 200
    assert "5 MB" in str(response.context["form"].errors["image"])
    assert world_a["operator"].photos.count() == 1


def test_wagtail_admin_links_staff_to_the_operators_to_review(client):
    client.force_login(UserFactory(role=Role.STAFF))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert reverse("operator-area:staff-operator-list") in response.content.decode()
