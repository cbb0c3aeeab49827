"""A partner's bookings: quote, book, confirm, amend, cancel, the operators' answers, expiry.

The portal and the API are thin layers over these functions. Every one of them leaves nothing
half-made: a refusal (TradeRefused, with a machine-readable `code` and a message for people) rolls back
the booking row, its parts and every place taken. Places move only through operators.capacity:
`capacity_take` books them (from the partner's allotments first, then general sale when the contract
allows it), as reservations or as holds while a booking is ON_HOLD (the API's reserve) or PENDING (on
request). Lock order: the partner's row (credit limit), then the slots in pk order (docs/locking.md).

Statuses: ON_HOLD → CONFIRMED or PENDING (trade_confirm) or EXPIRED; PENDING → CONFIRMED, DECLINED
(trade_part_decide) or EXPIRED (the deadline passes: trade_expire_due); CONFIRMED → CANCELLED.
Every change sends trade.signals.booking_changed after the commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.dates import local_today
from marketplace.core.money import format_money, money_round
from operators.capacity import capacity_cancel, capacity_confirm, capacity_hold, capacity_release, capacity_take
from operators.exceptions import HoldNotFound, LockTimeout, SoldOut
from operators.models import Slot
from operators.pricing import Party
from packages.models import Package
from packages.products import Bookable
from packages.selectors import PackageUnavailable, SlotChoice
from packages.services import supplier_commission_percent

from .allotments import partner_allotment_references
from .contracts import partner_contract_for
from .models import Contract, TradeBooking, TradeBookingPart, TradePartner
from .pricing import TradeNotPriced, TradePrice, trade_price
from .signals import booking_changed
from .statements import partner_open_balance

Status = TradeBooking.Status
Decision = TradeBookingPart.Decision
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
ZERO = Decimal("0.00")


class TradeRefused(Exception):
    """The booking (or change) cannot be made; nothing was changed. `code` is for machines (the API's
    error bodies, tests), `message` for people (the portal's form errors)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class TradeRequest:
    """What a partner asks for: a product (Bookable, Package or Service) on a date for a party."""

    product: object
    on: dt.date
    party: Party
    start_time: dt.time | None = None
    extras: tuple[int, ...] = ()
    lead_first_name: str = ""
    lead_last_name: str = ""
    lead_email: str = ""
    lead_phone: str = ""
    travellers: tuple[str, ...] = ()
    partner_reference: str = ""
    notes: str = ""
    guest_country: str = ""  # ISO 3166-1 alpha-2 of where the guests live; empty: the partner's country counts

    @property
    def bookable(self) -> Bookable:
        product = self.product
        if isinstance(product, Bookable):
            return product
        return Bookable(package=product) if isinstance(product, Package) else Bookable(service=product)


@dataclass(frozen=True)
class Quote:
    contract: Contract
    price: TradePrice
    choices: list[SlotChoice] = field(default_factory=list)
    on_request: bool = False

    @property
    def net(self) -> Decimal:
        return self.price.net

    @property
    def retail(self) -> Decimal:
        return self.price.retail


def _refuse_if_inactive(partner: TradePartner) -> None:
    if partner.status != TradePartner.Status.APPROVED:
        raise TradeRefused("partner_inactive", _("Your company's account is not active: bookings are not possible."))


def trade_quote(*, partner: TradePartner, request: TradeRequest, now: dt.datetime | None = None) -> Quote:
    """The contract, the price and the slots a booking would take, or TradeRefused saying why not.

    The partner's allotments count as places it can have (general sale may be sold out)."""
    _refuse_if_inactive(partner)
    item = request.bookable
    if request.on < local_today():
        raise TradeRefused("past", _("This date is in the past."))
    contract = partner_contract_for(partner=partner, product=item.package or item.service, on=request.on)
    if contract is None:
        raise TradeRefused("not_covered", _("Your contract does not cover this product on this date."))
    try:
        choices = item.slot_choice(
            on=request.on,
            party=request.party,
            extras=request.extras,
            start_time=request.start_time,
            now=now,
            own_reference=partner_allotment_references(partner=partner),
        )
    except PackageUnavailable as exc:
        raise TradeRefused("unavailable", exc.message) from exc
    try:
        price = trade_price(
            contract=contract,
            product=item,
            on=request.on,
            party=request.party,
            extras=request.extras,
            start_time=request.start_time,
        )
    except TradeNotPriced as exc:
        raise TradeRefused("not_priced", _("This product has no price for this date under your contract.")) from exc
    return Quote(contract=contract, price=price, choices=choices, on_request=item.on_request)


def _new_code() -> str:
    while True:
        code = "T" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))
        if not TradeBooking.objects.filter(code=code).exists():
            return code


