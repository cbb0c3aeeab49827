"""OCTO bookings through the API: reserve, confirm, amend, extend, cancel, find, vouchers — each a trade
booking of the key's partner, priced by its contract, taking places through the capacity service."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from marketplace.octo.keys import api_key_create
from marketplace.trade.bookings import trade_expire_due, trade_part_decide
from marketplace.trade.models import Contract, ContractCancellationTier, TradeBooking
from tests.octo.helpers import chosen, get, send
from tests.packages.factories import make_package, priced_service
from tests.trade.factories import TradePartnerFactory

pytestmark = pytest.mark.django_db
CONTACT = {"firstName": "Max", "lastName": "Schmidt", "emailAddress": "max@example.de", "locales": ["de-DE"]}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def walk():
    return priced_service(times=(dt.time(10, 0), dt.time(15, 30)), name="Passeggiata", capacity=6)


@pytest.fixture
def partner_key(walk):
    partner = TradePartnerFactory()
    chosen(partner, services=[walk])
    _key, secret = api_key_create(partner=partner, name="Res system")
    return partner, secret


def day(n=5):
    return timezone.localdate() + dt.timedelta(days=n)


def slot_id(service, on, at="10:00"):
    """The availability id of `service`'s departure at `at` on `on`: its local start with offset."""
    return timezone.make_aware(dt.datetime.combine(on, dt.time.fromisoformat(at))).isoformat()


def free(service, on, at=dt.time(10, 0)):
    from operators.selectors import slot_availability

    slots = slot_availability(service_ids=[service.pk], start=on, end=on)[service.pk][on]
    return next(s.free for s in slots if s.start_time == at)


def reserve(client, secret, service, *, units=("adult", "adult"), on=None, at="10:00", headers=None, **extra):
    body = {
        "productId": f"service-{service.pk}",
        "optionId": "DEFAULT",
        "availabilityId": slot_id(service, on or day(), at),
        "unitItems": [{"unitId": u} for u in units],
        **extra,
    }
    return send(client, "POST", "/bookings", secret, body, **(headers or {}))


