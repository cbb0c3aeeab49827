"""OCTO bookings, translated to the trade channel's bookings and back.

Every OCTO booking is a `marketplace.trade` TradeBooking of the key's partner: reserve is `trade_book`
with a hold (ON_HOLD, `expirationMinutes`), confirm is `trade_confirm` (CONFIRMED, or PENDING for a
product on request), PATCH is `trade_amend`, extend `trade_extend`, cancel `trade_cancel`. Prices,
places, allotments, credit limits and cancellation fees are theirs; what OCTO says that our booking
has no words for (the reseller's unit items, the contact's extra fields, a cancellation reason, test
mode) is kept beside it in `ApiBooking`.

Public API:
    booking_for(*, partner, uuid) -> TradeBooking | None
    bookings_find(*, partner, filters) -> list[TradeBooking]
    octo_reserve(*, key, body) / octo_confirm(*, booking, body) / octo_update(*, booking, body)
    octo_extend(*, booking, minutes) / octo_cancel(*, booking, reason)
    booking_json(booking, capabilities, *, availabilities=None, now=None) -> dict   an OCTO Booking
    bookings_json(bookings, capabilities) -> list[dict]   many, in queries per product, not per booking
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections import defaultdict

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.core.origin import public_url
from marketplace.trade.bookings import (
    TradeRefused,
    TradeRequest,
    booking_bookable,
    trade_amend,
    trade_book,
    trade_cancel,
    trade_confirm,
    trade_extend,
)
from marketplace.trade.models import TradeBooking, TradePartner
from operators.models import Slot
from operators.pricing import Party
from packages.products import Bookable

from .availability import (
    availability_id,
    parse_availability_id,
    party_from_units,
    price_json,
    product_availabilities,
    utc,
)
from .errors import OctoError
from .models import ApiBooking, ApiKey
from .products import CAPABILITY_PRICING, DEFAULT_OPTION, partner_bookable, units_json

Status = TradeBooking.Status
ACTIVE = (Status.ON_HOLD, Status.PENDING, Status.CONFIRMED)
OCTO_STATUS = {
    Status.ON_HOLD: "ON_HOLD",
    Status.PENDING: "PENDING",
    Status.CONFIRMED: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
    Status.DECLINED: "CANCELLED",  # OCTO has no DECLINED: the supplier cancelled it
    Status.EXPIRED: "EXPIRED",
}
MAX_HOLD_MINUTES = 24 * 60
VOUCHER_SALT = "octo-voucher"
CONTACT_EXTRAS = ("locales", "postalCode", "country", "notes")


def hold_minutes(value: int | None) -> int:
    """expirationMinutes: the site's default (OCTO_HOLD_MINUTES) when absent, at most a day."""
    minutes = value if value is not None else settings.OCTO_HOLD_MINUTES
    if not 1 <= minutes <= MAX_HOLD_MINUTES:
        raise OctoError("BAD_REQUEST", f"expirationMinutes must be between 1 and {MAX_HOLD_MINUTES}.")
    return minutes


def booking_for(*, partner: TradePartner, uuid: str) -> TradeBooking:
    """The partner's booking with this uuid, else INVALID_BOOKING_UUID — another partner's booking
    answers exactly like one that does not exist."""
    try:
        value = uuidlib.UUID(str(uuid))
    except ValueError:
        value = None
    booking = (
        TradeBooking.objects.filter(partner=partner, uuid=value)
        .select_related(*_RELATED)
        .prefetch_related("parts")
        .first()
        if value
        else None
    )
    if booking is None:
        raise OctoError("INVALID_BOOKING_UUID", f"Unknown booking {uuid!r}.", uuid=str(uuid))
    return booking


_RELATED = ("package", "service", "service__operator", "contract", "partner", "api")


