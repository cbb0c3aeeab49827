"""The OCTO API (django-ninja), mounted at /api/octo/: paths without trailing slashes, JSON bodies, and
OCTO's error bodies for every failure — HTTP 400 {"error", "errorMessage", <offending id>}, 401
UNAUTHORIZED, 403 FORBIDDEN, 429 with Retry-After — never a 500 on any input.

Each request is authenticated once (Bearer key), counted against its key's rate limit, and its
`Octo-Capabilities` header parsed once into `request.octo_capabilities`.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import parseaddr
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field, field_validator

from marketplace.core.countries import is_country
from marketplace.core.languages import served_language, site_language_codes
from marketplace.core.throttle import throttle_allow
from marketplace.trade.contracts import partner_contract_for
from marketplace.trade.documents import trade_voucher_pdf
from marketplace.trade.models import TradePartner

from . import schemas
from .availability import (
    availability_calendar,
    parse_availability_id,
    party_from_units,
    product_availabilities,
    unit_pricing_calendar,
)
from .bookings import (
    booking_for,
    booking_json,
    bookings_find,
    bookings_json,
    octo_cancel,
    octo_confirm,
    octo_extend,
    octo_reserve,
    octo_update,
    voucher_booking,
)
from .errors import OctoError
from .keys import api_key_for_secret, api_key_touch
from .parsing import OctoParser
from .products import (
    CAPABILITY_PRICING,
    DEFAULT_OPTION,
    partner_bookable,
    partner_bookables_contracts,
    products_json,
    service_start_times,
    units_json,
)

log = logging.getLogger(__name__)
RATE_WINDOW_SECONDS = 60


def parse_capabilities(header: str | None) -> set[str]:
    """`Octo-Capabilities: octo/pricing, octo/content` -> {"octo/pricing", "octo/content"}; empty accepted."""
    return {part.strip() for part in (header or "").split(",") if part.strip()}


class ApiKeyAuth(HttpBearer):
    """Bearer key -> the request's partner. Unknown or revoked: 401; partner not approved: 403; over
    the key's limit per minute: 429."""

    def __call__(self, request):
        key = super().__call__(request)
        if key is None:
            raise OctoError("UNAUTHORIZED", "Missing or invalid API key: send Authorization: Bearer <key>.", status=401)
        return key

    def authenticate(self, request, token):
        key = api_key_for_secret(token)
        if key is None:
            return None
        if key.partner.status != TradePartner.Status.APPROVED:
            raise OctoError("FORBIDDEN", "This partner account is not active.", status=403)
        if not throttle_allow(
            "octo-key", str(key.pk), limit=key.rate_limit_per_minute, window_seconds=RATE_WINDOW_SECONDS
        ):
            raise OctoError(
                "TOO_MANY_REQUESTS",
                f"Rate limit of {key.rate_limit_per_minute} requests per minute reached.",
                status=429,
                headers={"Retry-After": str(RATE_WINDOW_SECONDS)},
            )
        api_key_touch(key=key)
        request.octo_key = key
        request.octo_partner = key.partner
        request.octo_capabilities = parse_capabilities(request.headers.get("Octo-Capabilities"))
        translation.activate(_language(request))  # error messages and content in the caller's language
        return key


# --- OpenAPI: OCTO's error answers, documented on every operation (schemathesis checks status codes) ---------
ERROR_STATUSES = {
    "400": "OCTO error: BAD_REQUEST, INVALID_PRODUCT_ID, INVALID_OPTION_ID, INVALID_UNIT_ID, …",
    "401": "UNAUTHORIZED: missing, unknown or revoked key",
    "403": "FORBIDDEN: the partner is not approved",
    "429": "TOO_MANY_REQUESTS: over the key's rate limit (Retry-After)",
}


