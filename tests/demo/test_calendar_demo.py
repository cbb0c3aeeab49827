"""The demo's partners and operators get working calendar feeds without a step of their own."""

import pytest
from django.urls import reverse
from django.utils import translation

from marketplace.core.demo import demo_user
from tests.calendars.test_calendar_feeds import local, parse

pytestmark = pytest.mark.django_db


def test_the_demo_partners_and_operators_get_working_feeds(client):
    """Tokens are made on the first visit of the Calendars page: the demo needs no step of its own."""
    for email in ("partner@terredilucca.example", "emily@tuscanytrails.example"):
        client.force_login(demo_user(email))
        with translation.override("en"):
            page = client.get(reverse("calendars:partner"))
        assert page.status_code == 200
        bookings_url, products = page.context["bookings_url"], page.context["products"]
        assert parse(client.get(local(bookings_url)))
        assert products
        for _item, url, _webcal in products[:3]:
            parse(client.get(local(url)))
    from operators.models import OperatorMembership

    member = OperatorMembership.objects.select_related("user").order_by("pk").first()
    client.force_login(member.user)
    with translation.override("en"):
        page = client.get(reverse("calendars:operator"))
    assert page.status_code == 200
    parse(client.get(local(page.context["feed_url"])))