def bookings_find(*, partner: TradePartner, filters: dict, limit: int = 500) -> list[TradeBooking]:
    """GET /bookings: the partner's bookings by resellerReference, supplierReference, localDate or
    localDateStart+localDateEnd (at least one), optionally productId and optionId."""
    qs = TradeBooking.objects.filter(partner=partner)
    given = False
    if filters.get("resellerReference"):
        qs, given = qs.filter(partner_reference=filters["resellerReference"]), True
    if filters.get("supplierReference"):
        qs, given = qs.filter(code=filters["supplierReference"].upper()), True
    if filters.get("localDate"):
        qs, given = qs.filter(starts_on=filters["localDate"]), True
    start, end = filters.get("localDateStart"), filters.get("localDateEnd")
    if start or end:
        if not (start and end):
            raise OctoError("BAD_REQUEST", "Give both localDateStart and localDateEnd.")
        qs, given = qs.filter(starts_on__range=(start, end)), True
    if not given:
        raise OctoError(
            "BAD_REQUEST", "Give resellerReference, supplierReference, localDate or localDateStart and localDateEnd."
        )
    product_id = filters.get("productId")
    if product_id:
        kind, _sep, raw = product_id.partition("-")
        if kind not in ("package", "service") or not raw.isdigit() or len(raw) > 18:
            raise OctoError("INVALID_PRODUCT_ID", f"Unknown product {product_id!r}.", productId=product_id)
        qs = qs.filter(**{f"{kind}_id": int(raw)})
    if filters.get("optionId") and filters["optionId"] != DEFAULT_OPTION:
        return []
    return list(
        qs.select_related(*_RELATED).prefetch_related("parts").order_by("starts_on", "start_time", "created_at")[:limit]
    )


# --- requests -> our services ---------------------------------------------------------------------------


def _refused(exc: TradeRefused, **fields) -> OctoError:
    if exc.code == "not_covered":
        return OctoError("INVALID_PRODUCT_ID", exc.message, **fields)
    if exc.code == "partner_inactive":
        return OctoError("FORBIDDEN", exc.message, status=403)
    return OctoError("UNPROCESSABLE_ENTITY", exc.message)


def _product(partner: TradePartner, product_id: str, option_id: str) -> Bookable:
    item = partner_bookable(partner=partner, product_id=product_id)
    if item is None:
        raise OctoError("INVALID_PRODUCT_ID", f"Unknown product {product_id!r}.", productId=product_id)
    if option_id != DEFAULT_OPTION:
        raise OctoError("INVALID_OPTION_ID", f"Unknown option {option_id!r}.", optionId=option_id)
    return item


def _departure(item: Bookable, availability: str | None) -> tuple[dt.date, dt.time | None]:
    """The day and start time an availability id names, checked against the product's slots (a
    service) or days (a package): INVALID_AVAILABILITY_ID when it names nothing we sell."""
    if not availability:
        raise OctoError("BAD_REQUEST", "availabilityId is required (see POST /availability).")
    try:
        day, start = parse_availability_id(availability)
    except ValueError as exc:
        raise OctoError(
            "INVALID_AVAILABILITY_ID", f"Unknown availability {availability!r}.", availabilityId=availability
        ) from exc
    if item.service is not None:
        slots = Slot.objects.filter(service=item.service, date=day)
        exists = slots.filter(all_day=True).exists() if start is None else slots.filter(start_time=start).exists()
    else:
        exists = start is None
    if not exists:
        raise OctoError(
            "INVALID_AVAILABILITY_ID", f"Unknown availability {availability!r}.", availabilityId=availability
        )
    return day, start


def _unit_items(item: Bookable, raw: list[dict]) -> tuple[Party, list[dict]]:
    """OCTO unit items -> our party and the items to keep (each with a uuid: the reseller's or a new
    one; OCTO's PATCH keeps an item by sending its uuid back)."""
    if not raw:
        raise OctoError("BAD_REQUEST", "unitItems: at least one unit is needed.")
    known = {u["id"] for u in units_json(item=item)}
    for unit in raw:
        if unit["unitId"] not in known:
            raise OctoError("INVALID_UNIT_ID", f"Unknown unit {unit['unitId']!r}.", unitId=unit["unitId"])
    counts: dict[str, int] = defaultdict(int)
    for unit in raw:
        counts[unit["unitId"]] += 1
    party = party_from_units(item=item, units=list(counts.items()))
    items = [
        {
            "uuid": str(unit.get("uuid") or uuidlib.uuid4()),
            "unitId": unit["unitId"],
            "resellerReference": unit.get("resellerReference") or None,
            "contact": _clean_contact(unit.get("contact") or {}),
        }
        for unit in raw
    ]
    return party, items