class OctoNinjaAPI(NinjaAPI):
    """NinjaAPI whose document lists OCTO's error bodies beside each operation's 200: they come from the
    exception handlers below, for every route alike, so they are added here once rather than route by route
    (a route added later is documented too)."""

    def get_openapi_schema(self, **kwargs):
        document = super().get_openapi_schema(**kwargs)
        error_schema = schemas.Error.model_json_schema(ref_template="#/components/schemas/{model}")
        document.setdefault("components", {}).setdefault("schemas", {})["Error"] = error_schema
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, "content": body})
                responses["429"].setdefault("headers", {"Retry-After": {"schema": {"type": "integer"}}})
        return document


# --- end of the OpenAPI errors block ----------------------------------------------------------------------


api = OctoNinjaAPI(
    title="OCTO API",
    version="1.0",
    description="OCTO (Open Connectivity for Tours, Activities and Attractions) for trade partners.",
    urls_namespace="octo",
    auth=ApiKeyAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    parser=OctoParser(),  # no NUL characters in text (PostgreSQL stores none): BAD_REQUEST, not a 500
)


def _error(request, exc: OctoError):
    response = api.create_response(
        request, {"error": exc.code, "errorMessage": exc.message, **exc.fields}, status=exc.status
    )
    for name, value in (exc.headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(OctoError)
def octo_error(request, exc):
    return _error(request, exc)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "payload", "query", "path"))
    message = f"{where}: {first.get('msg', 'invalid request')}" if where else str(first.get("msg", "invalid request"))
    return _error(request, OctoError("BAD_REQUEST", message))


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(request, OctoError("UNAUTHORIZED", "Missing or invalid API key.", status=401))


@api.exception_handler(Http404)
def not_found(request, exc):
    # 400, not 404: LocaleMiddleware would answer a 404 with a redirect to a language-prefixed path
    return _error(request, OctoError("BAD_REQUEST", "Not found."))


@api.exception_handler(HttpError)
def http_error(request, exc):
    status = exc.status_code if exc.status_code in (400, 401, 403, 405, 429) else 400
    return _error(request, OctoError("BAD_REQUEST", str(exc), status=status))


@api.exception_handler(Exception)
def unexpected(request, exc):
    """The catch-all: a partner's system gets an OCTO body and we get the traceback in the log."""
    log.exception("OCTO API error on %s", request.path)
    return _error(request, OctoError("INTERNAL_SERVER_ERROR", "Unexpected error; we have been notified.", status=500))


def _language(request) -> str:
    """The Accept-Language's first language the site serves (octo/content, error messages), else
    English when the site serves it (machines' logs are read by developers), else the default."""
    served = site_language_codes()
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in served:
                return candidate
    return "en" if "en" in served else served_language(None)


@api.get("/supplier", response=schemas.Supplier, summary="The supplier (us)")
def supplier(request):
    """The DMC: its name, this API's endpoint, its site and the address its e-mails come from."""
    return {
        "id": "dmc",
        "name": settings.DMC_NAME,
        "endpoint": request.build_absolute_uri("/api/octo"),
        "contact": {
            "website": settings.SITE_URL.rstrip("/") + "/",
            "email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or None,
            "telephone": None,
            "address": None,
        },
    }


@api.get(
    "/products",
    response=list[schemas.Product],
    exclude_unset=True,
    summary="The products the partner's contract covers",
)
def products(request):
    with translation.override(_language(request)):
        items = partner_bookables_contracts(partner=request.octo_partner)
        return products_json(items=items, capabilities=request.octo_capabilities)


@api.get("/products/{product_id}", response=schemas.Product, exclude_unset=True, summary="One product")
def product(request, product_id: str):
    with translation.override(_language(request)):
        item = partner_bookable(partner=request.octo_partner, product_id=product_id)
        if item is None:
            raise OctoError("INVALID_PRODUCT_ID", f"Unknown product {product_id!r}.", productId=product_id)
        contract = partner_contract_for(partner=request.octo_partner, product=item, on=timezone.localdate())
        return products_json(items={item: contract}, capabilities=request.octo_capabilities)[0]


