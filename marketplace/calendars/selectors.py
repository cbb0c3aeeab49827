"""What the calendar feeds show, as FeedEvents, in a fixed number of queries whatever their number.

Public API:
    availability_events(*, partner, item, start, end, now=None) -> list[FeedEvent]
        one event per bookable slot (a service) or start day (a package) from `start` to `end`, with the
        places this partner can book and its net price for one adult: the partner grid's figures
        (marketplace.trade.selectors.trade_grid) and, for a service's departures, OCTO's
        (marketplace.octo.availability.service_availabilities). Nothing is priced or counted here.
    partner_booking_events(*, partner, since) -> list[FeedEvent]    the partner's trade bookings
    operator_booking_events(*, operator, since) -> list[FeedEvent]  every booking of the operator's places
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.core.money import format_money
from marketplace.core.origin import public_url
from marketplace.octo.availability import service_availabilities
from marketplace.trade.contracts import contract_covers
from marketplace.trade.models import Contract, TradeBooking, TradePartner
from marketplace.trade.operator_side import party_text
from marketplace.trade.selectors import GridFilters, trade_grid
from operators.channels import channel_waiting_requests
from operators.pricing import Party
from operators.selectors import operator_bookings
from packages.products import Bookable
from packages.selectors import DayStatus

from .ical import FeedEvent, uid_domain

ONE_ADULT = Party(adults=1)


def _euro(amount: Decimal) -> str:
    """The site's one money format (marketplace.core.money) in the feed's language."""
    return format_money(amount)


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _contracts_over(*, partner: TradePartner, item: Bookable, start: dt.date, end: dt.date) -> list[Contract]:
    """The partner's contracts covering `item` that overlap [start, end], by date (they never overlap
    each other on one product: contract_overlaps). One query, plus one per contract of chosen products."""
    if partner.status != TradePartner.Status.APPROVED:
        return []
    rows = partner.contracts.filter(valid_from__lte=end, valid_to__gte=start).order_by("valid_from", "pk")
    return [c for c in rows if contract_covers(contract=c, product=item)]


class _AvailabilityWords:
    """An availability event's summary and description, the words translated once per feed and each
    (places, net) pair written once: a year has ~730 events but few distinct pairs, and gettext per event
    cost more than the feed's queries (bench/bench_ical_feed.py)."""

    def __init__(self, item: Bookable):
        self.item = item
        self.free_sale = _("free sale")
        self.summary = _("%(product)s: %(places)s, %(net)s net")
        self.places_line = _("Places you can book: %(places)s")
        self.net_line = _("Your net price for one adult: %(net)s")
        self.product_line = _("Product: %(key)s") % {"key": item.key}
        self.memo: dict[tuple, tuple[str, str]] = {}

    def places(self, places: int | None) -> str:
        if places is None:
            return self.free_sale
        return ngettext("%(n)d place", "%(n)d places", places) % {"n": places}

    def __call__(self, places: int | None, net: Decimal) -> tuple[str, str]:
        key = (places, net)
        if key not in self.memo:
            words, euro = self.places(places), _euro(net)
            summary = self.summary % {"product": self.item.title, "places": words, "net": euro}
            description = "\n".join(
                [self.places_line % {"places": words}, self.net_line % {"net": euro}, self.product_line]
            )
            self.memo[key] = (summary, description)
        return self.memo[key]