def _decision_deadline(choices: list[SlotChoice], now: dt.datetime) -> dt.datetime:
    """When an on-request booking lapses: TRADE_ON_REQUEST_HOURS from now, never after the first slot's
    cut-off (an answer after it could no longer be sold)."""
    deadline = now + dt.timedelta(hours=getattr(settings, "TRADE_ON_REQUEST_HOURS", 48))
    slots = Slot.objects.filter(pk__in=[c.slot_id for c in choices]).select_related("service")
    for slot in slots:
        deadline = min(deadline, slot.starts_at - dt.timedelta(hours=slot.service.cutoff_hours))
    return deadline


def _check_credit(*, partner: TradePartner, contract: Contract, extra: Decimal) -> None:
    """Refuse when `extra` would take the partner's open balance past the contract's credit limit.
    Called with the partner's row locked, so two bookings cannot both fit under the same limit."""
    if contract.payment_terms != Contract.PaymentTerms.ON_ACCOUNT or contract.credit_limit is None:
        return
    balance = partner_open_balance(partner=partner)
    if balance + extra > contract.credit_limit:
        raise TradeRefused(
            "credit_limit",
            _(
                "This booking (%(net)s) would take your open balance (%(balance)s) past your credit limit "
                "(%(limit)s). Please settle your statement or contact us."
            )
            % {
                "net": format_money(extra),
                "balance": format_money(balance),
                "limit": format_money(contract.credit_limit),
            },
        )


def _parts(booking: TradeBooking, quote: Quote, taken: dict[int, int]) -> list[TradeBookingPart]:
    """One part per slot choice, with its component's retail amount and the supplier's commission terms.
    `taken`: places taken from the allotment per slot, handed out to the choices on that slot in order."""
    amounts = {c.component_id: c.amount for c in quote.price.retail_price.components}
    operator_ids = {c.component.service.operator_id for c in quote.choices}
    commission = supplier_commission_percent(operator_ids=operator_ids)
    whole_package_asks = booking.package is not None and booking.package.on_request
    left = dict(taken)
    parts = []
    for choice in quote.choices:
        component = choice.component
        service = component.service
        from_allotment = min(left.get(choice.slot_id, 0), choice.places)
        left[choice.slot_id] = left.get(choice.slot_id, 0) - from_allotment
        asks = quote.on_request and (service.on_request or whole_package_asks)
        parts.append(
            TradeBookingPart(
                booking=booking,
                component_id=component.pk if component.pk and component.pk > 0 else None,
                operator_id=service.operator_id,
                service=service,
                slot_id=choice.slot_id,
                date=choice.date,
                start_time=choice.start_time,
                all_day=choice.all_day,
                places=choice.places,
                from_allotment=from_allotment,
                amount=amounts.get(component.pk, ZERO),
                commission_percent=commission[service.operator_id],
                is_extra=component.is_optional,
                decision=Decision.WAITING if asks else Decision.NOT_NEEDED,
            )
        )
    return parts


def _announce(booking: TradeBooking, event: str) -> None:
    transaction.on_commit(lambda: booking_changed.send(sender=TradeBooking, booking=booking, event=event))


def _capacity_refusal(exc: Exception) -> TradeRefused:
    if isinstance(exc, LockTimeout):
        return TradeRefused("busy", str(exc.message))
    return TradeRefused("sold_out", _("Not enough places left on this date for this party."))