MAX_CALENDAR_DAYS = 366


class UnitQuantity(Schema):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(max_length=40)
    quantity: int = Field(ge=0, le=999)


class CalendarBody(Schema):
    model_config = ConfigDict(extra="forbid")
    productId: str = Field(max_length=60)
    optionId: str = Field(max_length=60)
    localDateStart: dt.date
    localDateEnd: dt.date
    units: list[UnitQuantity] | None = Field(default=None, max_length=10)


@api.post(
    "/availability/calendar",
    response=list[schemas.CalendarDay],
    exclude_unset=True,
    summary="Day by day availability of a product",
)
def calendar(request, body: CalendarBody):
    item = partner_bookable(partner=request.octo_partner, product_id=body.productId)
    if item is None:
        raise OctoError("INVALID_PRODUCT_ID", f"Unknown product {body.productId!r}.", productId=body.productId)
    if body.optionId != DEFAULT_OPTION:
        raise OctoError("INVALID_OPTION_ID", f"Unknown option {body.optionId!r}.", optionId=body.optionId)
    if body.localDateEnd < body.localDateStart:
        raise OctoError("BAD_REQUEST", "localDateEnd is before localDateStart.")
    if (body.localDateEnd - body.localDateStart).days >= MAX_CALENDAR_DAYS:
        raise OctoError("BAD_REQUEST", f"At most {MAX_CALENDAR_DAYS} days at once.")
    try:
        party = party_from_units(item=item, units=[(u.id, u.quantity) for u in body.units or []])
    except ValueError as exc:
        raise OctoError("INVALID_UNIT_ID", f"Unknown unit {exc}.", unitId=str(exc)) from exc
    # START_TIME services (timed departures) carry no opening hours; one query, services only
    timed = item.service is not None and bool(service_start_times([item.service])[item.service.pk])
    unit_pricing = None
    if CAPABILITY_PRICING in request.octo_capabilities:
        contract = partner_contract_for(partner=request.octo_partner, product=item, on=body.localDateStart)
        unit_ids = sorted({u.id for u in body.units or [] if u.quantity}) or [units_json(item=item)[0]["id"]]
        unit_pricing = (
            unit_pricing_calendar(
                item=item, contract=contract, unit_ids=unit_ids, start=body.localDateStart, end=body.localDateEnd
            )
            if contract is not None
            else {}
        )
    return availability_calendar(
        item=item,
        start=body.localDateStart,
        end=body.localDateEnd,
        party=party,
        opening_hours=not timed,
        unit_pricing=unit_pricing,
    )


class AvailabilityBody(Schema):
    model_config = ConfigDict(extra="forbid")
    productId: str = Field(max_length=60)
    optionId: str = Field(max_length=60)
    localDate: dt.date | None = None
    localDateStart: dt.date | None = None
    localDateEnd: dt.date | None = None
    availabilityIds: list[str] | None = Field(default=None, max_length=100)
    units: list[UnitQuantity] | None = Field(default=None, max_length=10)


