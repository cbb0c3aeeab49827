"""Schemathesis against the OCTO API: the document served at /api/octo/openapi.json, loaded through the
Django WSGI application (no server, no network), drives generated requests at every operation with a real
key of a partner whose contract covers a service and a package. Every answer must be no 5xx, a documented
status code (200, or OCTO's error body on 400/401/403/429), the documented content type and a body that
validates against the documented schema.

Generated ids are mostly unknown to us, so some cases are aimed at real things (`_aim`): a real product id,
the service's real departure as availability id, a real booking's uuid — the success paths get fuzzed too.
Deterministic (derandomize, no example database) and bounded (MAX_EXAMPLES per operation)."""

import datetime as dt
import zlib

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.octo.api import api
from marketplace.octo.keys import api_key_create
from tests.octo.helpers import chosen, get, send
from tests.packages.factories import make_package, priced_service
from tests.trade.factories import TradePartnerFactory

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class World:
    """What the generated requests are aimed at: a partner's key, its contract's service and package, a
    departure of the service and a booking of the partner."""

    def __init__(self):
        self.walk = priced_service(times=(dt.time(10, 0),), name="Passeggiata", capacity=50)
        self.package = make_package(services=[self.walk, priced_service(days=60)])
        partner = TradePartnerFactory()
        chosen(partner, services=[self.walk], packages=[self.package])
        key, self.secret = api_key_create(partner=partner, name="Schemathesis")
        key.rate_limit_per_minute = 1_000_000  # hundreds of calls in a few seconds
        key.save(update_fields=["rate_limit_per_minute"])
        on = timezone.localdate() + dt.timedelta(days=5)
        self.slot = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0))).isoformat()
        self.products = [f"service-{self.walk.pk}", f"package-{self.package.pk}"]
        self.booking_uuid = None

    def first_booking(self, client):
        body = {
            "productId": self.products[0],
            "optionId": "DEFAULT",
            "availabilityId": self.slot,
            "unitItems": [{"unitId": "adult"}],
        }
        response = send(client, "POST", "/bookings", self.secret, body)
        assert response.status_code == 200, response.content
        self.booking_uuid = response.json()["uuid"]


