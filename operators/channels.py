"""Other sales channels' view of an operator's services: a registry the channels plug into.

`operators` reads nothing of the apps above it (DESIGN.md), yet the operator area must show what
other channels (the trade channel today) sold or hold on its services, and let the operator answer
on-request bookings. So each channel registers ONE provider here from its `AppConfig.ready()`, as
apps register cms offer providers:

    # marketplace/trade/apps.py
    def ready(self):
        from operators.channels import register_channel_provider
        from .operator_side import TradeOperatorSide
        register_channel_provider(TradeOperatorSide())

`packages` (the operator's bookings page and monthly statement) reads the same registry, so there
is one statement function whichever channels exist. `packages` registers its own provider too ("shop",
packages/operator_side.py) for the rows and check-ins of the operator's day (`bookings`, `check_in`):
its `booking_parts` stays empty because the statement reads the shop's parts itself. Rules a provider keeps:
- every method answers with a fixed number of queries (one per call), whatever the number of rows;
- it shows and decides only the given operator's own parts (another operator's id: ChannelNotFound).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from marketplace.core.money import money_round

from .pricing import Party


class ChannelNotFound(Exception):
    """No such request of this operator (the view answers 404; nothing changed)."""


class ChannelRefused(Exception):
    """The channel refused the answer (too late, already decided); nothing changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ChannelPart:
    """One part of another channel's booking of the operator's service, as the statement reads it."""

    channel: str  # shown to the operator: "Trade: Toskana Reisen GmbH"
    reference: str  # the channel's booking code
    partner_reference: str
    product: str
    service_name: str
    date: dt.date
    start_time: dt.time
    all_day: bool
    places: int
    amount: Decimal  # component retail price snapshotted when booked
    commission_percent: Decimal
    is_extra: bool = False
    cancelled: bool = False

    @property
    def commission(self) -> Decimal:
        return money_round(self.amount * self.commission_percent / 100)

    @property
    def net(self) -> Decimal:
        return self.amount - self.commission


@dataclass(frozen=True)
class ChannelRequest:
    """An on-request part waiting for the operator's answer."""

    id: int  # what the provider's `decide` takes
    partner: str
    partner_reference: str
    reference: str
    product: str
    service_name: str
    date: dt.date
    start_time: dt.time
    all_day: bool
    party: str
    places: int
    deadline: dt.datetime | None


@dataclass(frozen=True)
class HeldPlaces:
    """Places another channel holds on a slot for someone (an allotment)."""

    slot_id: int
    places: int
    holder: str  # "Toskana Reisen GmbH"
    kind: str  # "allotment"
    release_days: int | None = None


class BookingState:
    """The states a booking of the operator's service is shown in (bookings page, manifest, CSV)."""

    BOOKED = "booked"
    WAITING = "waiting"  # on request: the operator has not answered yet
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OperatorBooking:
    """One part of a booking of the operator's service as the operator reads it: who, what, when, how
    many, sold by whom. Every channel answers with these rows (the shop's packages included), so the
    bookings page, the day's manifest and their CSV files list every channel alike and never show the
    capacity tables' internal references ("order-line:3")."""

    channel_key: str  # the provider's key: "shop", "trade"
    via: str  # "web", "partner" or "api": the channel filter
    channel: str  # shown: "Web shop", "Toskana Reisen GmbH", "Toskana Reisen GmbH (API)"
    reference: str  # the order number or the partner booking's code: the code on the voucher
    partner_reference: str
    guest: str
    phone: str
    product: str  # the package (or the service sold alone)
    service_id: int
    service_name: str
    date: dt.date
    start_time: dt.time
    all_day: bool
    adults: int
    children: int
    infants: int
    places: int
    state: str  # BookingState
    is_extra: bool = False
    extras: tuple[str, ...] = ()  # the optional extras the guests chose among this operator's parts
    notes: str = ""
    redeemed_at: dt.datetime | None = None
    redeemed_by: str = ""
    part_id: int = 0  # the provider's part id: with channel_key, a stable identity of the row

    @property
    def checked_in(self) -> bool:
        return self.redeemed_at is not None


def party_counts(data: dict) -> tuple[int, int, int]:
    """(adults, children, infants) of a stored party (Party.to_dict); seniors count as adults."""
    party = Party.from_dict(data or {})
    return party.adults + party.seniors, len(party.children_ages), party.infants


def user_label(user) -> str:
    """How a check-in's author is shown: their name, else their e-mail."""
    if user is None:
        return ""
    return (user.get_full_name() or "").strip() or user.email or user.get_username()


def extras_by_booking(parts) -> dict[int, list[str]]:
    """The optional extras' service names of each booking among `parts` (for part_fields)."""
    extras: dict[int, list[str]] = defaultdict(list)
    for part in parts:
        if part.is_extra:
            extras[part.booking_id].append(part.service.name)
    return extras


