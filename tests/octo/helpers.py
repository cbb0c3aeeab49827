"""What the OCTO tests share: a partner's contract on chosen products, and requests with a key."""

import json

from marketplace.trade.models import Contract
from tests.trade.factories import ContractFactory


def chosen(partner, *, services=(), packages=(), **contract):
    """A contract of `partner` covering exactly these services and packages."""
    contract = ContractFactory(partner=partner, scope=Contract.Scope.CHOSEN, **contract)
    contract.services.set(services)
    contract.packages.set(packages)
    return contract


def get(client, path, secret, **headers):
    return client.get(f"/api/octo{path}", HTTP_AUTHORIZATION=f"Bearer {secret}", **headers)


def send(client, method, path, secret, body=None, **headers):
    """POST, PATCH or DELETE a JSON body (or none) to the API with a key."""
    call = getattr(client, method.lower())
    data = json.dumps(body) if body is not None else ""
    return call(
        f"/api/octo{path}", data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}", **headers
    )
