"""Staff log in and land on Wagtail's admin home, whose "Needs you" panel lists what waits for them, each
row linked to the page where it is done (marketplace.core.staff_todo and each app's hook)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from certifications.services import award_request
from operators.models import Operator
from packages.services import package_withdraw
from tests.certifications.factories import SchemeFactory, pdf_upload
from tests.cms.factories import build_site, stream
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory, OperatorFactory
from tests.packages.conftest import buy
from tests.trade.factories import TradePartnerFactory

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    match = re.search(r'id="staff-todo-section".*?(?=<section class="w-panel|\Z)', html, re.S)
    assert match, "the Needs you panel is missing"
    return match.group(0)


def en(name: str, *args, **kwargs) -> str:
    """The staff user reads the admin in English (UserProfile.preferred_language): its links are /en/ ones,
    whatever language a request left active in the test's thread."""
    with translation.override("en"):
        return reverse(name, *args, **kwargs)


def _group(panel: str, key: str) -> str:
    return re.search(rf'id="staff-todo-{key}".*?</section>', panel, re.S).group(0)


def test_staff_log_in_and_land_on_the_admin_home_with_a_pending_operator_listed(client, staff_user):
    pending = OperatorFactory(name="Forno di Poppi", status=Operator.Status.PENDING, municipality="poppi")
    OperatorFactory(name="Già approvato")
    response = client.post(
        en("customer:login"),
        {"login-username": staff_user.email, "login-password": "secret-pass", "login-redirect_url": "",
         "login_submit": ""},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("wagtailadmin_home")
    group = _group(_panel(response.content.decode()), "operators")
    decide = en("operator-area:staff-operator-decide", kwargs={"pk": pending.pk})
    assert "Forno di Poppi" in group and f'href="{decide}"' in group
    assert "Già approvato" not in group
    assert "Operators waiting for approval" in group


def test_the_panel_lists_partners_labels_departures_and_collections_in_few_queries(
    client, staff_user, two_operator_package, today, settings, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    site = build_site()
    partner = TradePartnerFactory(legal_name="Reisen Süd GmbH", status="pending", country="DE")
    TradePartnerFactory(legal_name="Already GmbH")
    member = MembershipFactory(operator__name="Cantina Bianchi")
    award = award_request(
        scheme=SchemeFactory(name="Vetrina Toscana"), subject=member.operator, user=member.user, files=[pdf_upload()]
    )
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    collection = site["collection"].specific
    collection.offers = stream(("offer", f"package:{two_operator_package.pk}"))
    collection.save_revision().publish()
    package_withdraw(package=two_operator_package)

    client.force_login(staff_user)
    client.get(reverse("wagtailadmin_home"))  # warm the caches (labels, site) as any visit before this one
    with django_assert_max_num_queries(60):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = _panel(html)

    partners = _group(panel, "partners")
    assert "Reisen Süd GmbH" in partners and "Already GmbH" not in partners
    assert reverse("trade_partners:decide", kwargs={"pk": partner.pk}) in partners

    labels = _group(panel, "labels")
    assert "Cantina Bianchi" in labels and "Vetrina Toscana" in labels
    assert en("certifications:award-detail-staff", kwargs={"public_id": award.public_id}) in labels

    departures = _group(panel, "departures")
    assert order.number in departures and "Vigne e ville" in departures
    assert en("dashboard:order-detail", kwargs={"number": order.number}) in departures

    collections = _group(panel, "collections")
    assert collection.title in collections and "1 offer hidden" in collections
    assert reverse("wagtailadmin_pages:edit", args=[collection.pk]) in collections


def test_a_departure_next_week_is_not_for_today(
    client, staff_user, two_operator_package, today, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""
    order = buy(client, two_operator_package, today + dt.timedelta(days=9), django_capture_on_commit_callbacks)
    client.force_login(staff_user)
    departures = _group(_panel(client.get(reverse("wagtailadmin_home")).content.decode()), "departures")
    assert order.number not in departures and "Nothing waits here." in departures


def test_operators_and_tourists_have_no_admin_home_nor_panel(client):
    for user in (MembershipFactory().user, UserFactory()):
        client.force_login(user)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 302 and "staff-todo" not in response.content.decode()