class _TestWSGIHandler(WSGIHandler):
    """Django's WSGI application without closing the database connection at each request's start and end
    (as django.test.Client does): the test's transaction stays open and the data is seen. Answers come
    uncompressed: schemathesis' WSGI transport reads the body as sent, and our answers are gzipped for a
    client that accepts it (a real HTTP client decodes them; tests/core checks the compression)."""

    def __call__(self, environ, start_response):
        environ["HTTP_ACCEPT_ENCODING"] = "identity"
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return super().__call__(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, client):
    cache.clear()
    world = World()
    world.first_booking(client)
    yield world
    cache.clear()


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation the API documents (ninja builds the served document the same way)."""
    document = api.get_openapi_schema(path_prefix="/api/octo")
    return [(method.upper(), path) for path, operations in document["paths"].items() for method in operations]


@pytest.fixture
def octo_schema(world):
    """The document as served, read through the WSGI application."""
    return schemathesis.openapi.from_wsgi("/api/octo/openapi.json", _TestWSGIHandler())


def _pick(case, n: int) -> int:
    """A choice among n that depends only on the generated case (deterministic runs stay deterministic)."""
    return zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode()) % n


def _aim(case, world) -> None:
    """Point two positive cases in three at real things — a product of the contract (the service or the
    package), the service's departure, units that exist, near dates, a lead traveller, the partner's booking
    — leaving every other generated field as it is. Negative cases are left alone (they must stay invalid)."""
    if case.meta is not None and case.meta.generation.mode.name != "POSITIVE":
        return
    choice = _pick(case, 3)
    if choice == 2:
        return
    product = world.products[choice]
    near = timezone.localdate() + dt.timedelta(days=5)
    if case.path == "/api/octo/bookings" and case.method.upper() == "GET":
        case.query = {**(case.query or {}), "localDate": near.isoformat()}
    if case.path_parameters:
        if "product_id" in case.path_parameters:
            case.path_parameters["product_id"] = product
        if "uuid" in case.path_parameters:
            case.path_parameters["uuid"] = world.booking_uuid
    if case.method.upper() in ("POST", "PATCH") and not isinstance(case.body, dict):
        case.body, case.media_type = {}, "application/json"  # an optional body left out: aim one
    body = case.body
    if not isinstance(body, dict):
        return
    aimed = {
        "productId": product,
        "optionId": "DEFAULT",
        "availabilityId": world.slot if choice == 0 else _all_day(near),
        "localDate": near.isoformat(),
        "localDateStart": near.isoformat(),
        "localDateEnd": (near + dt.timedelta(days=30)).isoformat(),
        "expirationMinutes": 30,
        "currency": "EUR",
    }
    for name, value in aimed.items():
        if name in body and body[name] is not None:
            body[name] = value
    for listed in ("units", "unitItems"):
        for unit in body.get(listed) or []:
            if isinstance(unit, dict):
                unit["unitId" if listed == "unitItems" else "id"] = "adult"
                if listed == "units":
                    unit["quantity"] = 1
    if case.path == "/api/octo/bookings":  # reserve: a departure and at least one traveller
        body["availabilityId"] = aimed["availabilityId"]
        body["unitItems"] = body.get("unitItems") or [{"unitId": "adult"}]
    if case.path == "/api/octo/availability" and not {"localDate", "localDateStart", "availabilityIds"} & set(body):
        body.update(localDateStart=aimed["localDateStart"], localDateEnd=aimed["localDateEnd"])
    if "contact" in body or case.path.endswith("/confirm"):
        contact = body.get("contact") if isinstance(body.get("contact"), dict) else {}
        body["contact"] = {**contact, "firstName": "Ada", "lastName": "Lovelace"}


def _all_day(on: dt.date) -> str:
    return timezone.make_aware(dt.datetime.combine(on, dt.time(0, 0))).isoformat()


def test_the_served_document_lists_the_operations_tested(octo_schema):
    served = [(op.method.upper(), op.path) for op in (r.ok() for r in octo_schema.get_all_operations())]
    assert sorted(served) == sorted(_operations())


@pytest.mark.parametrize("method, path", _operations(), ids=[f"{m} {p}" for m, p in _operations()])
def test_operation_conforms_to_the_document(octo_schema, world, method, path):
    operation = octo_schema[path][method]
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    statuses = set()

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        _aim(case, world)
        response = case.call_and_validate(headers={"Authorization": f"Bearer {world.secret}"}, checks=CHECKS)
        statuses.add(response.status_code)

    check()
    # the aimed cases reached the success path: the 200 answers were checked against the document too
    assert 200 in statuses, f"no generated request to {method} {path} succeeded: {sorted(statuses)}"


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/bookings?resellerReference=%00", None),
        ("PATCH", "/bookings/{uuid}", {"notes": "a\x00b"}),
        ("PATCH", "/bookings/{uuid}", {"contact": {"firstName": "\x00"}}),
        ("PATCH", "/bookings/{uuid}", {"unitItems": [{"unitId": "adult", "\x00": 1}]}),
        ("POST", "/bookings/{uuid}/confirm", {"contact": {"firstName": "A", "lastName": "B\x00"}}),
    ],
)
def test_nul_characters_are_bad_request_not_500(client, world, method, path, body):
    """Found by the run above: PostgreSQL stores no NUL in text or jsonb, so it never gets that far."""
    path = path.format(uuid=world.booking_uuid)
    if body is None:
        response = get(client, path, world.secret)
    else:
        response = send(client, method, path, world.secret, body)
    assert response.status_code == 400 and response.json()["error"] == "BAD_REQUEST", response.content
