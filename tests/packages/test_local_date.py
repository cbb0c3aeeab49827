"""The destination's date, not UTC's: at 23:30 UTC on 31 March it is already 1 April in Rome, and every
"today" (package calendar, operators' month pages, schema.org dates) says April."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.urls import reverse

from packages.pages import package_page
from tests.operators.conftest import public_operator
from tests.operators.factories import MembershipFactory
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = dt.datetime(2031, 3, 31, 23, 30, tzinfo=dt.UTC)  # 01:30 on 1 April in Rome (CEST)
ROME_DAY = dt.date(2031, 4, 1)


@pytest.fixture
def late_evening():
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        yield


def json_ld_of(response) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return [json.loads(block) for block in blocks]


def test_service_schema_org_dates_are_romes(client, late_evening):
    _operator, (service,) = public_operator(services=1)
    url = reverse("operators-public:service", kwargs={"slug": service.operator.slug, "pk": service.pk})

    (product,) = [d for d in json_ld_of(client.get(url)) if d.get("@type") == "Product"]

    assert product["dateModified"] == ROME_DAY.isoformat()
    assert product["offers"]["validFrom"] >= ROME_DAY.isoformat()


def test_package_page_starts_on_romes_day(late_evening):
    package = make_package(services=[priced_service(adult="40.00", start=ROME_DAY - dt.timedelta(days=3))])

    page = package_page(package=package, data={"adults": "2"})

    assert page["month"] == ROME_DAY.replace(day=1) and page["previous_url"] is None
    first = min(day.date for week in page["weeks"] for cell in week if (day := cell["day"]) and day.is_available)
    assert first >= ROME_DAY


def test_operator_month_pages_open_on_romes_month(client, late_evening):
    client.force_login(MembershipFactory().user)
    response = client.get(reverse("packages:operator-parts"))
    assert (response.context["previous"], response.context["next"]) == (dt.date(2031, 3, 1), dt.date(2031, 5, 1))
