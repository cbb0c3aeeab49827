"""The OCTO API's foundation: keys, errors, capabilities, supplier and products, the OpenAPI document."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from marketplace.octo.keys import api_key_create, api_key_for_secret, api_key_revoke
from marketplace.octo.models import ApiKey
from marketplace.trade.models import Contract, TradePartner
from tests.octo.helpers import chosen, get
from tests.packages.factories import make_package, priced_service
from tests.trade.factories import ContractFactory, TradePartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def walk():
    return priced_service(times=(dt.time(10, 0), dt.time(15, 30)), name="Passeggiata")


@pytest.fixture
def partner_key(walk):
    partner = TradePartnerFactory()
    chosen(partner, services=[walk])
    _key, secret = api_key_create(partner=partner, name="Res system")
    return partner, secret


def test_key_is_stored_hashed_and_found_by_secret(partner_key):
    partner, secret = partner_key
    key = ApiKey.objects.get(partner=partner)
    assert secret not in (key.secret_hash, key.prefix) and secret.startswith(key.prefix)
    assert api_key_for_secret(secret) == key
    assert api_key_for_secret(secret + "x") is None
    api_key_revoke(key=key)
    assert api_key_for_secret(secret) is None


def test_unknown_missing_and_revoked_keys_get_401(client, partner_key):
    partner, secret = partner_key
    assert get(client, "/products", secret).status_code == 200
    for response in (
        client.get("/api/octo/products"),
        get(client, "/products", "octo_nonsense"),
        client.get("/api/octo/products", HTTP_AUTHORIZATION="Basic abc"),
    ):
        assert response.status_code == 401
        assert response.json()["error"] == "UNAUTHORIZED" and response.json()["errorMessage"]
    api_key_revoke(key=partner.api_keys.get())
    assert get(client, "/products", secret).status_code == 401


def test_suspended_partner_gets_403(client, partner_key):
    partner, secret = partner_key
    TradePartner.objects.filter(pk=partner.pk).update(status=TradePartner.Status.SUSPENDED)
    response = get(client, "/products", secret)
    assert response.status_code == 403 and response.json()["error"] == "FORBIDDEN"


def test_rate_limit_429_with_retry_after(client, partner_key):
    partner, _secret = partner_key
    _key, secret = api_key_create(partner=partner, name="Tight", rate_limit_per_minute=3)
    assert [get(client, "/supplier", secret).status_code for _ in range(3)] == [200, 200, 200]
    response = get(client, "/supplier", secret)
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert response.json()["error"]
    # another key of the same partner keeps its own count
    assert get(client, "/supplier", partner_key[1]).status_code == 200


def test_last_used_is_recorded(client, partner_key):
    partner, secret = partner_key
    get(client, "/supplier", secret)
    assert partner.api_keys.get().last_used_at is not None


def test_supplier(client, partner_key):
    response = get(client, "/supplier", partner_key[1])
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"id", "name", "endpoint", "contact"}


def test_products_cover_only_the_contract(client, partner_key, walk):
    other_service = priced_service(name="Altro")
    partner, secret = partner_key
    other = TradePartnerFactory()
    chosen(other, services=[other_service])
    _k, other_secret = api_key_create(partner=other, name="Other")

    ids = [p["id"] for p in get(client, "/products", secret).json()]
    assert ids == [f"service-{walk.pk}"]
    assert get(client, f"/products/service-{walk.pk}", secret).status_code == 200
    response = get(client, f"/products/service-{other_service.pk}", secret)
    assert response.status_code == 400
    assert response.json() == {
        "error": "INVALID_PRODUCT_ID",
        "errorMessage": response.json()["errorMessage"],
        "productId": f"service-{other_service.pk}",
    }
    assert [p["id"] for p in get(client, "/products", other_secret).json()] == [f"service-{other_service.pk}"]


def test_product_shape_start_times_units_and_capabilities(client, partner_key, walk):
    _partner, secret = partner_key
    plain = get(client, f"/products/service-{walk.pk}", secret, HTTP_OCTO_CAPABILITIES="").json()
    assert plain["availabilityType"] == "START_TIME"
    option = plain["options"][0]
    assert option["id"] == "DEFAULT" and option["default"] is True
    assert option["availabilityLocalStartTimes"] == ["10:00", "15:30"]
    units = {u["id"]: u for u in option["units"]}
    assert set(units) == {"adult", "child", "infant", "senior"}
    assert units["child"]["restrictions"]["maxAge"] == walk.child_max_age
    assert units["infant"]["restrictions"]["maxAge"] == walk.infant_max_age
    assert "title" not in plain and "defaultCurrency" not in plain

    rich = get(
        client, f"/products/service-{walk.pk}", secret, HTTP_OCTO_CAPABILITIES="octo/pricing, octo/content"
    ).json()
    assert rich["defaultCurrency"] == "EUR" and rich["title"]
    assert "title" in rich["options"][0]["units"][0]


def test_package_is_an_opening_hours_product(client, walk):
    package = make_package(services=[walk])
    partner = TradePartnerFactory()
    chosen(partner, packages=[package])
    _k, secret = api_key_create(partner=partner, name="P")
    body = get(client, f"/products/package-{package.pk}", secret).json()
    assert body["id"] == f"package-{package.pk}" and body["availabilityType"] == "OPENING_HOURS"


@pytest.mark.parametrize("bad", ["nope", "service-", "service-abc", "package-99999999", "service-" + "9" * 40, "%00"])
def test_bad_product_ids_are_400_never_500(client, partner_key, bad):
    response = get(client, f"/products/{bad}", partner_key[1])
    assert response.status_code == 400 and response.json()["error"] == "INVALID_PRODUCT_ID"


def test_no_trailing_slash_answers_directly(client, partner_key):
    response = get(client, "/products", partner_key[1])
    assert response.status_code == 200 and not response.has_header("Location")
    assert get(client, "/supplier", partner_key[1]).status_code == 200


def test_unknown_path_is_an_octo_error(client, partner_key):
    for path in ("/nothing-here", "/products/"):
        response = get(client, path, partner_key[1])
        assert response.status_code == 400 and response.json()["error"] == "BAD_REQUEST"


def test_openapi_lists_every_path_and_docs_page_renders(client):
    document = client.get("/api/octo/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/octo/supplier",
        "/api/octo/products",
        "/api/octo/products/{product_id}",
        "/api/octo/availability/calendar",
        "/api/octo/availability",
        "/api/octo/bookings",
        "/api/octo/bookings/{uuid}",
        "/api/octo/bookings/{uuid}/confirm",
        "/api/octo/bookings/{uuid}/extend",
        "/api/octo/bookings/{uuid}/cancel",
    }
    assert document["openapi"].startswith("3.")
    page = client.get("/api/octo/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "/static/ninja/swagger-ui-bundle.js" in html
    # the site's strict policy applies as is: scripts from our own origin only, no inline script needed
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "<script>" not in html.replace(" ", "")


def test_create_api_key_command_prints_the_key(partner_key):
    partner, _secret = partner_key
    out = io.StringIO()
    call_command("create_api_key", partner.slug, "--name", "Shell", stdout=out)
    secret = out.getvalue().strip().rsplit(" ", 1)[-1]
    assert api_key_for_secret(secret).name == "Shell"


def test_products_in_the_accept_language(client, partner_key, walk):
    walk.name_it, walk.name_en = "Passeggiata", "City walk"
    walk.save()

    def title(accept):
        with translation.override("it"):
            return get(
                client, f"/products/service-{walk.pk}", partner_key[1],
                HTTP_OCTO_CAPABILITIES="octo/content", HTTP_ACCEPT_LANGUAGE=accept,
            ).json()["title"]  # fmt: skip

    assert title("en-GB,en;q=0.9") == "City walk"
    assert title("xx, it;q=0.5") == "Passeggiata"
    assert title("zz") == "City walk"  # not served: English, the language of API integrations


def calendar(client, secret, **body):
    return client.post(
        "/api/octo/availability/calendar", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


def test_calendar_days_and_statuses(client, partner_key, walk):
    start = timezone.localdate() + dt.timedelta(days=1)
    response = calendar(
        client, partner_key[1], productId=f"service-{walk.pk}", optionId="DEFAULT",
        localDateStart=start.isoformat(), localDateEnd=(start + dt.timedelta(days=99)).isoformat(),
        units=[{"id": "adult", "quantity": 2}],
    )  # fmt: skip
    assert response.status_code == 200, response.content
    days = response.json()
    assert len(days) == 100 and days[0]["localDate"] == start.isoformat()
    assert days[0]["status"] == "AVAILABLE" and days[0]["available"] is True
    assert days[0]["openingHours"] == []  # START_TIME
    assert days[-1]["status"] == "CLOSED"  # priced_service opens slots for 60 days only
    assert set(days[0]) >= {"localDate", "available", "status", "vacancies", "capacity", "openingHours"}


def test_calendar_of_a_package_for_365_days_in_at_most_6_queries(client, walk, django_assert_max_num_queries):
    others = [priced_service(days=400) for _ in range(3)]
    package = make_package(services=[walk, *others])
    partner = TradePartnerFactory()
    chosen(partner, packages=[package])
    _k, secret = api_key_create(partner=partner, name="P")
    get(client, "/supplier", secret)  # last_used_at written (once a minute)
    start = timezone.localdate()
    with django_assert_max_num_queries(6):
        response = calendar(
            client, secret, productId=f"package-{package.pk}", optionId="DEFAULT",
            localDateStart=start.isoformat(), localDateEnd=(start + dt.timedelta(days=364)).isoformat(),
        )  # fmt: skip
    assert response.status_code == 200 and len(response.json()) == 365
    open_days = [d for d in response.json() if d["status"] == "AVAILABLE"]
    assert open_days and all(d["openingHours"] == [{"from": "00:00", "to": "23:59"}] for d in open_days)


@pytest.mark.parametrize(
    "body, code, field",
    [
        ({"productId": "service-0"}, "INVALID_PRODUCT_ID", "productId"),
        ({"optionId": "VIP"}, "INVALID_OPTION_ID", "optionId"),
        ({"units": [{"id": "dragon", "quantity": 1}]}, "INVALID_UNIT_ID", "unitId"),
        ({"localDateEnd": "2020-01-01"}, "BAD_REQUEST", None),
        ({"localDateStart": "not a date"}, "BAD_REQUEST", None),
        ({"units": [{"id": "adult", "quantity": "many"}]}, "BAD_REQUEST", None),
        ({"surprise": 1}, "BAD_REQUEST", None),
        ({"localDateEnd": "2999-01-01"}, "BAD_REQUEST", None),
    ],
)
def test_calendar_errors(client, partner_key, walk, body, code, field):
    start = timezone.localdate()
    payload = {
        "productId": f"service-{walk.pk}",
        "optionId": "DEFAULT",
        "localDateStart": start.isoformat(),
        "localDateEnd": start.isoformat(),
        **body,
    }
    response = calendar(client, partner_key[1], **payload)
    assert response.status_code == 400 and response.json()["error"] == code
    if field:
        assert response.json()[field] == payload.get(field, body.get("units", [{}])[0].get("id"))


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", '"x"', ""])
def test_malformed_json_is_bad_request(client, partner_key, raw):
    response = client.post(
        "/api/octo/availability/calendar", raw, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key[1]}",
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["error"] == "BAD_REQUEST"


def test_calendar_pricing_net_from_each_partners_contract(client, walk):
    start = timezone.localdate() + dt.timedelta(days=2)
    secrets = []
    for percent in ("20.00", "10.00"):
        partner = TradePartnerFactory()
        contract = chosen(partner, services=[walk])
        Contract.objects.filter(pk=contract.pk).update(commission_percent=percent)
        secrets.append(api_key_create(partner=partner, name="P")[1])

    def day_prices(secret, capabilities):
        return client.post(
            "/api/octo/availability/calendar",
            {"productId": f"service-{walk.pk}", "optionId": "DEFAULT", "localDateStart": start.isoformat(),
             "localDateEnd": start.isoformat(), "units": [{"id": "adult", "quantity": 1}, {"id": "child", "quantity": 1}]},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_OCTO_CAPABILITIES=capabilities,
        ).json()[0]  # fmt: skip

    assert "unitPricingFrom" not in day_prices(secrets[0], "")
    first, second = (day_prices(s, "octo/pricing")["unitPricingFrom"] for s in secrets)
    adult = {p["unitId"]: p for p in first}["adult"]
    assert adult == {"unitId": "adult", "original": 5000, "retail": 5000, "net": 4000, "currency": "EUR",
                     "currencyPrecision": 2, "includedTaxes": []}  # fmt: skip
    assert {p["unitId"]: p for p in first}["child"]["retail"] == 2500
    assert {p["unitId"]: p for p in second}["adult"]["net"] == 4500


def availability(client, secret, **body):
    return client.post(
        "/api/octo/availability", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


def test_availability_departures_ids_vacancies_and_cutoff(client, partner_key, walk):
    day = timezone.localdate() + dt.timedelta(days=3)
    response = availability(
        client, partner_key[1], productId=f"service-{walk.pk}", optionId="DEFAULT", localDate=day.isoformat()
    )
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [r["localDateTimeStart"][11:16] for r in rows] == ["10:00", "15:30"]
    first = rows[0]
    assert first["id"] == first["localDateTimeStart"] and first["id"].startswith(f"{day.isoformat()}T10:00:00+")
    assert first["status"] == "AVAILABLE" and first["vacancies"] == 10 and first["utcCutoffAt"].endswith("Z")
    again = availability(
        client, partner_key[1], productId=f"service-{walk.pk}", optionId="DEFAULT", availabilityIds=[first["id"]]
    ).json()
    assert [r["id"] for r in again] == [first["id"]]
    bad = availability(
        client, partner_key[1], productId=f"service-{walk.pk}", optionId="DEFAULT", availabilityIds=["nonsense"]
    )
    assert bad.status_code == 400 and bad.json() == {
        "error": "INVALID_AVAILABILITY_ID", "errorMessage": bad.json()["errorMessage"], "availabilityId": "nonsense"
    }  # fmt: skip


def test_availability_without_general_sale_shows_no_vacancies(client, partner_key, walk):
    partner, secret = partner_key
    partner.contracts.update(general_sale=False)
    day = timezone.localdate() + dt.timedelta(days=3)
    rows = availability(client, secret, productId=f"service-{walk.pk}", optionId="DEFAULT", localDate=day.isoformat())
    assert {r["status"] for r in rows.json()} == {"SOLD_OUT"}
    assert availability(client, secret, productId=f"service-{walk.pk}", optionId="DEFAULT").json()["error"] == (
        "BAD_REQUEST"
    )


def test_every_path_documents_its_response_and_answers_match_the_models(client, partner_key, walk):
    from marketplace.octo import schemas

    document = client.get("/api/octo/openapi.json").json()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert operation["responses"]["200"]["content"]["application/json"]["schema"], path
    assert {"Product", "Option", "Unit", "CalendarDay", "Availability", "Supplier"} <= set(
        document["components"]["schemas"]
    )
    body = get(client, f"/products/service-{walk.pk}", partner_key[1], HTTP_OCTO_CAPABILITIES="octo/content").json()
    assert schemas.Product.model_validate(body).options[0].units[0].title


def test_never_a_500_on_odd_inputs(client, partner_key):
    secret = partner_key[1]
    odd = ["", "0", "-1", "package-0", "service-1e9", "x" * 300, "ü", "../etc"]
    for value in odd:
        assert get(client, f"/products/{value}", secret).status_code < 500
        for path in ("/availability", "/availability/calendar"):
            for body in ({"productId": value, "optionId": value}, {"productId": value, "units": value}, [value]):
                response = client.post(
                    f"/api/octo{path}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
                )
                assert response.status_code == 400, (path, body, response.content)


def test_products_list_in_constant_queries(client, walk, django_assert_max_num_queries):
    partner = TradePartnerFactory()
    _k, secret = api_key_create(partner=partner, name="P")
    ContractFactory(partner=partner, scope=Contract.Scope.ALL)
    get(client, "/supplier", secret)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert get(client, "/products", secret).status_code == 200
        return len(queries)

    make_package(services=[walk], slug="pkg-first")
    few = count()
    for n in range(3):
        make_package(services=[priced_service(days=5)], slug=f"pkg-{n}", title=f"Pacchetto {n}")
    assert count() == few


def test_units_pricing_from_with_the_capability(client, partner_key, walk):
    plain = get(client, f"/products/service-{walk.pk}", partner_key[1]).json()
    assert "pricingFrom" not in plain["options"][0]["units"][0]
    rich = get(client, f"/products/service-{walk.pk}", partner_key[1], HTTP_OCTO_CAPABILITIES="octo/pricing").json()
    units = {u["id"]: u["pricingFrom"] for u in rich["options"][0]["units"]}
    assert units["adult"] == [{"original": 5000, "retail": 5000, "net": 4000, "currency": "EUR",
                               "currencyPrecision": 2, "includedTaxes": []}]  # fmt: skip
    assert (units["child"][0]["retail"], units["child"][0]["net"]) == (2500, 2000)
    assert rich["options"][0]["pricingFrom"] == units["adult"]


def test_products_with_pricing_in_constant_queries(client, walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partner = TradePartnerFactory()
    _k, secret = api_key_create(partner=partner, name="P")
    ContractFactory(partner=partner, scope=Contract.Scope.ALL)
    get(client, "/supplier", secret)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = get(client, "/products", secret, HTTP_OCTO_CAPABILITIES="octo/pricing, octo/content")
            assert response.status_code == 200
        assert all(p["options"][0]["pricingFrom"] for p in response.json())
        return len(queries)

    make_package(services=[walk], slug="pkg-first")
    few = count()
    for n in range(3):
        make_package(services=[priced_service(days=5)], slug=f"pkg-{n}", title=f"Pacchetto {n}")
    assert count() <= few  # the first package's labels now come from the labels' cache


def test_content_has_the_operators_place_photos_and_certified_labels(client, partner_key, walk):
    from certifications.services import award_grant
    from operators.models import OperatorPhoto
    from tests.certifications.factories import SchemeFactory, png_upload
    from tests.factories import UserFactory

    operator = walk.operator
    operator.latitude, operator.longitude, operator.address = "43.8430", "10.5027", "Piazza San Michele 1"
    operator.save()
    OperatorPhoto.objects.create(operator=operator, image=png_upload("walls.png"), caption="The walls")
    scheme = SchemeFactory(name="Bandiera Arancione")
    award_grant(scheme=scheme, subject=walk, user=UserFactory(is_staff=True, is_superuser=True),
                awarded_on=timezone.localdate() - dt.timedelta(days=3))  # fmt: skip

    body = get(client, f"/products/service-{walk.pk}", partner_key[1], HTTP_OCTO_CAPABILITIES="octo/content").json()
    place = body["locations"][0]["place"]
    assert (place["latitude"], place["longitude"]) == (43.843, 10.5027)
    assert place["postalAddress"]["streetAddress"] == "Piazza San Michele 1" and body["locations"][0]["types"] == [
        "START"
    ]
    assert body["media"][0]["rel"] == "COVER" and body["media"][0]["src"].startswith("http")
    assert body["media"][0]["caption"] == "The walls"
    assert {"shortDescription": "Bandiera Arancione", "type": "HIGHLIGHT"} in body["features"]
    plain = get(client, f"/products/service-{walk.pk}", partner_key[1]).json()
    assert "locations" not in plain and "features" not in plain