def part_fields(part, *, party: dict, extras: dict) -> dict:
    """The OperatorBooking fields every channel takes alike from a booked part (the shop's or the trade's,
    with service, date, places and check-in) and its booking's party; a provider adds only what differs:
    channel, references, guest and state. `extras`: the optional extras' names by booking id."""
    adults, children, infants = party_counts(party)
    return {
        "service_id": part.service_id, "service_name": part.service.name, "date": part.date,
        "start_time": part.start_time, "all_day": part.all_day, "places": part.places, "is_extra": part.is_extra,
        "adults": adults, "children": children, "infants": infants, "extras": tuple(extras[part.booking_id]),
        "redeemed_at": part.redeemed_at, "redeemed_by": user_label(part.redeemed_by), "part_id": part.pk,
    }  # fmt: skip


class NotYours(Exception):
    """A voucher of the DMC's that holds nothing of this operator's services: say so, tell nothing more."""


@dataclass(frozen=True)
class CheckInOutcome:
    """What a provider did with a voucher code at an operator's check-in (operators.checkin)."""

    result: str  # "checked_in", "already", "cancelled", "other_day"
    reference: str
    parts: tuple[OperatorBooking, ...]  # this operator's parts the answer is about
    dates: tuple[dt.date, ...] = ()  # "other_day": the days the operator's parts are booked for
    redeemed_at: dt.datetime | None = None
    redeemed_by: str = ""


class ChannelProvider:
    """Base class of a provider: override what the channel has; the defaults say "nothing".

    `voucher_kind` is the word its vouchers' QR codes carry ("<DMC>|<kind>|<code>"), so a scanned code
    goes straight to its channel; a typed code is offered to every provider in turn."""

    key: str = ""
    voucher_kind: str = ""

    def booking_parts(self, *, operator, start: dt.date, end: dt.date) -> list[ChannelPart]:
        """Confirmed (and cancelled, flagged) parts of the operator's services dated in [start, end]."""
        return []

    def waiting_requests(self, *, operator) -> list[ChannelRequest]:
        return []

    def waiting_count(self, *, operator) -> int:
        return 0

    def decide(self, *, operator, request_id: int, confirm: bool, reason: str = "", by=None) -> None:
        """Answer a waiting request; raises ChannelNotFound (not this operator's) or ChannelRefused."""
        raise ChannelNotFound

    def held_places(self, *, slot_ids, now: dt.datetime | None = None) -> dict[int, list[HeldPlaces]]:
        return {}

    def bookings(self, *, operator, start: dt.date, end: dt.date) -> list[OperatorBooking]:
        """Every part of the operator's services dated in [start, end] in any state (one query or a few,
        never one per row): the bookings page and the manifest filter them."""
        return []

    def check_in(self, *, operator, code: str, on: dt.date, by, now: dt.datetime) -> CheckInOutcome | None:
        """Mark the operator's parts of the booking whose voucher code is `code` dated `on` as used, once.
        None: no such code in this channel; NotYours: the booking has no part of the operator's."""
        return None


_providers: dict[str, ChannelProvider] = {}


def register_channel_provider(provider: ChannelProvider) -> ChannelProvider:
    """Register (or replace: tests do) the provider for `provider.key`."""
    if not provider.key or ":" in provider.key:
        raise ValueError(f"A channel provider needs a key without ':' (got {provider.key!r}).")
    _providers[provider.key] = provider
    return provider


def unregister_channel_provider(key: str) -> None:
    _providers.pop(key, None)


def channel_providers() -> list[ChannelProvider]:
    return list(_providers.values())


def channel_provider(key: str) -> ChannelProvider | None:
    return _providers.get(key)


def channel_booking_parts(*, operator, start: dt.date, end: dt.date) -> list[ChannelPart]:
    return [part for provider in channel_providers() for part in provider.booking_parts(
        operator=operator, start=start, end=end)]  # fmt: skip


def channel_waiting_requests(*, operator) -> list[tuple[str, ChannelRequest]]:
    """(provider key, request) of every channel, soonest date first."""
    rows = [(p.key, r) for p in channel_providers() for r in p.waiting_requests(operator=operator)]
    return sorted(rows, key=lambda row: (row[1].date, row[1].start_time, row[1].id))


def channel_waiting_count(*, operator) -> int:
    return sum(provider.waiting_count(operator=operator) for provider in channel_providers())


def channel_held_places(*, slot_ids, now: dt.datetime | None = None) -> dict[int, list[HeldPlaces]]:
    result: dict[int, list[HeldPlaces]] = {}
    for provider in channel_providers():
        for slot_id, rows in provider.held_places(slot_ids=slot_ids, now=now).items():
            result.setdefault(slot_id, []).extend(rows)
    return result


def channel_bookings(*, operator, start: dt.date, end: dt.date) -> list[OperatorBooking]:
    """Every channel's parts of the operator's services in [start, end], by date and departure."""
    rows = [row for provider in channel_providers() for row in provider.bookings(
        operator=operator, start=start, end=end)]  # fmt: skip
    return sorted(rows, key=lambda r: (r.date, r.all_day is False, r.start_time, r.service_name, r.guest, r.part_id))
