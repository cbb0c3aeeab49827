"""What operators see of the trade channel, plugged into operators.channels (registered in
TradeConfig.ready): partner bookings of their services for the bookings page and the monthly
statement, on-request parts waiting for their answer (decided by trade_part_decide), and the places
partners' allotments hold on their slots (calendar). The operator area never imports this module.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from operators.channels import (
    BookingState,
    ChannelNotFound,
    ChannelPart,
    ChannelProvider,
    ChannelRefused,
    ChannelRequest,
    CheckInOutcome,
    HeldPlaces,
    OperatorBooking,
    extras_by_booking,
    part_fields,
)
from operators.checkin import parts_check_in
from operators.models import Hold
from operators.pricing import Party

from .bookings import TradeRefused, trade_part_decide
from .models import Allotment, TradeBooking, TradeBookingPart

Status = TradeBooking.Status
Decision = TradeBookingPart.Decision


def party_text(data: dict) -> str:
    """ "2 adults, 1 child, 1 infant" for the operator's list."""
    party = Party.from_dict(data or {})
    words = []
    adults = party.adults + party.seniors
    if adults:
        words.append(ngettext("%(n)d adult", "%(n)d adults", adults) % {"n": adults})
    if party.children_ages:
        n = len(party.children_ages)
        words.append(ngettext("%(n)d child", "%(n)d children", n) % {"n": n})
    if party.infants:
        words.append(ngettext("%(n)d infant", "%(n)d infants", party.infants) % {"n": party.infants})
    return ", ".join(words)


def channel_name(partner) -> str:
    return _("Trade: %(partner)s") % {"partner": partner.legal_name}


STATES = {
    Status.CONFIRMED: BookingState.BOOKED,
    Status.PENDING: BookingState.WAITING,
    Status.CANCELLED: BookingState.CANCELLED,
    Status.DECLINED: BookingState.CANCELLED,
}  # ON_HOLD (an API reserve not yet confirmed) and EXPIRED are no bookings for the operator