def test_reserve_confirm_get_and_voucher(client, partner_key, walk):
    partner, secret = partner_key
    response = reserve(client, secret, walk, expirationMinutes=15, resellerReference="RES-1")
    assert response.status_code == 200, response.content
    held = response.json()
    assert held["status"] == "ON_HOLD" and held["utcExpiresAt"].endswith("Z") and held["voucher"] is None
    expires = dt.datetime.strptime(held["utcExpiresAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert dt.timedelta(minutes=14) < expires - timezone.now() <= dt.timedelta(minutes=15)
    assert held["resellerReference"] == "RES-1" and held["supplierReference"].startswith("T")
    assert [u["unitId"] for u in held["unitItems"]] == ["adult", "adult"]
    assert held["availability"]["id"] == held["availabilityId"] and held["contact"]["locales"] == []
    assert free(walk, day()) == 4  # held places are out of sale

    confirmed = send(client, "POST", f"/bookings/{held['uuid']}/confirm", secret, {"contact": CONTACT}).json()
    assert confirmed["status"] == "CONFIRMED" and confirmed["utcConfirmedAt"] and confirmed["utcExpiresAt"] is None
    assert confirmed["contact"]["fullName"] == "Max Schmidt" and confirmed["contact"]["locales"] == ["de-DE"]
    assert confirmed["cancellable"] is True
    booking = TradeBooking.objects.get(uuid=held["uuid"])
    assert booking.partner == partner and booking.channel == "api" and booking.lead_email == "max@example.de"
    assert free(walk, day()) == 4

    assert get(client, f"/bookings/{held['uuid']}", secret).json()["status"] == "CONFIRMED"
    link = confirmed["voucher"]["deliveryOptions"][0]
    assert link["deliveryFormat"] == "PDF_URL"
    pdf = client.get("/" + link["deliveryValue"].split("://", 1)[1].split("/", 1)[1])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert booking.code.encode() in pdf.content
    forged = client.get(f"/api/octo/vouchers/{held['uuid']}")
    assert forged.status_code == 400


def test_confirm_needs_the_lead_travellers_name(client, partner_key, walk):
    held = reserve(client, partner_key[1], walk).json()
    refused = send(client, "POST", f"/bookings/{held['uuid']}/confirm", partner_key[1], {})
    assert refused.status_code == 400 and refused.json()["error"] == "UNPROCESSABLE_ENTITY"
    assert "name" in refused.json()["errorMessage"]
    full = send(client, "POST", f"/bookings/{held['uuid']}/confirm", partner_key[1], {"contact": {"fullName": "Ada L"}})
    assert full.json()["contact"]["firstName"] == "Ada" and full.json()["contact"]["lastName"] == "L"


def test_the_contacts_country_is_the_guests_country_of_residence(client, partner_key, walk):
    partner, secret = partner_key
    held = reserve(client, secret, walk).json()
    for bad in ("Germany", "XX", "EU"):
        refused = send(
            client, "POST", f"/bookings/{held['uuid']}/confirm", secret, {"contact": {**CONTACT, "country": bad}}
        )
        assert refused.status_code == 400 and refused.json()["error"] == "BAD_REQUEST"
        assert refused.json()["errorMessage"].startswith("contact.country")
    assert TradeBooking.objects.get(uuid=held["uuid"]).status == TradeBooking.Status.ON_HOLD

    confirmed = send(
        client, "POST", f"/bookings/{held['uuid']}/confirm", secret, {"contact": {**CONTACT, "country": "at"}}
    )
    assert confirmed.json()["contact"]["country"] == "AT"
    assert TradeBooking.objects.get(uuid=held["uuid"]).guest_country == "AT"
    send(client, "PATCH", f"/bookings/{held['uuid']}", secret, {"contact": {**CONTACT, "country": "CH"}})
    assert TradeBooking.objects.get(uuid=held["uuid"]).guest_country == "CH"
    refused = send(client, "PATCH", f"/bookings/{held['uuid']}", secret, {"contact": {"country": "Schweiz"}})
    assert refused.status_code == 400 and TradeBooking.objects.get(uuid=held["uuid"]).guest_country == "CH"
    assert partner.country != "CH"


def test_retries_are_idempotent(client, partner_key, walk):
    _partner, secret = partner_key
    key = str(uuid.uuid4())
    first = reserve(client, secret, walk, uuid=key).json()
    again = reserve(client, secret, walk, uuid=key).json()
    assert first["uuid"] == again["uuid"] == key and first["supplierReference"] == again["supplierReference"]
    assert TradeBooking.objects.count() == 1 and free(walk, day()) == 4
    for _ in range(2):
        confirmed = send(client, "POST", f"/bookings/{key}/confirm", secret, {"contact": CONTACT})
        assert confirmed.json()["status"] == "CONFIRMED"
    for _ in range(2):
        cancelled = send(client, "POST", f"/bookings/{key}/cancel", secret, {"reason": "Guest ill"})
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    body = cancelled.json()
    assert body["cancellation"]["reason"] == "Guest ill" and body["cancellation"]["refund"] == "FULL"
    assert body["cancellable"] is False and free(walk, day()) == 6
    # another partner cannot take over the uuid
    other = TradePartnerFactory()
    chosen(other, services=[walk])
    _k, other_secret = api_key_create(partner=other, name="Other")
    taken = reserve(client, other_secret, walk, uuid=key)
    assert taken.status_code == 400 and TradeBooking.objects.count() == 1


def test_a_reserve_that_cannot_take_every_unit_takes_none(client, partner_key, walk):
    response = reserve(client, partner_key[1], walk, units=["adult"] * 7)
    assert response.status_code == 400 and response.json()["error"] == "UNPROCESSABLE_ENTITY"
    assert TradeBooking.objects.count() == 0 and free(walk, day()) == 6


def test_an_unconfirmed_hold_expires_and_gives_its_places_back(client, partner_key, walk):
    held = reserve(client, partner_key[1], walk, expirationMinutes=1).json()
    later = timezone.now() + dt.timedelta(minutes=2)
    assert trade_expire_due(now=later) == 1
    assert get(client, f"/bookings/{held['uuid']}", partner_key[1]).json()["status"] == "EXPIRED"
    assert free(walk, day()) == 6
    refused = send(client, "POST", f"/bookings/{held['uuid']}/confirm", partner_key[1], {"contact": CONTACT})
    assert refused.status_code == 400 and refused.json()["error"] == "UNPROCESSABLE_ENTITY"


def test_extend_keeps_a_hold_longer(client, partner_key, walk):
    held = reserve(client, partner_key[1], walk, expirationMinutes=5).json()
    extended = send(client, "POST", f"/bookings/{held['uuid']}/extend", partner_key[1], {"expirationMinutes": 60})
    assert extended.status_code == 200 and extended.json()["utcExpiresAt"] > held["utcExpiresAt"]
    assert trade_expire_due(now=timezone.now() + dt.timedelta(minutes=10)) == 0
    for bad in (0, 100000):
        response = send(client, "POST", f"/bookings/{held['uuid']}/extend", partner_key[1], {"expirationMinutes": bad})
        assert response.status_code == 400 and response.json()["error"] == "BAD_REQUEST"


def test_patch_replaces_units_contact_notes_and_moves_the_booking(client, partner_key, walk):
    _partner, secret = partner_key
    held = reserve(client, secret, walk).json()
    units = [dict(held["unitItems"][0], resellerReference="T1"), {"unitId": "adult"}, {"unitId": "child"}]
    units[0] = {k: units[0][k] for k in ("uuid", "unitId", "resellerReference")}
    patched = send(
        client,
        "PATCH",
        f"/bookings/{held['uuid']}",
        secret,
        {"unitItems": units, "notes": "Vegetarian", "resellerReference": "RES-9", "contact": CONTACT},
    ).json()
    assert [u["unitId"] for u in patched["unitItems"]] == ["adult", "adult", "child"]
    assert patched["unitItems"][0]["uuid"] == held["unitItems"][0]["uuid"]
    assert patched["unitItems"][0]["resellerReference"] == "T1"
    assert patched["notes"] == "Vegetarian" and patched["resellerReference"] == "RES-9"
    assert patched["status"] == "ON_HOLD" and free(walk, day()) == 3

    moved = send(
        client, "PATCH", f"/bookings/{held['uuid']}", secret, {"availabilityId": slot_id(walk, day(6), "15:30")}
    ).json()
    assert moved["availabilityId"].startswith(f"{day(6).isoformat()}T15:30")
    assert free(walk, day()) == 6 and free(walk, day(6), dt.time(15, 30)) == 3

    other = priced_service(name="Torre", times=())
    TradeBooking.objects.get(uuid=held["uuid"]).contract.services.add(other)
    switched = send(
        client,
        "PATCH",
        f"/bookings/{held['uuid']}",
        secret,
        {"productId": f"service-{other.pk}", "availabilityId": slot_id(other, day(6), "00:00")},
    ).json()
    assert switched["productId"] == f"service-{other.pk}" and switched["availability"]["allDay"] is True
    assert free(walk, day(6), dt.time(15, 30)) == 6


def test_patch_that_cannot_fit_changes_nothing(client, partner_key, walk):
    held = reserve(client, partner_key[1], walk).json()
    refused = send(
        client, "PATCH", f"/bookings/{held['uuid']}", partner_key[1], {"unitItems": [{"unitId": "adult"}] * 8}
    )
    assert refused.status_code == 400 and refused.json()["error"] == "UNPROCESSABLE_ENTITY"
    again = get(client, f"/bookings/{held['uuid']}", partner_key[1]).json()
    assert len(again["unitItems"]) == 2 and free(walk, day()) == 4


def test_find_bookings_by_references_and_dates(client, partner_key, walk):
    _partner, secret = partner_key
    first = reserve(client, secret, walk, resellerReference="A-1").json()
    reserve(client, secret, walk, on=day(8), resellerReference="B-2")

    def find(**query):
        return client.get("/api/octo/bookings", query, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert [b["uuid"] for b in find(resellerReference="A-1").json()] == [first["uuid"]]
    assert [b["uuid"] for b in find(supplierReference=first["supplierReference"]).json()] == [first["uuid"]]
    assert len(find(localDate=day().isoformat()).json()) == 1
    assert len(find(localDateStart=day().isoformat(), localDateEnd=day(8).isoformat()).json()) == 2
    assert find().json()["error"] == "BAD_REQUEST"
    assert find(localDateStart=day().isoformat()).json()["error"] == "BAD_REQUEST"
    assert find(localDate="yesterday").json()["error"] == "BAD_REQUEST"


def test_another_partners_key_never_reaches_the_booking(client, partner_key, walk):
    held = reserve(client, partner_key[1], walk, resellerReference="MINE").json()
    other = TradePartnerFactory()
    chosen(other, services=[walk])
    _k, other_secret = api_key_create(partner=other, name="Other")
    for method, path in (
        ("GET", ""),
        ("POST", "/confirm"),
        ("POST", "/cancel"),
        ("POST", "/extend"),
        ("PATCH", ""),
        ("DELETE", ""),
    ):
        if method == "GET":
            response = get(client, f"/bookings/{held['uuid']}{path}", other_secret)
        else:
            response = send(client, method, f"/bookings/{held['uuid']}{path}", other_secret, {"contact": CONTACT})
        assert response.status_code == 400, (method, path)
        assert response.json() == {
            "error": "INVALID_BOOKING_UUID",
            "errorMessage": response.json()["errorMessage"],
            "uuid": held["uuid"],
        }
    found = client.get("/api/octo/bookings", {"resellerReference": "MINE"}, HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    assert found.json() == []
    assert TradeBooking.objects.get(uuid=held["uuid"]).status == TradeBooking.Status.ON_HOLD


@pytest.mark.parametrize(
    "change, code, field",
    [
        ({"productId": "service-0"}, "INVALID_PRODUCT_ID", "productId"),
        ({"optionId": "VIP"}, "INVALID_OPTION_ID", "optionId"),
        ({"unitItems": [{"unitId": "dragon"}]}, "INVALID_UNIT_ID", "unitId"),
        ({"unitItems": []}, "BAD_REQUEST", None),
        ({"availabilityId": "2020-01-01"}, "INVALID_AVAILABILITY_ID", "availabilityId"),
        ({"availabilityId": "tomorrow"}, "INVALID_AVAILABILITY_ID", "availabilityId"),
        ({"availabilityId": None}, "BAD_REQUEST", None),
        ({"expirationMinutes": -5}, "BAD_REQUEST", None),
        ({"uuid": "not-a-uuid"}, "BAD_REQUEST", None),
        ({"currency": "USD"}, "BAD_REQUEST", None),
    ],
)
def test_reserve_errors_leave_nothing(client, partner_key, walk, change, code, field):
    body = {
        "productId": f"service-{walk.pk}",
        "optionId": "DEFAULT",
        "availabilityId": slot_id(walk, day()),
        "unitItems": [{"unitId": "adult"}],
        **change,
    }
    body = {k: v for k, v in body.items() if v is not None}
    response = send(client, "POST", "/bookings", partner_key[1], body)
    assert response.status_code == 400 and response.json()["error"] == code, response.content
    if field:
        assert field in response.json()
    assert TradeBooking.objects.count() == 0


def test_unknown_and_malformed_booking_uuids(client, partner_key):
    for value in (str(uuid.uuid4()), "nope", "0" * 100):
        response = get(client, f"/bookings/{value}", partner_key[1])
        assert response.status_code == 400 and response.json()["error"] == "INVALID_BOOKING_UUID"


def test_pricing_net_and_retail_from_each_partners_contract(client, walk):
    on = day()
    commission = TradePartnerFactory()
    chosen(commission, services=[walk], commission_percent=Decimal("20.00"))
    netted = TradePartnerFactory()
    contract = chosen(netted, services=[walk], rate_kind=Contract.RateKind.NET, commission_percent=None)
    contract.net_prices.create(service=walk, starts_on=on, ends_on=on, category="adult", amount=Decimal("31.00"))
    priced = {}
    for partner in (commission, netted):
        _k, secret = api_key_create(partner=partner, name="k")
        held = reserve(client, secret, walk, headers={"HTTP_OCTO_CAPABILITIES": "octo/pricing"}).json()
        priced[partner.pk] = held["pricing"]
        assert "pricing" not in reserve(client, secret, walk).json()
    assert priced[commission.pk]["retail"] == priced[netted.pk]["retail"] == 10000
    assert priced[commission.pk]["net"] == 8000 and priced[netted.pk]["net"] == 6200
    assert priced[netted.pk]["currency"] == "EUR" and priced[netted.pk]["currencyPrecision"] == 2


def test_availability_unit_pricing_with_the_capability(client, partner_key, walk):
    body = {"productId": f"service-{walk.pk}", "optionId": "DEFAULT", "localDate": day().isoformat()}
    plain = send(client, "POST", "/availability", partner_key[1], body).json()
    assert "unitPricing" not in plain[0]
    rich = send(client, "POST", "/availability", partner_key[1], body, HTTP_OCTO_CAPABILITIES="octo/pricing").json()
    assert rich[0]["unitPricing"] == [
        {"unitId": "adult", "original": 5000, "retail": 5000, "net": 4000, "currency": "EUR",
         "currencyPrecision": 2, "includedTaxes": []}
    ]  # fmt: skip


def test_a_package_is_reserved_on_a_start_day(client, walk):
    package = make_package(services=[walk, priced_service(name="Cantina")])
    partner = TradePartnerFactory()
    chosen(partner, packages=[package])
    _k, secret = api_key_create(partner=partner, name="P")
    rows = send(
        client,
        "POST",
        "/availability",
        secret,
        {"productId": f"package-{package.pk}", "optionId": "DEFAULT", "localDate": day().isoformat()},
    ).json()
    assert len(rows) == 1 and rows[0]["allDay"] is True and rows[0]["status"] == "AVAILABLE"
    held = send(
        client,
        "POST",
        "/bookings",
        secret,
        {
            "productId": f"package-{package.pk}",
            "optionId": "DEFAULT",
            "availabilityId": rows[0]["id"],
            "unitItems": [{"unitId": "adult"}],
            "contact": CONTACT,
        },
    ).json()
    assert held["status"] == "ON_HOLD" and held["productId"] == f"package-{package.pk}"
    assert TradeBooking.objects.get(uuid=held["uuid"]).parts.count() == 2
    timed = send(
        client,
        "POST",
        "/bookings",
        secret,
        {
            "productId": f"package-{package.pk}",
            "optionId": "DEFAULT",
            "availabilityId": rows[0]["id"].replace("T00:00", "T10:00"),
            "unitItems": [{"unitId": "adult"}],
        },
    )
    assert timed.json()["error"] == "INVALID_AVAILABILITY_ID"


def test_on_request_bookings_are_pending_until_the_operator_answers(client):
    service = priced_service(on_request=True, capacity=4, times=(dt.time(9, 0),))
    partner = TradePartnerFactory()
    chosen(partner, services=[service])
    _k, secret = api_key_create(partner=partner, name="P")
    product = get(client, f"/products/service-{service.pk}", secret).json()
    assert product["instantConfirmation"] is False
    held = reserve(client, secret, service, at="09:00").json()
    pending = send(client, "POST", f"/bookings/{held['uuid']}/confirm", secret, {"contact": CONTACT}).json()
    assert pending["status"] == "PENDING" and pending["voucher"] is None
    booking = TradeBooking.objects.get(uuid=held["uuid"])
    trade_part_decide(booking=booking, operator=service.operator, confirm=True)
    assert get(client, f"/bookings/{held['uuid']}", secret).json()["status"] == "CONFIRMED"


def test_declined_reads_as_cancelled_by_the_supplier(client):
    service = priced_service(on_request=True, capacity=4, times=(dt.time(9, 0),))
    partner = TradePartnerFactory()
    chosen(partner, services=[service])
    _k, secret = api_key_create(partner=partner, name="P")
    held = reserve(client, secret, service, at="09:00").json()
    send(client, "POST", f"/bookings/{held['uuid']}/confirm", secret, {"contact": CONTACT})
    booking = TradeBooking.objects.get(uuid=held["uuid"])
    trade_part_decide(booking=booking, operator=service.operator, confirm=False, reason="Closed for a wedding")
    body = get(client, f"/bookings/{held['uuid']}", secret).json()
    assert body["status"] == "CANCELLED" and body["cancellation"]["reason"] == "Closed for a wedding"


def test_cancellation_fee_makes_a_partial_refund_and_delete_cancels(client, partner_key, walk):
    partner, secret = partner_key
    contract = partner.contracts.get()
    ContractCancellationTier.objects.create(contract=contract, days_before=30, refund_percent=100)
    ContractCancellationTier.objects.create(contract=contract, days_before=2, refund_percent=50)
    held = reserve(client, secret, walk).json()
    send(client, "POST", f"/bookings/{held['uuid']}/confirm", secret, {"contact": CONTACT})
    cancelled = send(client, "DELETE", f"/bookings/{held['uuid']}", secret).json()
    assert cancelled["status"] == "CANCELLED" and cancelled["cancellation"]["refund"] == "PARTIAL"
    assert TradeBooking.objects.get(uuid=held["uuid"]).cancellation_fee == Decimal("40.00")


def test_a_booking_made_in_the_portal_reads_through_the_api(client, partner_key, walk):
    from marketplace.trade.bookings import TradeRequest, trade_book
    from operators.pricing import Party

    partner, secret = partner_key
    booking = trade_book(
        partner=partner,
        user=None,
        request=TradeRequest(
            product=walk,
            on=day(),
            party=Party(adults=1, seniors=1),
            start_time=dt.time(10, 0),
            lead_first_name="Eva",
            lead_last_name="Rossi",
            partner_reference="PORTAL-1",
        ),  # fmt: skip
    )
    first = get(client, f"/bookings/{booking.uuid}", secret).json()
    assert [u["unitId"] for u in first["unitItems"]] == ["adult", "senior"]
    assert first == get(client, f"/bookings/{booking.uuid}", secret).json()  # stable unit uuids