def _clean_contact(contact: dict) -> dict:
    return {k: v for k, v in contact.items() if v not in (None, "", [])}


def _names(contact: dict) -> tuple[str | None, str | None]:
    """First and last name from OCTO's contact: the fields, or a full name split at its last space."""
    first, last = contact.get("firstName"), contact.get("lastName")
    full = (contact.get("fullName") or "").strip()
    if full and not (first or last):
        first, _sep, last = full.rpartition(" ") if " " in full else (full, "", "")
    return first, last


def _details(contact: dict | None, reseller_reference: str | None, notes: str | None) -> dict:
    """The trade booking's fields an OCTO contact, reference and notes set (None: unchanged)."""
    contact = contact or {}
    first, last = _names(contact)
    return {
        "lead_first_name": first,
        "lead_last_name": last,
        "lead_email": contact.get("emailAddress"),
        "lead_phone": contact.get("phoneNumber"),
        "guest_country": contact.get("country"),  # ISO 3166-1 alpha-2, checked by the API's schema
        "partner_reference": reseller_reference,
        "notes": notes,
    }


def _travellers(items: list[dict]) -> list[str] | None:
    names = [" ".join(n for n in _names(i.get("contact") or {}) if n) for i in items]
    return [n for n in names if n] or None


def _api_update(booking: TradeBooking, *, items=None, contact=None, reason=None) -> None:
    api, _created = ApiBooking.objects.get_or_create(booking=booking)
    if items is not None:
        api.unit_items = items
    if contact:
        api.contact = {**api.contact, **{k: contact[k] for k in CONTACT_EXTRAS if contact.get(k) not in (None, "")}}
    if reason is not None:
        api.cancellation_reason = reason
    api.save()


def octo_reserve(*, key: ApiKey, body: dict, now: dt.datetime | None = None) -> TradeBooking:
    """POST /bookings: an ON_HOLD booking taking all its units or none. With `uuid`, a retry answers
    the booking the first call made."""
    partner = key.partner
    if body.get("uuid"):
        existing = TradeBooking.objects.filter(partner=partner, uuid=body["uuid"]).first()
        if existing is not None:
            return existing
    item = _product(partner, body["productId"], body["optionId"])
    day, start = _departure(item, body.get("availabilityId"))
    party, items = _unit_items(item, body.get("unitItems") or [])
    minutes = hold_minutes(body.get("expirationMinutes"))
    contact = _clean_contact(body.get("contact") or {})
    details = _details(contact, body.get("resellerReference"), body.get("notes"))
    request = TradeRequest(
        product=item,
        on=day,
        party=party,
        start_time=start,
        lead_first_name=details["lead_first_name"] or "",
        lead_last_name=details["lead_last_name"] or "",
        lead_email=details["lead_email"] or "",
        lead_phone=details["lead_phone"] or "",
        travellers=tuple(_travellers(items) or ()),
        partner_reference=details["partner_reference"] or "",
        notes=details["notes"] or "",
        guest_country=details["guest_country"] or "",
    )
    try:
        with transaction.atomic():
            booking = trade_book(
                partner=partner,
                user=None,
                request=request,
                channel=TradeBooking.Channel.API,
                hold_minutes=minutes,
                uuid=body.get("uuid"),
                now=now,
            )
            if not hasattr(booking, "api"):
                ApiBooking.objects.create(
                    booking=booking, api_key=key, test_mode=key.test_mode, unit_items=items, contact=contact
                )
    except TradeRefused as exc:
        raise _refused(exc, productId=body["productId"]) from exc
    return booking