class TradeOperatorSide(ChannelProvider):
    key = "trade"
    voucher_kind = "trade"  # marketplace/trade/documents.py: "<DMC>|trade|<booking code>"

    def booking_parts(self, *, operator, start: dt.date, end: dt.date) -> list[ChannelPart]:
        """Parts of CONFIRMED partner bookings (and of CANCELLED ones, flagged) dated in [start, end]."""
        parts = (
            TradeBookingPart.objects.filter(
                operator=operator,
                date__gte=start,
                date__lte=end,
                booking__status__in=[Status.CONFIRMED, Status.CANCELLED],
            )
            .select_related("service", "booking", "booking__partner", "booking__package", "booking__service")
            .order_by("date", "start_time", "pk")
        )
        return [
            ChannelPart(
                channel=channel_name(part.booking.partner),
                reference=part.booking.code,
                partner_reference=part.booking.partner_reference,
                product=str(part.booking.package.title if part.booking.package_id else part.booking.service.name),
                service_name=part.service.name,
                date=part.date,
                start_time=part.start_time,
                all_day=part.all_day,
                places=part.places,
                amount=part.amount,
                commission_percent=part.commission_percent,
                is_extra=part.is_extra,
                cancelled=part.booking.status == Status.CANCELLED,
            )
            for part in parts
        ]

    def _waiting(self, operator):
        return TradeBookingPart.objects.filter(
            operator=operator, decision=Decision.WAITING, booking__status=Status.PENDING
        )

    def waiting_requests(self, *, operator) -> list[ChannelRequest]:
        parts = (
            self._waiting(operator)
            .select_related("service", "booking", "booking__partner", "booking__package", "booking__service")
            .order_by("date", "start_time", "pk")
        )
        return [
            ChannelRequest(
                id=part.pk,
                partner=part.booking.partner.legal_name,
                partner_reference=part.booking.partner_reference,
                reference=part.booking.code,
                product=str(part.booking.package.title if part.booking.package_id else part.booking.service.name),
                service_name=part.service.name,
                date=part.date,
                start_time=part.start_time,
                all_day=part.all_day,
                party=party_text(part.booking.party),
                places=part.places,
                deadline=part.booking.decision_deadline,
            )
            for part in parts
        ]

    def waiting_count(self, *, operator) -> int:
        return self._waiting(operator).count()

    def decide(self, *, operator, request_id: int, confirm: bool, reason: str = "", by=None) -> None:
        part = (
            TradeBookingPart.objects.filter(pk=request_id, operator=operator, decision=Decision.WAITING)
            .select_related("booking")
            .first()
        )
        if part is None:
            raise ChannelNotFound
        try:
            trade_part_decide(booking=part.booking, operator=operator, confirm=confirm, reason=reason, by=by)
        except TradeRefused as exc:
            raise ChannelRefused(exc.message) from exc

    def held_places(self, *, slot_ids, now: dt.datetime | None = None) -> dict[int, list[HeldPlaces]]:
        """Live allotment holds on these slots with their partner, in one query (plus one for names)."""
        now = now or timezone.now()
        rows = (
            Hold.objects.filter(
                slot_id__in=list(slot_ids),
                reference__startswith="allotment:",
                status=Hold.Status.ACTIVE,
                expires_at__gt=now,
            )
            .values("slot_id", "reference")
            .annotate(n=Sum("quantity"))
            .order_by("slot_id", "reference")
        )
        rows = [r for r in rows if r["n"]]
        ids = {int(r["reference"].split(":", 1)[1]) for r in rows if r["reference"].split(":", 1)[1].isdigit()}
        allotments = {
            a.pk: a for a in Allotment.objects.filter(pk__in=ids).select_related("contract__partner")
        } if ids else {}  # fmt: skip
        result: dict[int, list[HeldPlaces]] = defaultdict(list)
        for row in rows:
            raw = row["reference"].split(":", 1)[1]
            allotment = allotments.get(int(raw)) if raw.isdigit() else None
            if allotment is None:
                continue
            result[row["slot_id"]].append(
                HeldPlaces(
                    slot_id=row["slot_id"],
                    places=row["n"],
                    holder=allotment.contract.partner.legal_name,
                    kind="allotment",
                    release_days=allotment.release_days,
                )
            )
        return dict(result)

    def _rows(self, parts) -> list[OperatorBooking]:
        """OperatorBooking rows of trade parts (a partner's portal booking or its API's), one query."""
        parts = list(
            parts.select_related(
                "service", "booking", "booking__partner", "booking__package", "booking__service", "redeemed_by"
            )  # fmt: skip
        )
        extras = extras_by_booking(parts)
        rows = []
        for part in parts:
            booking = part.booking
            api = booking.channel == TradeBooking.Channel.API
            partner = booking.partner.legal_name
            rows.append(
                OperatorBooking(
                    channel_key=self.key,
                    via="api" if api else "partner",
                    channel=_("%(partner)s (API)") % {"partner": partner} if api else partner,
                    reference=booking.code,
                    partner_reference=booking.partner_reference,
                    guest=f"{booking.lead_first_name} {booking.lead_last_name}".strip(),
                    phone=booking.lead_phone,
                    product=str(booking.package.title if booking.package_id else booking.service.name),
                    state=STATES[booking.status],
                    notes=booking.notes,
                    **part_fields(part, party=booking.party, extras=extras),
                )
            )
        return rows

    def bookings(self, *, operator, start: dt.date, end: dt.date) -> list[OperatorBooking]:
        return self._rows(
            TradeBookingPart.objects.filter(
                operator=operator, date__gte=start, date__lte=end, booking__status__in=list(STATES)
            )  # fmt: skip
        )

    def check_in(self, *, operator, code: str, on: dt.date, by, now: dt.datetime) -> CheckInOutcome | None:
        booking = TradeBooking.objects.filter(code=code.upper(), status__in=list(STATES)).only("pk", "status").first()
        if booking is None:
            return None
        return parts_check_in(
            parts=TradeBookingPart.objects.filter(booking=booking), operator=operator, on=on, by=by, now=now,
            active=booking.status == Status.CONFIRMED, reference=booking.code,
            rows=lambda pks: tuple(self._rows(TradeBookingPart.objects.filter(pk__in=pks))),
        )  # fmt: skip
