"""Every JSON-LD block of the site is written by one helper: text an operator or the DMC typed cannot
end the <script> element, and reads back the same once parsed."""

import json
import re

import pytest
from django.urls import reverse

from marketplace.core.json_ld import json_ld_script
from tests.operators.conftest import public_operator
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db

HOSTILE = "Vino & Olio </script><script>alert(1)</script> <!--"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _blocks(response) -> list[str]:
    assert response.status_code == 200
    blocks = SCRIPT.findall(response.content.decode())
    assert blocks
    return blocks


def _assert_escaped(blocks: list[str]) -> list:
    for block in blocks:
        assert not set("<>&") & set(block), block[:200]  # only their \\u escapes
    return [json.loads(block) for block in blocks]


def test_the_helper_escapes_and_round_trips():
    (block,) = SCRIPT.findall(json_ld_script({"name": HOSTILE}))
    assert "</script>" not in block and json.loads(block) == {"name": HOSTILE}


def test_operator_and_service_pages(client, settings):
    settings.DMC_NAME = "Terre di Lucca & Casentino"
    operator, (service,) = public_operator(name=HOSTILE, services=1)

    operator_page = _assert_escaped(_blocks(client.get(reverse("operators-public:operator", args=[operator.slug]))))
    service_url = reverse("operators-public:service", kwargs={"slug": operator.slug, "pk": service.pk})
    service_page = _assert_escaped(_blocks(client.get(service_url)))

    assert any(d.get("name") == HOSTILE for d in operator_page)
    assert any(d.get("brand", {}).get("name") == HOSTILE for d in service_page)


def test_package_page(client, settings):
    settings.DMC_NAME = "Terre di Lucca & Casentino"
    package = make_package(services=[priced_service()], title=HOSTILE)

    data = _assert_escaped(_blocks(client.get(package.product.get_absolute_url())))

    assert any(d.get("name") == HOSTILE for d in data)