def availability_events(
    *, partner: TradePartner, item: Bookable, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> list[FeedEvent]:
    """Bookable slots (services) or start days (packages) for this partner from `start` to `end`, each
    under the contract in force that day. Sold-out, closed and unpriced ones are left out: the feed says
    when the partner can book, and how many places at what net price.

    Per contract: the grid's queries (bookables_calendar's three, the net prices, the allotments) and,
    for a service, service_availabilities' (its slots, the partner's allotment holds)."""
    now = now or timezone.now()
    host = uid_domain()
    events: list[FeedEvent] = []
    words = _AvailabilityWords(item)
    for contract in _contracts_over(partner=partner, item=item, start=start, end=end):
        first, last = max(start, contract.valid_from), min(end, contract.valid_to)
        days = (last - first).days + 1
        row = trade_grid(
            partner=partner, contract=contract, start=first, days=days, party=ONE_ADULT, filters=GridFilters(),
            items=[item],
        )[0]  # fmt: skip
        net_by_day = {c.date: c.net for c in row.cells if c.status == DayStatus.AVAILABLE and c.net is not None}
        if item.service is not None:
            events += _service_events(item, partner, contract, first, last, net_by_day, host, now, words)
            continue
        duration = dt.timedelta(days=item.package.duration_days or 1)
        for cell in row.cells:
            net = net_by_day.get(cell.date)
            if net is None:
                continue
            general = cell.free if contract.general_sale else 0
            places = None if general is None else general + cell.allotment
            if places is not None and places < 1:
                continue
            summary, description = words(places, net)
            events.append(
                FeedEvent(
                    uid=f"availability-{item.key}-{cell.date:%Y%m%d}@{host}",
                    summary=summary,
                    description=description,
                    start=cell.date,
                    end=cell.date + duration,
                    transparent=True,
                )  # fmt: skip
            )
    return events


def _service_events(item, partner, contract, first, last, net_by_day, host, now, words) -> list[FeedEvent]:
    """A service's departures as OCTO's /availability sees them for this partner (its allotment's places
    plus the general sale's when the contract allows it), priced by the grid's net for that day."""
    out = []
    rows = service_availabilities(
        item=item, partner=partner, contract=contract, start=first, end=last, places=1, now=now
    )
    for row in rows:
        begins = dt.datetime.fromisoformat(row["localDateTimeStart"])
        net = net_by_day.get(begins.date())
        if not row["available"] or net is None:
            continue
        summary, description = words(row["vacancies"], net)
        if row["allDay"]:
            start, end = begins.date(), begins.date() + dt.timedelta(days=1)
        else:
            start, end = begins, dt.datetime.fromisoformat(row["localDateTimeEnd"])
        out.append(
            FeedEvent(
                uid=f"availability-{item.key}-{begins:%Y%m%dT%H%M}@{host}",
                summary=summary,
                description=description,
                start=start,
                end=end,
                transparent=True,
            )  # fmt: skip
        )
    return out


# --- bookings ----------------------------------------------------------------------------------------

PARTNER_STATUSES = {
    TradeBooking.Status.CONFIRMED: "CONFIRMED",
    TradeBooking.Status.PENDING: "TENTATIVE",
    TradeBooking.Status.ON_HOLD: "TENTATIVE",
    TradeBooking.Status.CANCELLED: "CANCELLED",
    TradeBooking.Status.DECLINED: "CANCELLED",
}  # EXPIRED is left out: an API reserve never confirmed was never a booking


def _booking_times(*, day: dt.date, start_time: dt.time | None, all_day: bool, minutes: int, days: int):
    if start_time is None or all_day:
        return day, day + dt.timedelta(days=max(days, 1))
    begins = _aware(day, start_time)
    return begins, begins + dt.timedelta(minutes=minutes or 60)


def partner_booking_events(*, partner: TradePartner, since: dt.date) -> list[FeedEvent]:
    """The partner's trade bookings travelling from `since` on, in one query. Cancelled and declined
    ones stay, as STATUS:CANCELLED (a calendar app then shows or drops them; a booking that silently
    vanished would look like a bug); expired API reserves are left out."""
    host = uid_domain()
    rows = (
        TradeBooking.objects.filter(partner=partner, starts_on__gte=since, status__in=list(PARTNER_STATUSES))
        .select_related("package", "service")
        .order_by("starts_on", "start_time", "pk")
    )
    events = []
    for booking in rows:
        product = booking.package or booking.service
        title = product.title if booking.package_id else product.name
        start, end = _booking_times(
            day=booking.starts_on,
            start_time=booking.start_time if booking.service_id else None,
            all_day=False,
            minutes=booking.service.duration_minutes if booking.service_id else 0,
            days=booking.package.duration_days if booking.package_id else 1,
        )
        lines = [
            _("Booking %(code)s: %(status)s") % {"code": booking.code, "status": booking.get_status_display()},
            _("Party: %(party)s") % {"party": party_text(booking.party)},
            _("Lead traveller: %(name)s") % {"name": f"{booking.lead_first_name} {booking.lead_last_name}".strip()},
        ]
        if booking.partner_reference:
            lines.append(_("Your reference: %(reference)s") % {"reference": booking.partner_reference})
        lines.append(_("Net: %(net)s") % {"net": _euro(booking.net_amount)})
        events.append(
            FeedEvent(
                uid=f"trade-booking-{booking.uuid}@{host}",
                summary=f"{booking.code} · {title} · {party_text(booking.party)}",
                description="\n".join(lines),
                start=start,
                end=end,
                status=PARTNER_STATUSES[booking.status],
                url=_page_url("trade:booking-detail", booking.uuid),
                last_modified=booking.updated_at,
            )
        )
    return events


def _page_url(name: str, *args) -> str:
    """A page of the portal or the operator area on the public origin, in the feed's language when the
    site serves it (the partner's language may be one the site does not serve: partner_language), else
    the site's default."""
    language = translation.get_language()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return public_url(reverse(name, args=args))


def _channel_of(reference: str) -> str:
    """Who took the places, from the capacity reference's prefix (operators.channels keys, the shop's
    order lines)."""
    prefix = reference.partition(":")[0]
    if prefix == "order-line":
        return _("Web shop")
    if prefix == "trade":
        return _("Trade partner")
    return prefix


def operator_booking_events(*, operator, since: dt.date) -> list[FeedEvent]:
    """Every booking of the operator's places from `since` on, whatever sold it: the reservations its
    Bookings tab lists (operators.selectors.operator_bookings: the shop's order lines and the trade
    channel's bookings alike, as the capacity service counts them), plus the on-request parts waiting
    for its answer (operators.channels, as STATUS:TENTATIVE). Two queries (one per channel provider
    more). Cancelled reservations stay as STATUS:CANCELLED."""
    host = uid_domain()
    bookings_url, requests_url = _page_url("operator-area:booking-list"), _page_url("operator-area:request-list")
    rows = (
        operator_bookings(operator=operator)
        .filter(slot__date__gte=since)
        .order_by("slot__date", "slot__start_time", "pk")
    )
    events = []
    for reservation in rows:
        slot, service = reservation.slot, reservation.slot.service
        start, end = _booking_times(
            day=slot.date,
            start_time=slot.start_time,
            all_day=slot.all_day,
            minutes=service.duration_minutes or 0,
            days=1,
        )
        places = ngettext("%(n)d place", "%(n)d places", reservation.quantity) % {"n": reservation.quantity}
        cancelled = reservation.status == reservation.Status.CANCELLED
        events.append(
            FeedEvent(
                uid=f"reservation-{reservation.pk}@{host}",
                summary=f"{service.name} · {places}",
                description="\n".join(
                    [
                        _("Sold by: %(channel)s") % {"channel": _channel_of(reservation.reference)},
                        _("Reference: %(reference)s") % {"reference": reservation.reference},
                        _("Status: %(status)s") % {"status": reservation.get_status_display()},
                    ]
                ),
                start=start,
                end=end,
                status="CANCELLED" if cancelled else "CONFIRMED",
                url=bookings_url,
                last_modified=reservation.cancelled_at or reservation.created_at,
            )
        )
    for channel, request in channel_waiting_requests(operator=operator):
        if request.date < since:
            continue
        start, end = _booking_times(
            day=request.date, start_time=request.start_time, all_day=request.all_day, minutes=60, days=1
        )
        places = ngettext("%(n)d place", "%(n)d places", request.places) % {"n": request.places}
        events.append(
            FeedEvent(
                uid=f"request-{channel}-{request.id}@{host}",
                summary=_("%(service)s · %(places)s (waiting for your answer)")
                % {"service": request.service_name, "places": places},  # fmt: skip
                description="\n".join(
                    [
                        _("Requested by: %(partner)s") % {"partner": request.partner},
                        _("Booking %(code)s: %(status)s")
                        % {"code": request.reference, "status": _("waiting for your answer")},
                        _("Party: %(party)s") % {"party": request.party},
                    ]
                ),
                start=start,
                end=end,
                status="TENTATIVE",
                url=requests_url,
            )
        )
    return events
