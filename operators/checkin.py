"""Check-in by voucher at the meeting point: the operator scans (or types) a voucher's code and its
parts of that booking for the day are marked used, once, with when and by whom.

A voucher's QR code reads "<DMC name>|<kind>|<code>" (packages/voucher.py: kind "order" and the order
number; marketplace/trade/documents.py: kind "trade" and the partner booking's code); a typed code is
the bare code. The channels own their bookings (operators reads nothing above it, DESIGN.md), so the
code goes to the provider whose `voucher_kind` the QR names, or to each provider in turn, and the
provider writes the check-in under a row lock. A code unknown everywhere and a booking of other
operators answer alike for the operator's eyes: nothing of somebody else's booking is told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .channels import CheckInOutcome, NotYours, channel_providers, user_label
from .models import Operator

MAX_CODE = 200


@dataclass(frozen=True)
class VoucherCode:
    kind: str  # "" when typed
    code: str


def voucher_code_parse(raw: str) -> VoucherCode | None:
    """The channel word and the code of a scanned QR text or a typed code; None when there is no code."""
    text = (raw or "").strip()[:MAX_CODE]
    if "|" in text:
        bits = [bit.strip() for bit in text.split("|")]
        if len(bits) >= 3 and bits[-1]:
            return VoucherCode(bits[-2].lower(), bits[-1])
        return None
    text = "".join(text.split())
    return VoucherCode("", text) if text else None


class CheckInRefused(Exception):
    """No check-in: `reason` is "empty" (no code), "unknown" (no such voucher) or "not_yours"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def voucher_check_in(*, operator: Operator, raw_code: str, by, on: dt.date | None = None,
                     now: dt.datetime | None = None) -> CheckInOutcome:  # fmt: skip
    """Check in the voucher `raw_code` (QR text or typed) for `operator` on `on` (today by default).

    Returns the provider's outcome ("checked_in", "already" with who and when, "cancelled",
    "other_day" with the booked dates); raises CheckInRefused for no code, an unknown code, or a
    booking with nothing of this operator's (which tells nothing about it)."""
    parsed = voucher_code_parse(raw_code)
    if parsed is None:
        raise CheckInRefused("empty")
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    providers = [p for p in channel_providers() if p.voucher_kind]
    if parsed.kind:
        providers = [p for p in providers if p.voucher_kind == parsed.kind]
    not_yours = False
    for provider in providers:
        try:
            outcome = provider.check_in(operator=operator, code=parsed.code, on=on, by=by, now=now)
        except NotYours:
            not_yours = True
            continue
        if outcome is not None:
            return outcome
    raise CheckInRefused("not_yours" if not_yours else "unknown")


def parts_check_in(*, parts, operator: Operator, on: dt.date, by, now: dt.datetime, active: bool, reference: str,
                   rows) -> CheckInOutcome:  # fmt: skip
    """The one check-in rule every channel applies to its booking's `parts` (a queryset of part rows with
    operator, date, redeemed_at and redeemed_by): under a lock of the operator's parts, the day's
    parts not yet used are marked used now by `by`; a second time says when and by whom. `rows(pks)`
    turns part ids into the channel's OperatorBooking rows (for the answer's details).

    Raises NotYours when no part is the operator's; a booking no longer `active` (cancelled, declined)
    is refused as "cancelled"; a booking of the operator's on other days only, as "other_day"."""
    with transaction.atomic():
        mine = list(parts.filter(operator=operator).select_for_update(of=("self",)).order_by("pk"))
        if not mine:
            raise NotYours
        if not active:
            return CheckInOutcome("cancelled", reference, rows([p.pk for p in mine]))
        today = [p for p in mine if p.date == on]
        if not today:
            return CheckInOutcome("other_day", reference, rows([p.pk for p in mine]),
                                  dates=tuple(sorted({p.date for p in mine})))  # fmt: skip
        todo = [p.pk for p in today if p.redeemed_at is None]
        if not todo:
            first = min(today, key=lambda p: p.redeemed_at)
            return CheckInOutcome("already", reference, rows([p.pk for p in today]), redeemed_at=first.redeemed_at,
                                  redeemed_by=user_label(first.redeemed_by))  # fmt: skip
        parts.model.objects.filter(pk__in=todo).update(redeemed_at=now, redeemed_by=by)
        return CheckInOutcome("checked_in", reference, rows([p.pk for p in today]), redeemed_at=now,
                              redeemed_by=user_label(by))  # fmt: skip