@api.post(
    "/availability",
    response=list[schemas.Availability],
    exclude_unset=True,
    summary="The bookable departures (or days) of a product",
)
def availability(request, body: AvailabilityBody):
    item = partner_bookable(partner=request.octo_partner, product_id=body.productId)
    if item is None:
        raise OctoError("INVALID_PRODUCT_ID", f"Unknown product {body.productId!r}.", productId=body.productId)
    if body.optionId != DEFAULT_OPTION:
        raise OctoError("INVALID_OPTION_ID", f"Unknown option {body.optionId!r}.", optionId=body.optionId)
    if body.availabilityIds:
        days = []
        for raw in body.availabilityIds:
            try:
                days.append(parse_availability_id(raw)[0])
            except ValueError as exc:
                raise OctoError(
                    "INVALID_AVAILABILITY_ID", f"Unknown availability {raw!r}.", availabilityId=raw
                ) from exc
        start, end = min(days), max(days)
    elif body.localDate:
        start = end = body.localDate
    elif body.localDateStart and body.localDateEnd:
        start, end = body.localDateStart, body.localDateEnd
    else:
        raise OctoError("BAD_REQUEST", "Give localDate, localDateStart and localDateEnd, or availabilityIds.")
    if end < start or (end - start).days >= MAX_CALENDAR_DAYS:
        raise OctoError("BAD_REQUEST", f"localDateEnd must be after localDateStart, at most {MAX_CALENDAR_DAYS} days.")
    try:
        party = party_from_units(item=item, units=[(u.id, u.quantity) for u in body.units or []])
    except ValueError as exc:
        raise OctoError("INVALID_UNIT_ID", f"Unknown unit {exc}.", unitId=str(exc)) from exc
    contract = partner_contract_for(partner=request.octo_partner, product=item, on=start)
    if contract is None:
        raise OctoError("INVALID_PRODUCT_ID", "Not covered by your contract on that date.", productId=body.productId)
    rows = product_availabilities(
        item=item, partner=request.octo_partner, contract=contract, start=start, end=end, party=party
    )
    if body.availabilityIds:
        wanted = set(body.availabilityIds)
        rows = [r for r in rows if r["id"] in wanted]
        if not rows:
            raise OctoError("INVALID_AVAILABILITY_ID", "Unknown availability.", availabilityId=body.availabilityIds[0])
    if CAPABILITY_PRICING in request.octo_capabilities:
        unit_ids = sorted({u.id for u in body.units or [] if u.quantity}) or [units_json(item=item)[0]["id"]]
        prices = unit_pricing_calendar(item=item, contract=contract, unit_ids=unit_ids, start=start, end=end)
        for row in rows:
            row["unitPricing"] = prices.get(dt.date.fromisoformat(row["id"][:10]), [])
    return rows


# --- bookings ---------------------------------------------------------------------------------------------


class BookingContact(Schema):
    model_config = ConfigDict(extra="ignore")
    fullName: str | None = Field(default=None, max_length=200)
    firstName: str | None = Field(default=None, max_length=100)
    lastName: str | None = Field(default=None, max_length=100)
    emailAddress: str | None = Field(default=None, max_length=254)
    phoneNumber: str | None = Field(default=None, max_length=40)
    locales: list[str] | None = Field(default=None, max_length=10)
    postalCode: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=60)
    notes: str | None = Field(default=None, max_length=2000)

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        """OCTO's contact country is ISO 3166-1 alpha-2: it becomes the guests' country of residence the
        destination counts (TradeBooking.guest_country), so anything else is refused (BAD_REQUEST)."""
        value = (value or "").strip().upper()
        if not value:
            return None
        if not is_country(value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value


class BookingUnitItem(Schema):
    model_config = ConfigDict(extra="ignore")
    uuid: UUID | None = None
    unitId: str = Field(max_length=40)
    resellerReference: str | None = Field(default=None, max_length=100)
    contact: BookingContact | None = None


class ReserveBody(Schema):
    model_config = ConfigDict(extra="ignore")
    uuid: UUID | None = None
    productId: str = Field(max_length=60)
    optionId: str = Field(max_length=60)
    availabilityId: str | None = Field(default=None, max_length=40)
    expirationMinutes: int | None = None
    notes: str | None = Field(default=None, max_length=2000)
    unitItems: list[BookingUnitItem] = Field(max_length=100)
    resellerReference: str | None = Field(default=None, max_length=100)
    contact: BookingContact | None = None
    currency: str | None = Field(default=None, max_length=3)


class ConfirmBody(Schema):
    model_config = ConfigDict(extra="ignore")
    resellerReference: str | None = Field(default=None, max_length=100)
    contact: BookingContact | None = None
    unitItems: list[BookingUnitItem] | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=2000)
    emailReceipt: bool | None = None


