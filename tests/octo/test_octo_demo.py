"""After load_demo a new user has an API key on screen and a curl command that answers: the German
partner's products include a timed city walk with several departures and an all-day towers ticket,
both bookable through the API on a day of the coming months."""

import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from marketplace.octo.models import ApiKey
from tests.octo.helpers import get, send

pytestmark = pytest.mark.django_db


def test_load_demo_prints_a_working_key_and_the_demo_products_book(client):
    cache.clear()
    call_command("load_demo", quiet_logins=True)  # as other tests do before: it must not leave its key lines
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    secret = re.search(r"API key.*: (octo_\S+)", text).group(1)
    assert f'curl -H "Authorization: Bearer {secret}" ' in text and "/api/octo/products" in text

    products = {p["internalName"]: p for p in get(client, "/products", secret).json()}
    walk = next(p for name, p in products.items() if "dentro le Mura" in name or "inside the walls" in name)
    towers = next(p for name, p in products.items() if "torri" in name.lower() or "towers" in name.lower())
    assert walk["availabilityType"] == "START_TIME" and len(walk["options"][0]["availabilityLocalStartTimes"]) >= 3
    assert towers["availabilityType"] == "OPENING_HOURS"

    on = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    for product, expected in ((walk, "AVAILABLE"), (towers, "FREESALE")):
        rows = send(client, "POST", "/availability", secret, {"productId": product["id"], "optionId": "DEFAULT",
                                                               "localDate": on}).json()  # fmt: skip
        assert rows and rows[0]["status"] == expected, rows
        held = send(client, "POST", "/bookings", secret, {
            "productId": product["id"], "optionId": "DEFAULT", "availabilityId": rows[0]["id"],
            "unitItems": [{"unitId": "adult"}, {"unitId": "adult"}],
        }).json()  # fmt: skip
        confirmed = send(client, "POST", f"/bookings/{held['uuid']}/confirm", secret,
                         {"contact": {"fullName": "Jonas Weber"}}).json()  # fmt: skip
        assert confirmed["status"] == "CONFIRMED", confirmed

    # a second load replaces the key: the old one stops working, the new one works, one key is left
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    fresh = re.search(r"API key.*: (octo_\S+)", again.getvalue()).group(1)
    assert get(client, "/supplier", secret).status_code == 401
    assert get(client, "/supplier", fresh).status_code == 200
    assert ApiKey.objects.filter(name="Demo key").count() == 1