def octo_confirm(*, booking: TradeBooking, body: dict, now: dt.datetime | None = None) -> TradeBooking:
    """POST /bookings/{uuid}/confirm: the contact (and new unit items, which may change the party)
    then the confirmation, all or nothing. A confirmed booking confirmed again is answered as it is."""
    if booking.status in (Status.CONFIRMED, Status.PENDING):
        return booking
    contact = _clean_contact(body.get("contact") or {})
    details = _details(contact, body.get("resellerReference"), body.get("notes"))
    try:
        with transaction.atomic():
            items = None
            if body.get("unitItems"):
                booking = _reshape(booking, body)
                items = booking.api.unit_items
            booking = trade_confirm(
                booking=booking, details=details, travellers=_travellers(items) if items else None, now=now
            )
            _api_update(booking, contact=contact)
    except TradeRefused as exc:
        raise _refused(exc) from exc
    return booking


def _reshape(booking: TradeBooking, body: dict, now=None) -> TradeBooking:
    """Within a transaction: move the booking to the product, availability and units the body names
    (each defaulting to the booking's own)."""
    product_id = body.get("productId") or booking_product_id(booking)
    item = _product(booking.partner, product_id, body.get("optionId") or DEFAULT_OPTION)
    if body.get("availabilityId") or product_id != booking_product_id(booking):
        booked = availability_id(day=booking.starts_on, start=booking.start_time)
        day, start = _departure(item, body.get("availabilityId") or booked)
    else:
        day, start = booking.starts_on, booking.start_time
    if body.get("unitItems"):
        party, items = _unit_items(item, body["unitItems"])
    else:
        party, items = Party.from_dict(booking.party), None
    contact = _clean_contact(body.get("contact") or {})
    details = _details(contact, body.get("resellerReference"), body.get("notes"))
    booking = trade_amend(
        booking=booking,
        party=party,
        product=item,
        on=day,
        start_time=start,
        travellers=_travellers(items) if items else None,
        now=now,
        **details,
    )
    _api_update(booking, items=items, contact=contact)
    return booking


def octo_update(*, booking: TradeBooking, body: dict, now: dt.datetime | None = None) -> TradeBooking:
    """PATCH /bookings/{uuid}: replace the unit items, the contact and notes, move to another
    availability or product, echo resellerReference; an ON_HOLD booking's hold may be renewed with
    expirationMinutes. All or nothing."""
    try:
        with transaction.atomic():
            booking = _reshape(booking, body, now=now)
            if body.get("expirationMinutes") is not None and booking.status == Status.ON_HOLD:
                booking = trade_extend(booking=booking, minutes=hold_minutes(body["expirationMinutes"]), now=now)
    except TradeRefused as exc:
        raise _refused(exc, productId=body.get("productId")) from exc
    return booking


def octo_extend(*, booking: TradeBooking, minutes: int | None, now: dt.datetime | None = None) -> TradeBooking:
    try:
        return trade_extend(booking=booking, minutes=hold_minutes(minutes), now=now)
    except TradeRefused as exc:
        raise _refused(exc) from exc


def booking_cancellable(booking: TradeBooking, now: dt.datetime | None = None) -> bool:
    """Active (a hold not yet lapsed) and not yet begun: after that the travellers have gone."""
    now = now or timezone.now()
    if booking.status not in ACTIVE:
        return False
    if booking.status == Status.ON_HOLD and booking.hold_expires_at and booking.hold_expires_at <= now:
        return False
    return booking.starts_on >= timezone.localtime(now).date()


def octo_cancel(*, booking: TradeBooking, reason: str | None, now: dt.datetime | None = None) -> TradeBooking:
    """POST /bookings/{uuid}/cancel (and DELETE): cancelled under the contract's policy; a cancelled
    booking cancelled again is answered as it is."""
    if booking.status == Status.CANCELLED:
        return booking
    if not booking_cancellable(booking, now):
        raise OctoError("UNPROCESSABLE_ENTITY", "This booking can no longer be cancelled.")
    try:
        with transaction.atomic():
            booking = trade_cancel(booking=booking, now=now)
            _api_update(booking, reason=(reason or "").strip())
    except TradeRefused as exc:
        raise _refused(exc) from exc
    return booking


# --- our bookings -> OCTO ---------------------------------------------------------------------------------


def booking_product_id(booking: TradeBooking) -> str:
    return f"package-{booking.package_id}" if booking.package_id else f"service-{booking.service_id}"