def trade_book(
    *,
    partner: TradePartner,
    user,
    request: TradeRequest,
    channel: str = TradeBooking.Channel.PORTAL,
    hold_minutes: int | None = None,
    uuid=None,
    now: dt.datetime | None = None,
) -> TradeBooking:
    """Book on account: CONFIRMED at once, PENDING for on-request products (places held until the
    operators answer or the deadline passes), or ON_HOLD for `hold_minutes` (the API's reserve, to be
    confirmed with trade_confirm). With `uuid`, a second call returns the first booking (idempotent).
    Raises TradeRefused; nothing is left behind then."""
    now = now or timezone.now()
    if uuid is not None:
        existing = TradeBooking.objects.filter(uuid=uuid).first()
        if existing is not None:
            if existing.partner_id != partner.pk:
                raise TradeRefused("uuid_taken", _("This booking id is already used."))
            return existing
    if hold_minutes is None:  # a hold (the API's reserve) gets its lead traveller at confirmation
        _require_lead(request.lead_first_name.strip(), request.lead_last_name.strip())
    quote = trade_quote(partner=partner, request=request, now=now)
    item = request.bookable
    deadline = _decision_deadline(quote.choices, now) if quote.on_request else None
    if deadline is not None and deadline <= now and hold_minutes is None:
        raise TradeRefused("too_late", _("This date is too close for a product on request: no time is left to answer."))
    if hold_minutes is not None:
        status, hold_until = Status.ON_HOLD, now + dt.timedelta(minutes=hold_minutes)
    elif quote.on_request:
        status, hold_until = Status.PENDING, deadline
    else:
        status, hold_until = Status.CONFIRMED, None
    try:
        with transaction.atomic():
            locked = TradePartner.objects.select_for_update().get(pk=partner.pk)
            _refuse_if_inactive(locked)
            _check_credit(partner=locked, contract=quote.contract, extra=quote.net)
            booking = TradeBooking.objects.create(
                code=_new_code(),
                partner=locked,
                contract=quote.contract,
                channel=channel,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                package=item.package,
                service=item.service,
                starts_on=request.on,
                start_time=request.start_time,
                party=request.party.to_dict(),
                extras=list(request.extras),
                lead_first_name=request.lead_first_name.strip(),
                lead_last_name=request.lead_last_name.strip(),
                lead_email=request.lead_email.strip(),
                lead_phone=request.lead_phone.strip(),
                travellers=[t.strip() for t in request.travellers if t and t.strip()],
                partner_reference=request.partner_reference.strip(),
                notes=request.notes.strip(),
                guest_country=request.guest_country.strip().upper(),
                status=status,
                retail_amount=quote.retail,
                net_amount=quote.net,
                hold_expires_at=hold_until if status == Status.ON_HOLD else None,
                decision_deadline=deadline if status == Status.PENDING else None,
                confirmed_at=now if status == Status.CONFIRMED else None,
                **({"uuid": uuid} if uuid is not None else {}),
            )
            taken = capacity_take(
                items=[(c.slot_id, c.places) for c in quote.choices],
                reference=booking.capacity_reference,
                source=partner_allotment_references(partner=locked),
                general=quote.contract.general_sale,
                hold_until=hold_until,
                now=now,
            )
            TradeBookingPart.objects.bulk_create(_parts(booking, quote, {t.slot_id: t.from_source for t in taken}))
            _announce(booking, "created" if status == Status.ON_HOLD else status)
    except (SoldOut, LockTimeout) as exc:
        raise _capacity_refusal(exc) from exc
    except IntegrityError:
        # the same uuid booked at the same moment by a retry: the first one won, answer with it
        existing = TradeBooking.objects.filter(uuid=uuid).first() if uuid is not None else None
        if existing is None or existing.partner_id != partner.pk:
            raise
        return existing
    return booking


def _require_lead(first_name: str, last_name: str) -> None:
    if not (first_name and last_name):
        raise TradeRefused("lead_traveller", _("The lead traveller's first and last name are needed."))


def _apply_details(booking: TradeBooking, details: dict, travellers: list[str] | None) -> None:
    """Set the lead traveller, references and notes given (None: unchanged) and the travellers."""
    for name, value in details.items():
        if value is not None:
            setattr(booking, name, value.strip().upper() if name == "guest_country" else value.strip())
    if travellers is not None:
        booking.travellers = [t.strip() for t in travellers if t and t.strip()]


