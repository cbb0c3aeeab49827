"""The operator's bookings as the operator reads them: every channel's rows (operators.channels), the
filters of the bookings page, the day's manifest grouped by departure, and their CSV files.

Rows come from the channel providers for a bounded date range (one or two queries per channel) and
are filtered here, in Python: a small operator's year is a few thousand rows at most, and the same
rows feed the page, the manifest and the CSV, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from .channels import BookingState, OperatorBooking, channel_bookings
from .models import Operator

CHECKED_IN = "checked_in"  # a filter on top of the states: booked and used
STATE_CHOICES = [
    (BookingState.BOOKED, pgettext_lazy("booking state", "Booked")),
    (BookingState.WAITING, pgettext_lazy("booking state", "Waiting for your answer")),
    (CHECKED_IN, pgettext_lazy("booking state", "Checked in")),
    (BookingState.CANCELLED, pgettext_lazy("booking state", "Cancelled")),
]
VIA_CHOICES = [("web", gettext_lazy("Web shop")), ("partner", gettext_lazy("Trade partners")),
               ("api", gettext_lazy("Partners' systems (API)"))]  # fmt: skip
MAX_RANGE_DAYS = 400


def state_label(row: OperatorBooking) -> str:
    if row.state == BookingState.BOOKED and row.checked_in:
        return str(dict(STATE_CHOICES)[CHECKED_IN])
    return str(dict(STATE_CHOICES)[row.state])


def party_label(row: OperatorBooking) -> str:
    """ "2 adults, 1 child" as the operator reads it."""
    bits = []
    if row.adults:
        bits.append(ngettext("%(n)d adult", "%(n)d adults", row.adults) % {"n": row.adults})
    if row.children:
        bits.append(ngettext("%(n)d child", "%(n)d children", row.children) % {"n": row.children})
    if row.infants:
        bits.append(ngettext("%(n)d infant", "%(n)d infants", row.infants) % {"n": row.infants})
    return ", ".join(bits)


@dataclass(frozen=True)
class BookingFilters:
    start: dt.date
    end: dt.date
    service_id: int | None = None
    state: str = ""
    via: str = ""
    query: str = ""


def _matches(row: OperatorBooking, filters: BookingFilters) -> bool:
    if filters.service_id and row.service_id != filters.service_id:
        return False
    if filters.via and row.via != filters.via:
        return False
    if filters.state == CHECKED_IN:
        if not (row.state == BookingState.BOOKED and row.checked_in):
            return False
    elif filters.state and row.state != filters.state:
        return False
    if filters.query:
        needle = filters.query.casefold()
        haystack = " ".join((row.guest, row.reference, row.partner_reference, row.channel)).casefold()
        if not all(word in haystack for word in needle.split()):
            return False
    return True


def operator_booking_rows(*, operator: Operator, filters: BookingFilters) -> list[OperatorBooking]:
    """The operator's booking rows in the filters' date range that match them, by date and time."""
    end = min(filters.end, filters.start + dt.timedelta(days=MAX_RANGE_DAYS))
    rows = channel_bookings(operator=operator, start=filters.start, end=end)
    return [row for row in rows if _matches(row, filters)]


def _time(row: OperatorBooking) -> str:
    return "" if row.all_day else row.start_time.strftime("%H:%M")


def booking_csv_rows(rows: Iterable[OperatorBooking]) -> Iterator[list]:
    """The bookings page's CSV: one line per row, machine-readable dates and states."""
    yield ["date", "time", "service", "product", "guest", "phone", "adults", "children", "infants", "places",
           "state", "checked_in_at", "checked_in_by", "channel", "sold_by", "reference", "partner_reference", "extra",
           "extras", "notes"]  # fmt: skip
    for row in rows:
        yield [
            row.date.isoformat(), _time(row), row.service_name, row.product, row.guest, row.phone, row.adults,
            row.children, row.infants, row.places,
            CHECKED_IN if row.state == BookingState.BOOKED and row.checked_in else row.state,
            row.redeemed_at.isoformat(timespec="minutes") if row.redeemed_at else "", row.redeemed_by,
            row.via, row.channel, row.reference, row.partner_reference, "yes" if row.is_extra else "",
            "; ".join(row.extras), row.notes,
        ]  # fmt: skip


# --- the day's manifest -----------------------------------------------------------------------------


@dataclass
class Departure:
    """One service's departure (or its whole day) on the manifest, with its guests."""

    service_id: int
    service_name: str
    start_time: dt.time
    all_day: bool
    rows: list[OperatorBooking] = field(default_factory=list)

    @property
    def time(self) -> str:
        return "" if self.all_day else self.start_time.strftime("%H:%M")

    @property
    def adults(self) -> int:
        return sum(r.adults for r in self.rows)

    @property
    def children(self) -> int:
        return sum(r.children for r in self.rows)

    @property
    def infants(self) -> int:
        return sum(r.infants for r in self.rows)

    @property
    def places(self) -> int:
        return sum(r.places for r in self.rows)

    @property
    def checked_in(self) -> int:
        return sum(1 for r in self.rows if r.checked_in)


@dataclass(frozen=True)
class Manifest:
    day: dt.date
    departures: list[Departure]

    @property
    def bookings(self) -> int:
        return sum(len(d.rows) for d in self.departures)

    @property
    def guests(self) -> int:
        return sum(d.adults + d.children + d.infants for d in self.departures)


def day_manifest(*, operator: Operator, day: dt.date, service_id: int | None = None,
                 start_time: dt.time | None = None) -> Manifest:  # fmt: skip
    """Who is coming on `day` (optionally to one service, one departure): every booking not cancelled,
    grouped by service and departure, guests by name."""
    departures: dict[tuple, Departure] = {}
    for row in channel_bookings(operator=operator, start=day, end=day):
        if row.state == BookingState.CANCELLED:
            continue
        if service_id and row.service_id != service_id:
            continue
        if start_time is not None and (row.all_day or row.start_time != start_time):
            continue
        key = (row.all_day is False, row.start_time, row.service_name, row.service_id)
        if key not in departures:
            departures[key] = Departure(row.service_id, row.service_name, row.start_time, row.all_day)
        departures[key].rows.append(row)
    for departure in departures.values():
        departure.rows.sort(key=lambda r: (r.guest.casefold(), r.reference))
    return Manifest(day, [departures[k] for k in sorted(departures)])


def manifest_csv_rows(manifest: Manifest) -> Iterator[list]:
    yield ["date", "time", "service", "guest", "phone", "adults", "children", "infants", "places", "extras", "notes",
           "channel", "sold_by", "reference", "partner_reference", "waiting_for_answer", "checked_in_at", "checked_in_by"]  # fmt: skip
    for departure in manifest.departures:
        for row in departure.rows:
            yield [
                manifest.day.isoformat(), departure.time, departure.service_name, row.guest, row.phone, row.adults,
                row.children, row.infants, row.places, "; ".join(row.extras), row.notes, row.via, row.channel, row.reference,
                row.partner_reference, "yes" if row.state == BookingState.WAITING else "",
                row.redeemed_at.isoformat(timespec="minutes") if row.redeemed_at else "", row.redeemed_by,
            ]  # fmt: skip


def source_label(row: OperatorBooking) -> str:
    """Where a booking comes from, as the manifest says it: the order, or the partner and its reference."""
    if row.via == "web":
        return _("Order %(number)s") % {"number": row.reference}
    if row.partner_reference:
        return f"{row.channel} · {row.partner_reference}"
    return row.channel