def redeemed_at(booking: TradeBooking) -> dt.datetime | None:
    """When the last of a confirmed booking's parts was checked in at its operator (operators.checkin),
    or None while any part is not: OCTO's REDEEMED means the whole booking was used."""
    if booking.status != Status.CONFIRMED:
        return None
    times = [part.redeemed_at for part in booking.parts.all()]
    if not times or any(t is None for t in times):
        return None
    return max(times)


def _status(booking: TradeBooking, now: dt.datetime) -> str:
    """OCTO's status; a hold past its time reads EXPIRED even before the expiry task has run; a
    confirmed booking whose every part was checked in reads REDEEMED."""
    if booking.status == Status.ON_HOLD and booking.hold_expires_at and booking.hold_expires_at <= now:
        return "EXPIRED"
    if redeemed_at(booking) is not None:
        return "REDEEMED"
    return OCTO_STATUS[booking.status]


def _contact(contact: dict, *, first: str = "", last: str = "", email: str = "", phone: str = "") -> dict:
    """A whole OCTO Contact, null where unknown."""
    first = first or contact.get("firstName") or ""
    last = last or contact.get("lastName") or ""
    return {
        "fullName": " ".join(n for n in (first, last) if n) or contact.get("fullName") or None,
        "firstName": first or None,
        "lastName": last or None,
        "emailAddress": email or contact.get("emailAddress") or None,
        "phoneNumber": phone or contact.get("phoneNumber") or None,
        "locales": list(contact.get("locales") or []),
        "postalCode": contact.get("postalCode") or None,
        "country": contact.get("country") or None,
        "notes": contact.get("notes") or None,
    }


def _party_unit_ids(booking: TradeBooking, per_unit: bool) -> list[str]:
    party = Party.from_dict(booking.party)
    if per_unit:
        return ["unit"] * party.adults
    return (
        ["adult"] * party.adults
        + ["child"] * len(party.children_ages)
        + ["infant"] * party.infants
        + ["senior"] * party.seniors
    )


def _unit_items_json(booking: TradeBooking, status: str, per_unit: bool, redeemed: str | None = None) -> list[dict]:
    """The reseller's unit items as it sent them, or (a booking made in the portal, or a party changed
    there since) one per traveller with uuids derived from the booking's: stable across reads."""
    api = getattr(booking, "api", None)
    expected = _party_unit_ids(booking, per_unit)
    stored = api.unit_items if api is not None else []
    if sorted(u["unitId"] for u in stored) != sorted(expected):
        stored = [
            {"uuid": str(uuidlib.uuid5(booking.uuid, f"{unit}-{n}")), "unitId": unit, "resellerReference": None}
            for n, unit in enumerate(expected)
        ]
    return [
        {
            "uuid": unit["uuid"],
            "resellerReference": unit.get("resellerReference"),
            "supplierReference": f"{booking.code}-{n + 1}",
            "unitId": unit["unitId"],
            "status": status,
            "utcRedeemedAt": redeemed,
            "contact": _contact(unit.get("contact") or {}),
            "ticket": None,
        }
        for n, unit in enumerate(stored)
    ]


def voucher_url(booking: TradeBooking) -> str:
    """A link to the booking's PDF voucher that works without a login (resellers pass it on to their
    customers): signed, so it cannot be guessed from the uuid."""
    token = signing.dumps(str(booking.uuid), salt=VOUCHER_SALT)
    return public_url(reverse("octo:voucher", kwargs={"token": token}))


def voucher_booking(token: str) -> TradeBooking | None:
    try:
        value = signing.loads(token, salt=VOUCHER_SALT)
    except signing.BadSignature:
        return None
    return TradeBooking.objects.filter(uuid=value, status=Status.CONFIRMED).select_related(*_RELATED[:-1]).first()