def _locked(booking: TradeBooking) -> TradeBooking:
    return TradeBooking.objects.select_for_update().select_related("contract", "partner").get(pk=booking.pk)


def trade_confirm(
    *,
    booking: TradeBooking,
    details: dict | None = None,
    travellers: list[str] | None = None,
    now: dt.datetime | None = None,
) -> TradeBooking:
    """Confirm a booking ON_HOLD: CONFIRMED, or PENDING when the product is on request (its places are
    then held until the operators answer). `details` sets the lead traveller (lead_first_name…),
    guest_country, partner_reference and notes given with the confirmation (the API's confirm carries the contact); a
    lead traveller's first and last name are needed by then. A booking already confirmed or pending is
    returned as is (a retried confirmation)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            booking = _locked(booking)
            if booking.status in (Status.CONFIRMED, Status.PENDING):
                return booking
            if booking.status != Status.ON_HOLD:
                raise TradeRefused("not_on_hold", _("Only a booking on hold can be confirmed."))
            if booking.hold_expires_at and booking.hold_expires_at <= now:
                raise TradeRefused("expired", _("The hold on this booking has expired."))
            _apply_details(booking, details or {}, travellers)
            _require_lead(booking.lead_first_name, booking.lead_last_name)
            if booking.parts.filter(decision=Decision.WAITING).exists():
                deadline = _decision_deadline(
                    [
                        SlotChoice(None, p.slot_id, p.date, p.start_time, p.all_day, p.places)
                        for p in booking.parts.all()
                    ],
                    now,
                )
                capacity_hold(
                    items=[(p.slot_id, p.places) for p in booking.parts.all()],
                    reference=booking.capacity_reference,
                    expires_at=deadline,
                    now=now,
                )
                booking.status, booking.decision_deadline = Status.PENDING, deadline
            else:
                capacity_confirm(reference=booking.capacity_reference, now=now)
                booking.status, booking.confirmed_at = Status.CONFIRMED, now
            booking.hold_expires_at = None
            booking.save()
            _announce(booking, booking.status)
    except (SoldOut, LockTimeout) as exc:
        raise _capacity_refusal(exc) from exc
    return booking


def trade_extend(*, booking: TradeBooking, minutes: int, now: dt.datetime | None = None) -> TradeBooking:
    """Keep a booking ON_HOLD for `minutes` more from now (the API's extend)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            booking = _locked(booking)
            if booking.status != Status.ON_HOLD:
                raise TradeRefused("not_on_hold", _("Only a booking on hold can be extended."))
            if booking.hold_expires_at and booking.hold_expires_at <= now:
                raise TradeRefused("expired", _("The hold on this booking has expired."))
            until = now + dt.timedelta(minutes=minutes)
            capacity_hold(
                items=[(p.slot_id, p.places) for p in booking.parts.all()],
                reference=booking.capacity_reference,
                expires_at=until,
                now=now,
            )
            booking.hold_expires_at = until
            booking.save(update_fields=["hold_expires_at", "updated_at"])
    except (SoldOut, LockTimeout) as exc:
        raise _capacity_refusal(exc) from exc
    return booking


def trade_cancellation_fee(*, booking: TradeBooking, today: dt.date | None = None) -> Decimal:
    """What cancelling now costs under the contract's policy: nothing for a booking not yet confirmed or
    a contract without tiers; else the net less the share of the tier with the most days that still
    applies (none applies: the whole net)."""
    if booking.status != Status.CONFIRMED:
        return ZERO
    tiers = list(booking.contract.cancellation_tiers.all())
    if not tiers:
        return ZERO
    days = (booking.starts_on - (today or local_today())).days
    applying = [t for t in tiers if days >= t.days_before]
    not_charged = max(applying, key=lambda t: t.days_before).refund_percent if applying else 0
    return money_round(booking.net_amount * (100 - not_charged) / 100)


def trade_cancel(*, booking: TradeBooking, by=None, now: dt.datetime | None = None) -> TradeBooking:
    """Cancel (by the partner, or DMC staff on its behalf), charging the contract's fee. Places go back
    to general sale. Idempotent: a cancelled booking is returned as it is."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            booking = _locked(booking)
            if booking.status == Status.CANCELLED:
                return booking
            if booking.status not in (Status.CONFIRMED, Status.PENDING, Status.ON_HOLD):
                raise TradeRefused("not_cancellable", _("This booking is no longer active."))
            fee = trade_cancellation_fee(booking=booking, today=timezone.localtime(now).date())
            capacity_cancel(reference=booking.capacity_reference, now=now)
            capacity_release(reference=booking.capacity_reference, now=now)
            booking.status, booking.cancelled_at, booking.cancellation_fee = Status.CANCELLED, now, fee
            booking.cancelled_by = by if getattr(by, "is_authenticated", False) else None
            booking.save(update_fields=["status", "cancelled_at", "cancellation_fee", "cancelled_by", "updated_at"])
            _announce(booking, "cancelled")
    except LockTimeout as exc:
        raise _capacity_refusal(exc) from exc
    return booking


def trade_amend(
    *,
    booking: TradeBooking,
    by=None,
    party: Party | None = None,
    product=None,
    on: dt.date | None = None,
    start_time: dt.time | None = None,
    lead_first_name: str | None = None,
    lead_last_name: str | None = None,
    lead_email: str | None = None,
    lead_phone: str | None = None,
    travellers: list[str] | None = None,
    partner_reference: str | None = None,
    notes: str | None = None,
    guest_country: str | None = None,
    now: dt.datetime | None = None,
) -> TradeBooking:
    """Change the travellers, the references, the party, the date and time or the product of an active
    booking (None: unchanged). The contract must allow amendments, except while the booking is ON_HOLD
    (not yet a booking: the API's reserve may be reshaped before confirmation).

    A new party, date or product is re-priced under the contract in force then and its places re-taken
    all or nothing, in one transaction: the old places are given back first (so a party growing by one
    needs one more place, not all again), and on refusal everything, the old places included, stays as
    it was."""
    now = now or timezone.now()
    if not booking.contract.amendments_allowed and booking.status != Status.ON_HOLD:
        raise TradeRefused("not_amendable", _("Your contract does not allow changes to bookings: cancel and rebook."))
    try:
        with transaction.atomic():
            booking = _locked(booking)
            if booking.status not in (Status.CONFIRMED, Status.PENDING, Status.ON_HOLD):
                raise TradeRefused("not_amendable", _("This booking is no longer active."))
            details = {
                "lead_first_name": lead_first_name,
                "lead_last_name": lead_last_name,
                "lead_email": lead_email,
                "lead_phone": lead_phone,
                "partner_reference": partner_reference,
                "notes": notes,
                "guest_country": guest_country,
            }
            _apply_details(booking, details, travellers)
            if booking.status != Status.ON_HOLD:
                _require_lead(booking.lead_first_name, booking.lead_last_name)
            new = TradeRequest(
                product=product if product is not None else booking.package or booking.service,
                on=on or booking.starts_on,
                party=party or Party.from_dict(booking.party),
                start_time=start_time if (start_time is not None or on is not None) else booking.start_time,
                extras=tuple(booking.extras or ()),
            )
            if (
                new.bookable.key != booking_bookable(booking).key
                or new.on != booking.starts_on
                or new.start_time != booking.start_time
                or new.party != Party.from_dict(booking.party)
            ):
                _retake(booking, new, now)
            booking.save()
            _announce(booking, "amended")
    except (SoldOut, LockTimeout) as exc:
        raise _capacity_refusal(exc) from exc
    return booking


def booking_bookable(booking: TradeBooking) -> Bookable:
    """The product a booking is of, as the catalogue's Bookable (a package, or a service sold alone)."""
    return Bookable(package=booking.package) if booking.package_id else Bookable(service=booking.service)


def _retake(booking: TradeBooking, request: TradeRequest, now: dt.datetime) -> None:
    """Inside trade_amend's transaction: give back the old places, quote and take the new request's."""
    hold_until = booking.hold_expires_at if booking.status == Status.ON_HOLD else booking.decision_deadline
    capacity_cancel(reference=booking.capacity_reference, now=now)
    capacity_release(reference=booking.capacity_reference, now=now)
    quote = trade_quote(partner=booking.partner, request=request, now=now)
    locked = TradePartner.objects.select_for_update().get(pk=booking.partner_id)
    _check_credit(partner=locked, contract=quote.contract, extra=quote.net - booking.net_amount)
    taken = capacity_take(
        items=[(c.slot_id, c.places) for c in quote.choices],
        reference=booking.capacity_reference,
        source=partner_allotment_references(partner=locked),
        general=quote.contract.general_sale,
        hold_until=hold_until if booking.status != Status.CONFIRMED else None,
        now=now,
    )
    decisions = {p.service_id: (p.decision, p.decided_at, p.decided_by_id) for p in booking.parts.all()}
    booking.parts.all().delete()
    same_day = booking.starts_on == request.on and booking.start_time == request.start_time
    item = request.bookable
    booking.package, booking.service = item.package, item.service
    booking.starts_on, booking.start_time, booking.contract = request.on, request.start_time, quote.contract
    parts = _parts(booking, quote, {t.slot_id: t.from_source for t in taken})
    for part in parts:  # an operator's answer stands for its service on the same day
        if same_day and part.service_id in decisions and part.decision:
            part.decision, part.decided_at, part.decided_by_id = decisions[part.service_id]
    TradeBookingPart.objects.bulk_create(parts)
    booking.party = request.party.to_dict()
    booking.retail_amount, booking.net_amount = quote.retail, quote.net


def trade_part_decide(
    *, booking: TradeBooking, operator, confirm: bool, reason: str = "", by=None, now: dt.datetime | None = None
) -> TradeBooking:
    """An operator answers for its parts of a PENDING booking. A decline declines the booking and gives
    every place back; when the last waiting part is confirmed the booking is CONFIRMED (its held places
    become reservations). Raises TradeRefused when nothing of this operator waits for an answer."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            booking = _locked(booking)
            mine = booking.parts.filter(operator=operator, decision=Decision.WAITING)
            if booking.status != Status.PENDING or not mine.exists():
                raise TradeRefused("nothing_to_decide", _("This booking does not wait for your answer."))
            if booking.decision_deadline and booking.decision_deadline <= now:
                raise TradeRefused("expired", _("The time to answer this booking has passed."))
            decided_by = by if getattr(by, "is_authenticated", False) else None
            mine.update(
                decision=Decision.CONFIRMED if confirm else Decision.DECLINED, decided_at=now, decided_by=decided_by
            )
            if not confirm:
                capacity_release(reference=booking.capacity_reference, now=now)
                booking.status, booking.decline_reason = Status.DECLINED, reason.strip()
                booking.save(update_fields=["status", "decline_reason", "updated_at"])
                _announce(booking, "declined")
            elif not booking.parts.filter(decision=Decision.WAITING).exists():
                capacity_confirm(reference=booking.capacity_reference, now=now)
                booking.status, booking.confirmed_at = Status.CONFIRMED, now
                booking.save(update_fields=["status", "confirmed_at", "updated_at"])
                _announce(booking, "pending_decided")
    except (SoldOut, HoldNotFound, LockTimeout) as exc:
        raise _capacity_refusal(exc) from exc
    return booking


def trade_expire_due(*, now: dt.datetime | None = None) -> int:
    """Expire bookings whose hold or answer deadline has passed; their places go back to general sale
    (the capacity service may have freed them already). Returns how many expired. Run by beat."""
    now = now or timezone.now()
    due = TradeBooking.objects.filter(status=Status.ON_HOLD, hold_expires_at__lte=now) | TradeBooking.objects.filter(
        status=Status.PENDING, decision_deadline__lte=now
    )
    expired = 0
    for pk in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                booking = TradeBooking.objects.select_for_update().get(pk=pk)
                if booking.status not in (Status.ON_HOLD, Status.PENDING):
                    continue
                capacity_release(reference=booking.capacity_reference, now=now)
                booking.status = Status.EXPIRED
                booking.save(update_fields=["status", "updated_at"])
                _announce(booking, "expired")
                expired += 1
        except LockTimeout:
            continue  # the next run expires it
    return expired
