"""Bookings of every channel turned into fact rows (models.py says what each grain counts).

`facts_refresh_package_bookings` and `facts_refresh_trade_booking(s)` rewrite bookings' rows from their
source; receivers call them after each booking change, and `facts_rebuild` rewrites everything (the
nightly task) in batches of a few queries each. The rows are made per booking in Python (a booking has a
handful of parts), but no figure is ever computed here: figures.py aggregates the rows in SQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.core.money import money_round
from marketplace.trade.models import TradeBooking
from operators.models import ROME, Service, area_of
from operators.pricing import Party
from packages.models import PackageBooking

from .models import BookingDayFact, BookingFact, Channel, FactStatus, Source

ZERO = Decimal("0.00")
INFANT_MAX_AGE = 2  # the shop's default age band: children aged 0–2 are counted as infants
# Trade bookings that never held places (a lapsed API hold, a declined or expired request) are not counted.
TRADE_STATUS = {
    TradeBooking.Status.CONFIRMED: FactStatus.CONFIRMED,
    TradeBooking.Status.PENDING: FactStatus.PENDING,
    TradeBooking.Status.CANCELLED: FactStatus.CANCELLED,
}
TRADE_CHANNEL = {TradeBooking.Channel.PORTAL: Channel.PORTAL, TradeBooking.Channel.API: Channel.API}


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment, ROME).date() if moment else None


def party_counts(party: dict) -> tuple[int, int, int]:
    """(adults, children, infants) of a stored party; seniors are adults."""
    party = Party.from_dict(party or {})
    babies = sum(1 for age in party.children_ages if age <= INFANT_MAX_AGE)
    return party.adults + party.seniors, len(party.children_ages) - babies, party.infants + babies


def _owed(part) -> Decimal:
    """What the operator is owed for a part: its price less the DMC's commission, rounded as the
    operators' statements round it (PackageBookingPart.net), so the two never differ by a cent."""
    return part.amount - money_round(part.amount * part.commission_percent / 100)


def _days(fact: BookingFact, parts, guests: int) -> list[BookingDayFact]:
    """The booking's day rows with their first-in flags, in date order."""
    seen: dict[str, set] = {"area": set(), "municipality": set(), "operator": set(), "kind": set()}
    rows = []
    for part in sorted(parts, key=lambda p: (p.date, p.start_time, p.pk)):
        service = part.service
        operator = service.operator
        keys = {"area": area_of(operator.municipality), "municipality": operator.municipality,
                "operator": operator.pk, "kind": service.kind}  # fmt: skip
        firsts = {}
        for name, key in keys.items():
            firsts[f"first_in_{name}"] = key not in seen[name]
            seen[name].add(key)
        owed = _owed(part)
        is_night = service.kind == Service.Kind.ACCOMMODATION
        rows.append(
            BookingDayFact(
                booking=fact,
                channel=fact.channel,
                partner_id=fact.partner_id,
                package_id=fact.package_id,
                status=fact.status,
                booked_on=fact.booked_on,
                origin_country=fact.origin_country,
                operator_id=operator.pk,
                service_id=service.pk,
                kind=service.kind,
                municipality=operator.municipality,
                area=keys["area"],
                date=part.date,
                places=part.places,
                guests=guests,
                guest_nights=guests if is_night else 0,
                gross=part.amount,
                owed=owed,
                is_extra=part.is_extra,
                **firsts,
            )  # fmt: skip
        )
    return rows


def _write(*, source: str, source_id: int, fields: dict | None, parts=(), guests: int = 0) -> None:
    """Replace the booking's rows (or delete them when `fields` is None: not a counted booking)."""
    _write_many(source=source, rows=[(source_id, fields, parts, guests)])


def _write_many(*, source: str, rows: list[tuple[int, dict | None, list, int]]) -> None:
    """Replace the rows of many bookings of one source at once: (source_id, fields or None, parts, guests)
    each. Three queries for a batch whatever its size, so a rebuild costs a few queries per batch, not per
    booking (bulk_create returns the new facts' ids on PostgreSQL and SQLite)."""
    with transaction.atomic():
        BookingFact.objects.filter(source=source, source_id__in=[row[0] for row in rows]).delete()
        kept = [row for row in rows if row[1] is not None]
        facts = BookingFact.objects.bulk_create(
            [BookingFact(source=source, source_id=source_id, **fields) for source_id, fields, _p, _g in kept]
        )
        days = []
        for fact, (_id, _fields, parts, guests) in zip(facts, kept, strict=True):
            days += _days(fact, parts, guests)
        BookingDayFact.objects.bulk_create(days, batch_size=2000)


def _stay(parts) -> tuple[dt.date, dt.date, int]:
    dates = [part.date for part in parts]
    nights = sum(1 for part in parts if part.service.kind == Service.Kind.ACCOMMODATION)
    return min(dates), max(dates), nights