def _cancellation(booking: TradeBooking, api: ApiBooking | None) -> dict | None:
    if booking.status == Status.DECLINED:
        return {"refund": "FULL", "reason": booking.decline_reason or "Declined by the supplier.",
                "utcCancelledAt": utc(booking.updated_at)}  # fmt: skip
    if booking.status != Status.CANCELLED:
        return None
    fee = booking.cancellation_fee or 0
    refund = "FULL" if not fee else ("NONE" if fee >= booking.net_amount else "PARTIAL")
    reason = api.cancellation_reason if api is not None and api.cancellation_reason else None
    return {"refund": refund, "reason": reason, "utcCancelledAt": utc(booking.cancelled_at or booking.updated_at)}


def booking_availability(booking: TradeBooking, availabilities: dict | None = None) -> dict | None:
    """The booked departure's Availability, from `availabilities` (bookings_json's, by product and id)
    or computed for this booking alone."""
    key = availability_id(day=booking.starts_on, start=booking.start_time)
    if availabilities is None:
        availabilities = _availabilities([booking])
    return availabilities.get((booking_product_id(booking), key))


def _availabilities(bookings: list[TradeBooking]) -> dict[tuple[str, str], dict]:
    """Availability objects of the bookings' departures, one calendar read per product and contract."""
    groups: dict[tuple[str, int], list[TradeBooking]] = defaultdict(list)
    for booking in bookings:
        groups[(booking_product_id(booking), booking.contract_id)].append(booking)
    out = {}
    for (product_id, _contract), group in groups.items():
        first = group[0]
        item = booking_bookable(first)
        days = [b.starts_on for b in group]
        rows = product_availabilities(
            item=item,
            partner=first.partner,
            contract=first.contract,
            start=min(days),
            end=max(days),
            party=Party(adults=1),
        )
        out.update({(product_id, row["id"]): row for row in rows})
    return out


def booking_json(
    booking: TradeBooking, capabilities: set[str], *, availabilities: dict | None = None, now=None
) -> dict:
    """The OCTO Booking of a trade booking: every field of the core type, `pricing` with octo/pricing
    (retail and the partner's net, in cents)."""
    now = now or timezone.now()
    api = getattr(booking, "api", None)
    item = booking_bookable(booking)
    status = _status(booking, now)
    redeemed = utc(redeemed_at(booking))
    per_unit = units_json(item=item)[0]["id"] == "unit"
    data = {
        "id": str(booking.uuid),
        "uuid": str(booking.uuid),
        "testMode": bool(api and api.test_mode),
        "resellerReference": booking.partner_reference or None,
        "supplierReference": booking.code,
        "status": status,
        "utcCreatedAt": utc(booking.created_at),
        "utcUpdatedAt": utc(booking.updated_at),
        "utcExpiresAt": utc(booking.hold_expires_at) if booking.status == Status.ON_HOLD else None,
        "utcRedeemedAt": redeemed,
        "utcConfirmedAt": utc(booking.confirmed_at),
        "productId": item.key,
        "optionId": DEFAULT_OPTION,
        "cancellable": booking_cancellable(booking, now),
        "cancellation": _cancellation(booking, api),
        "freesale": False,
        "availabilityId": availability_id(day=booking.starts_on, start=booking.start_time),
        "availability": booking_availability(booking, availabilities),
        "contact": _contact(
            api.contact if api is not None else {},
            first=booking.lead_first_name,
            last=booking.lead_last_name,
            email=booking.lead_email,
            phone=booking.lead_phone,
        ),
        "notes": booking.notes or None,
        "deliveryMethods": ["VOUCHER"],
        "voucher": (
            {
                "redemptionMethod": "DIGITAL",
                "utcRedeemedAt": redeemed,
                "deliveryOptions": [{"deliveryFormat": "PDF_URL", "deliveryValue": voucher_url(booking)}],
            }
            if booking.status == Status.CONFIRMED
            else None
        ),
        "unitItems": _unit_items_json(booking, status, per_unit, redeemed),
    }
    if CAPABILITY_PRICING in capabilities:
        data["pricing"] = price_json(retail=booking.retail_amount, net=booking.net_amount)
    return data


def bookings_json(bookings: list[TradeBooking], capabilities: set[str]) -> list[dict]:
    availabilities = _availabilities(bookings) if bookings else {}
    now = timezone.now()
    return [booking_json(b, capabilities, availabilities=availabilities, now=now) for b in bookings]