class UpdateBody(ConfirmBody):
    productId: str | None = Field(default=None, max_length=60)
    optionId: str | None = Field(default=None, max_length=60)
    availabilityId: str | None = Field(default=None, max_length=40)
    expirationMinutes: int | None = None


class ExtendBody(Schema):
    model_config = ConfigDict(extra="ignore")
    expirationMinutes: int | None = None


class CancelBody(Schema):
    model_config = ConfigDict(extra="ignore")
    reason: str | None = Field(default=None, max_length=500)
    force: bool | None = None


def _body(schema) -> dict:
    return schema.model_dump(mode="json", exclude_none=True) if schema is not None else {}


def _answer(request, booking):
    return booking_json(booking, request.octo_capabilities)


BOOKING = {"response": schemas.Booking, "exclude_unset": True}


@api.post("/bookings", **BOOKING, summary="Reserve: a booking ON_HOLD until confirmed or expired")
def reserve(request, body: ReserveBody):
    if body.currency and body.currency.upper() != "EUR":
        raise OctoError("BAD_REQUEST", "currency: only EUR is sold.")
    return _answer(request, octo_reserve(key=request.octo_key, body=_body(body)))


@api.get("/bookings", response=list[schemas.Booking], exclude_unset=True, summary="Find bookings")
def bookings(
    request,
    resellerReference: str | None = None,
    supplierReference: str | None = None,
    localDate: dt.date | None = None,
    localDateStart: dt.date | None = None,
    localDateEnd: dt.date | None = None,
    productId: str | None = None,
    optionId: str | None = None,
):
    filters = {k: v for k, v in locals().items() if k != "request" and v not in (None, "")}
    found = bookings_find(partner=request.octo_partner, filters=filters)
    return bookings_json(found, request.octo_capabilities)


@api.get("/bookings/{uuid}", **BOOKING, summary="One booking")
def booking(request, uuid: str):
    return _answer(request, booking_for(partner=request.octo_partner, uuid=uuid))


@api.patch("/bookings/{uuid}", **BOOKING, summary="Change units, contact, notes, availability or product")
def update(request, uuid: str, body: UpdateBody):
    found = booking_for(partner=request.octo_partner, uuid=uuid)
    return _answer(request, octo_update(booking=found, body=_body(body)))


@api.post("/bookings/{uuid}/confirm", **BOOKING, summary="Confirm a booking on hold")
def confirm(request, uuid: str, body: ConfirmBody | None = None):
    found = booking_for(partner=request.octo_partner, uuid=uuid)
    return _answer(request, octo_confirm(booking=found, body=_body(body)))


@api.post("/bookings/{uuid}/extend", **BOOKING, summary="Keep a booking on hold longer")
def extend(request, uuid: str, body: ExtendBody | None = None):
    found = booking_for(partner=request.octo_partner, uuid=uuid)
    return _answer(request, octo_extend(booking=found, minutes=_body(body).get("expirationMinutes")))


@api.post("/bookings/{uuid}/cancel", **BOOKING, summary="Cancel a booking")
def cancel(request, uuid: str, body: CancelBody | None = None):
    found = booking_for(partner=request.octo_partner, uuid=uuid)
    return _answer(request, octo_cancel(booking=found, reason=_body(body).get("reason")))


@api.delete("/bookings/{uuid}", **BOOKING, summary="Cancel a booking (as POST …/cancel)")
def delete(request, uuid: str, body: CancelBody | None = None):
    return cancel(request, uuid, body)


@api.get("/vouchers/{token}", auth=None, include_in_schema=False, url_name="voucher")
def voucher(request, token: str):
    """The PDF voucher behind a booking's `voucher.deliveryOptions` link: signed, no key needed."""
    found = voucher_booking(token)
    if found is None:
        raise OctoError("BAD_REQUEST", "Unknown or cancelled voucher.")
    response = HttpResponse(trade_voucher_pdf(booking=found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="voucher-{found.code}.pdf"'
    return response
