"""The e-mails of partner bookings: the partner (its booker and billing address) and each operator of
the booking, for its own part only. Sent by a Celery task after the commit (receivers.py), rendered
in the recipient's language: the partner's from its country (German for DE/AT/CH, French for FR/BE/LU,
Italian for IT, English elsewhere), the operators' in the site's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.core.money import format_money
from marketplace.core.origin import public_url

from .models import TradeBooking, TradeBookingPart

COUNTRY_LANGUAGES = {"DE": "de", "AT": "de", "CH": "de", "FR": "fr", "BE": "fr", "LU": "fr", "IT": "it"}
PARTNER_EVENTS = {"confirmed", "pending", "pending_decided", "declined", "expired", "cancelled", "amended"}


def partner_language(partner) -> str:
    """The partner's language by its country, among those we have translations for (a site serving only
    Italian and English still writes to a Munich tour operator in German)."""
    return COUNTRY_LANGUAGES.get(partner.country, "en")


def _site_link(name: str, *args) -> str:
    try:
        return public_url(reverse(name, args=args))
    except NoReverseMatch:
        return settings.SITE_URL


def _summary(booking: TradeBooking) -> dict:
    when = booking.starts_on.strftime("%d/%m/%Y")
    if booking.start_time and booking.service_id:
        when += f" {booking.start_time:%H:%M}"
    party = booking.party or {}
    people = int(party.get("adults", 0)) + int(party.get("seniors", 0)) + len(party.get("children_ages", []))
    return {
        "code": booking.code,
        "product": str(booking.product),
        "when": when,
        "people": people + int(party.get("infants", 0)),
        "lead": f"{booking.lead_first_name} {booking.lead_last_name}",
        "reference": booking.partner_reference or "—",
        "partner": booking.partner.legal_name,
        "net": booking.net_amount,
        "fee": booking.cancellation_fee or 0,
        "site": settings.DMC_NAME,
    }


def _partner_text(booking: TradeBooking, event: str, values: dict) -> tuple[str, str]:
    # Amounts as the partner's language writes money: this runs inside its translation.override.
    values = {**values, "net": format_money(values["net"]), "fee": format_money(values["fee"])}
    subjects = {
        "confirmed": _("Booking %(code)s confirmed: %(product)s, %(when)s"),
        "pending_decided": _("Booking %(code)s confirmed by the operator: %(product)s, %(when)s"),
        "pending": _("Booking %(code)s received, waiting for the operator: %(product)s, %(when)s"),
        "declined": _("Booking %(code)s declined: %(product)s, %(when)s"),
        "expired": _("Booking %(code)s expired without an answer: %(product)s, %(when)s"),
        "cancelled": _("Booking %(code)s cancelled: %(product)s, %(when)s"),
        "amended": _("Booking %(code)s changed: %(product)s, %(when)s"),
    }
    lines = [
        _("Booking %(code)s (your reference %(reference)s) for %(lead)s, %(people)d travellers.") % values,
        _("Net amount on your account: %(net)s.") % values,
    ]
    if event == "pending":
        lines.append(
            _("This product is on request: the operator answers before %(deadline)s; the places are held until then.")
            % {"deadline": booking.decision_deadline.strftime("%d/%m/%Y %H:%M") if booking.decision_deadline else ""}
        )
    if event == "declined" and booking.decline_reason:
        lines.append(_("The operator's reason: %(reason)s") % {"reason": booking.decline_reason})
    if event == "cancelled":
        lines.append(_("Cancellation fee: %(fee)s.") % values)
    lines.append(_site_link("trade:booking-detail", booking.uuid))
    return subjects[event] % values, "\n\n".join(lines)


def trade_booking_notify(*, booking: TradeBooking, event: str) -> int:
    """Send the mails one booking change calls for; returns how many were sent."""
    values = _summary(booking)
    sent = 0
    if event in PARTNER_EVENTS:
        recipients = {booking.partner.billing_email}
        if booking.created_by_id and booking.created_by.email:
            recipients.add(booking.created_by.email)
        with translation.override(partner_language(booking.partner)):
            subject, body = _partner_text(booking, event, values)
            sent += send_mail(subject, body, None, sorted(r for r in recipients if r))
    parts = list(booking.parts.select_related("operator", "service"))
    operators = {p.operator_id: p.operator for p in parts}
    with translation.override(settings.LANGUAGE_CODE):
        for operator_id, operator in operators.items():
            mine = [p for p in parts if p.operator_id == operator_id]
            subject = _operator_subject(event, mine, values)
            if subject is None or not operator.email:
                continue
            lines = [
                _("Trade booking %(code)s of %(partner)s (their reference %(reference)s), lead traveller %(lead)s.")
                % values
            ]
            lines += [f"· {p.service.name}: {p.date:%d/%m/%Y}{_time(p)} × {p.places}" for p in mine]
            lines.append(_site_link("operator-area:home"))
            sent += send_mail(subject, "\n".join(lines), None, [operator.email])
    return sent


def _time(part: TradeBookingPart) -> str:
    return "" if part.all_day else f" {part.start_time:%H:%M}"


def _operator_subject(event: str, parts: list[TradeBookingPart], values: dict) -> str | None:
    waiting = any(p.decision == TradeBookingPart.Decision.WAITING for p in parts)
    if event == "pending" and waiting:
        return _("Please confirm or decline: trade booking %(code)s, %(when)s") % values
    if event in ("confirmed", "pending_decided"):
        return _("New trade booking %(code)s: %(when)s") % values
    if event == "cancelled":
        return _("Trade booking %(code)s cancelled: %(when)s") % values
    if event == "amended":
        return _("Trade booking %(code)s changed: %(when)s") % values
    return None