def _package_booking_fields(booking: PackageBooking, parts) -> dict:
    order = booking.order_line.order
    travellers = getattr(order, "travellers", None)
    booked_on = _local_day(order.date_placed)
    start, end, nights = _stay(parts) if parts else (booking.starts_on, booking.starts_on, 0)
    adults, children, infants = party_counts(booking.party)
    owed = sum((_owed(p) for p in parts), ZERO)
    cancelled = booking.status == PackageBooking.Status.CANCELLED
    retained = (
        booking.price - (booking.refund_amount or ZERO) if cancelled and booking.refund_amount is not None else ZERO
    )
    return {
        "channel": Channel.WEB, "partner": None, "package_id": booking.package_id,
        "service_id": booking.package.single_service_id,
        "status": FactStatus.CANCELLED if cancelled else FactStatus.CONFIRMED,
        "booked_on": booked_on, "cancelled_on": _local_day(booking.cancelled_at),
        "travel_start": start, "travel_end": end, "lead_days": max((start - booked_on).days, 0),
        "stay_nights": nights, "adults": adults, "children": children, "infants": infants,
        "origin_country": (travellers.country if travellers else "").upper(),
        "gross": booking.price, "trade_net": None, "owed": owed, "margin": booking.price - owed,
        "retained": max(retained, ZERO),
    }  # fmt: skip


def facts_refresh_package_bookings(booking_ids) -> None:
    """Rewrite the facts of these shop bookings (PackageBooking ids)."""
    bookings = (
        PackageBooking.objects.filter(pk__in=list(booking_ids))
        .select_related("order_line__order__travellers", "package")
        .prefetch_related("parts__service__operator")
    )
    rows = []
    for booking in bookings:
        parts = list(booking.parts.all())
        rows.append((booking.pk, _package_booking_fields(booking, parts), parts, sum(party_counts(booking.party))))
    found = {row[0] for row in rows}
    rows += [(booking_id, None, [], 0) for booking_id in set(booking_ids) - found]
    _write_many(source=Source.SHOP, rows=rows)


def _trade_booking_fields(booking: TradeBooking, parts) -> dict | None:
    status = TRADE_STATUS.get(booking.status)
    if status is None or not parts:
        return None
    booked_on = _local_day(booking.created_at)
    start, end, nights = _stay(parts)
    adults, children, infants = party_counts(booking.party)
    owed = sum((_owed(p) for p in parts), ZERO)
    return {
        "channel": TRADE_CHANNEL[booking.channel], "partner_id": booking.partner_id,
        "package_id": booking.package_id, "service_id": booking.service_id, "status": status,
        "booked_on": booked_on, "cancelled_on": _local_day(booking.cancelled_at),
        "travel_start": start, "travel_end": end, "lead_days": max((start - booked_on).days, 0),
        "stay_nights": nights, "adults": adults, "children": children, "infants": infants,
        "origin_country": (booking.guest_country or booking.partner.country or "").upper(),
        "gross": booking.retail_amount, "trade_net": booking.net_amount, "owed": owed,
        "margin": booking.net_amount - owed,
        "retained": booking.cancellation_fee or ZERO if status == FactStatus.CANCELLED else ZERO,
    }  # fmt: skip


def facts_refresh_trade_booking(booking_id: int) -> None:
    """Rewrite the facts of one trade booking (portal or API)."""
    facts_refresh_trade_bookings([booking_id])


def facts_refresh_trade_bookings(booking_ids) -> None:
    """Rewrite the facts of these trade bookings (TradeBooking ids; a missing one loses its facts)."""
    booking_ids = list(booking_ids)
    bookings = (
        TradeBooking.objects.filter(pk__in=booking_ids).select_related("partner")
        .prefetch_related("parts__service__operator")
    )  # fmt: skip
    rows = []
    for booking in bookings:
        parts = list(booking.parts.all())
        rows.append((booking.pk, _trade_booking_fields(booking, parts), parts, sum(party_counts(booking.party))))
    found = {row[0] for row in rows}
    rows += [(booking_id, None, [], 0) for booking_id in set(booking_ids) - found]
    _write_many(source=Source.TRADE, rows=rows)


def facts_rebuild(batch: int = 500) -> int:
    """Rewrite every booking's facts; returns how many bookings are counted."""
    ids = list(PackageBooking.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        facts_refresh_package_bookings(ids[start : start + batch])
    BookingFact.objects.filter(source=Source.SHOP).exclude(source_id__in=ids).delete()
    trade_ids = list(TradeBooking.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(trade_ids), batch):
        facts_refresh_trade_bookings(trade_ids[start : start + batch])
    BookingFact.objects.filter(source=Source.TRADE).exclude(source_id__in=trade_ids).delete()
    return BookingFact.objects.count()
