"""`load_demo` run again over the loaded demo (as `make demo` does on every start): it prints a login per
role and a working API key, and changes nothing else. The demo's OCTO products book through that key."""

import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from cms.models import CollectionPage
from marketplace.octo.models import ApiKey
from tests.octo.helpers import get, send

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def test_a_second_load_prints_the_logins_and_a_new_api_key_and_changes_nothing_else(client):
    first = _row_counts()
    offers = {page.pk: page.offer_refs() for page in CollectionPage.objects.all()}
    old_key = ApiKey.objects.get(name="Demo key").secret_hash

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()

    changed = {label: (first[label], count) for label, count in _row_counts().items() if first[label] != count}
    assert changed == {}
    assert {page.pk: page.offer_refs() for page in CollectionPage.objects.all()} == offers and all(offers.values())
    for role in ("DMC staff", "Operators", "Trade partners", "Tourists", "superuser"):
        assert role in text
    assert "password:" in text

    # the key is replaced: one key is left, the old secret no longer matches it, the printed one works
    secret = re.search(r"API key.*: (octo_\S+)", text).group(1)
    assert f'curl -H "Authorization: Bearer {secret}" ' in text and "/api/octo/products" in text
    assert list(ApiKey.objects.filter(name="Demo key").values_list("secret_hash", flat=True)) != [old_key]
    assert ApiKey.objects.filter(name="Demo key").count() == 1
    assert get(client, "/supplier", secret).status_code == 200

    # the German partner's products: a timed city walk with several departures, an all-day towers ticket
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
        assert "uuid" in held, held
        confirmed = send(client, "POST", f"/bookings/{held['uuid']}/confirm", secret,
                         {"contact": {"fullName": "Jonas Weber"}}).json()  # fmt: skip
        assert confirmed["status"] == "CONFIRMED", confirmed


def test_the_demo_home_page_answers_in_both_languages(client):
    italian = client.get("/it/")
    english = client.get("/en/")
    assert italian.status_code == english.status_code == 200
    assert "Tra le mura di Lucca" in italian.content.decode()
    assert "From the walls of Lucca" in english.content.decode()
