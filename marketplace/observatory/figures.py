"""The observatory's figures: every table of the dashboard, computed by aggregate SQL over the fact tables.

Who looks (`Scope`) and what they asked (`Filters`) go in, `Table`s come out; views, charts and exports
(another module) only lay them out. A dashboard is four GROUP BY queries with conditional aggregates
(FILTER) over the fact tables, "cubes" of a few hundred or thousand rows (bookings by month, lead time
and stay; by channel, partner and origin; by package; day rows by month, operator, municipality and
kind), plus the open slots' capacity, the official flows and the names of what is shown. Every table is
summed from those rows in Python: the query count never depends on how many bookings there are, and no
booking or fact row is ever loaded into Python. With `compare`, the same again for the year before.

Counting rules (each table's `note` repeats its own):

- Bookings, guests (adults, children, infants) and money are counted at the booking grain
  (`BookingFact`, once per booking). Area, kind, label and an operator's scope restrict the bookings
  through an EXISTS on their day rows (`BookingDayFact`).
- Tables by area, municipality, operator and kind are counted at the day grain: a booking counts once per
  area (municipality, operator, kind) it touches, through the `first_in_*` row, whose guests are summed
  there; nights are always `guest_nights` (the party on an accommodation night), summed over day rows.
- Cancelled bookings count in the cancellation rate and in "retained" (what their fees kept), never in
  bookings, guests, nights or revenue.
- Dates: with "by travel date", a booking-grain figure falls in the month of its first travel day
  (`travel_start`) and a day-grain figure (nights, places) in the month of the day itself, so a stay from
  30 April to 2 May counts as an April booking with one April night and one May night. With "by booking
  date" both use the day the booking was made.
- In the tables by package, channel, origin, lead time and length of stay, a booking's guest-nights are
  all its nights (its accommodation nights times its party), in the booking's own row.
- Seasons (by the month): high June to September, shoulder April, May and October (Easter, the Comics,
  the chestnut festivals), low November to March.
- Occupancy: places taken by day rows not cancelled on the period's travel days, against the capacity
  of the open (not closed, not blocked) slots of the same days, per service kind and area. Per-group
  services count groups on both sides (one place per booking), per-unit services units; freesale
  services (no capacity) are left out of both.
- Official flows (staff only): official arrivals and nights of the municipality and month, all origins
  summed, beside our guests (once per booking and municipality) and guest-nights by travel date; our
  share is our guest-nights over the official nights.
- An operator (`Scope(operator_id=…)`) sees only the day rows of its own services: its bookings are the
  bookings touching them (counted on their `first_in_operator` row), its guests that row's party, its
  revenue its components' retail price and what it is owed; no DMC margin, trade net, partner names or
  official flows.
  A booking is counted on its first row with the operator, so a stay that starts before the period
  and goes on with the operator inside it counts in the period where that first row falls.
- A partner (`Scope(partner_id=…)`) sees only its own bookings (portal and API): bookings, guests,
  nights, retail and net; no operator's owed, no DMC margin, nothing of other partners.
- The scope is applied by every query whatever the filters say: a filter can only narrow it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, Exists, F, Func, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operators.models import PIANA_DI_LUCCA, Municipality, Operator, Service, Slot, area_of

from .models import Area, BookingDayFact, BookingFact, Channel, FactStatus, OfficialFlow

ZERO = Decimal("0.00")
LIVE = ~Q(status=FactStatus.CANCELLED)
CANCELLED = Q(status=FactStatus.CANCELLED)

# Seasons of the destination (Lucca and the Casentino): summer is the high season, spring and autumn the
# shoulder (Easter, the Comics and the chestnut festivals fall there), winter the low one.
SEASON_OF_MONTH = {6: "high", 7: "high", 8: "high", 9: "high", 4: "shoulder", 5: "shoulder", 10: "shoulder",
                   11: "low", 12: "low", 1: "low", 2: "low", 3: "low"}  # fmt: skip
SEASONS = ("high", "shoulder", "low")
# Lead time in days: (label, lowest, highest or None).
LEAD_BUCKETS = (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("91-180", 91, 180), ("181+", 181, None))
# Length of stay in accommodation nights (0: no accommodation booked, day visits and experiences).
STAY_BUCKETS = (("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4-6", 4, 6), ("7-13", 7, 13), ("14+", 14, None))


# --- the contract ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Who is looking: DMC staff (`Scope()`), one operator (only its own services' rows) or one trade
    partner (only its own bookings). Built by the views from the request's user, never from the URL."""

    operator_id: int | None = None
    partner_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.operator_id is None and self.partner_id is None


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 12 whole months before `today`'s month."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = _add_months(end.replace(day=1), -11)
    return start, end


@dataclass(frozen=True)
class Filters:
    start: dt.date = field(default_factory=lambda: default_period()[0])
    end: dt.date = field(default_factory=lambda: default_period()[1])
    by: str = "travel"  # "travel" (travel date) | "booked" (booking date)
    area: str = ""
    channel: str = ""  # "" | web | portal | api | "partner:<id>"
    kind: str = ""
    label: int | None = None  # certifications Scheme id
    compare: bool = False

    def previous(self) -> Filters:
        """The same period one year before (29 February becomes the 28th)."""
        return replace(self, start=_year_before(self.start), end=_year_before(self.end), compare=False)


@dataclass
class Column:
    key: str
    label: str
    kind: str  # "text" | "int" | "money" | "percent" | "number"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    chart: str = ""  # "" | "line" | "bar" | "map"
    chart_value: str = ""
    totals: dict | None = None
    note: str = ""


# --- dates -------------------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def _year_before(day: dt.date) -> dt.date:
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def _month(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.replace(day=1)


# --- the form ----------------------------------------------------------------------------------------


def _partner_choices(scope: Scope) -> list[tuple[str, str]]:
    from marketplace.trade.models import TradePartner

    partners = TradePartner.objects.order_by("legal_name")
    if scope.partner_id is not None:
        partners = partners.filter(pk=scope.partner_id)
    return [(f"partner:{pk}", name) for pk, name in partners.values_list("pk", "legal_name")]


class FiltersForm(forms.Form):
    """The dashboard's filters from GET parameters. Invalid input gives field errors and the default of
    that field; the choices are limited to what the scope may look at (the queries apply the scope anyway)."""

    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(
        label=gettext_lazy("Dates"), required=False,
        choices=[("travel", gettext_lazy("Travel date")), ("booked", gettext_lazy("Booking date"))],
    )  # fmt: skip
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of service"), required=False)
    label = forms.TypedChoiceField(label=gettext_lazy("Label"), required=False, coerce=int, empty_value=None)
    compare = forms.BooleanField(label=gettext_lazy("Compare with the year before"), required=False)

    def __init__(self, data=None, *, scope: Scope | None = None, today: dt.date | None = None, **kwargs):
        # Dates not asked for show the default period in their fields (an emptied field stays empty).
        start, end = default_period(today)
        data = data.copy() if data else {}
        data.setdefault("start", start.isoformat())
        data.setdefault("end", end.isoformat())
        super().__init__(data, **kwargs)
        self.scope = scope or Scope()
        self.today = today
        every = [("", _("All"))]
        areas = list(Area.choices)
        kinds = list(Service.Kind.choices)
        channels = list(Channel.choices)
        if self.scope.operator_id is not None:
            operator = Operator.objects.filter(pk=self.scope.operator_id).values_list("municipality", flat=True).first()
            areas = [choice for choice in areas if operator and choice[0] == area_of(operator)]
            own = set(Service.objects.filter(operator_id=self.scope.operator_id).values_list("kind", flat=True))
            kinds = [choice for choice in kinds if choice[0] in own]
        elif self.scope.partner_id is not None:
            channels = [c for c in channels if c[0] != Channel.WEB]
        else:
            channels += _partner_choices(self.scope)
        self.fields["area"].choices = every + areas
        self.fields["kind"].choices = every + kinds
        self.fields["channel"].choices = every + [(str(value), str(label)) for value, label in channels]
        from certifications.selectors import scheme_qs_filterable

        self.fields["label"].choices = every + [(str(pk), name) for pk, name in
                                                 scheme_qs_filterable().values_list("pk", "name")]  # fmt: skip

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end comes before the start."))
        return data

    def filters(self) -> Filters:
        """The valid fields' values, the defaults for the rest."""
        self.is_valid()
        start, end = default_period(self.today)
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        if "end" in self.errors:
            data.pop("start", None)
        return Filters(
            start=data.get("start") or start,
            end=data.get("end") or end,
            by=data.get("by") or "travel",
            area=data.get("area") or "",
            channel=data.get("channel") or "",
            kind=data.get("kind") or "",
            label=data.get("label"),
            compare=bool(data.get("compare")),
        )


# --- the base querysets ------------------------------------------------------------------------------


def _label_q(scheme_id: int, prefix: str = "") -> Q:
    """Day rows whose operator, service or package holds a label of the scheme today."""
    from certifications.selectors import award_qs_shown
    from packages.models import Package

    shown = award_qs_shown().filter(scheme_id=scheme_id)

    def holders(model):
        return shown.filter(subject_type=ContentType.objects.get_for_model(model)).values("subject_id")

    return (
        Q(**{f"{prefix}operator_id__in": holders(Operator)})
        | Q(**{f"{prefix}service_id__in": holders(Service)})
        | Q(**{f"{prefix}package_id__in": holders(Package)})
    )


def _channel_q(channel: str) -> Q:
    if not channel:
        return Q()
    if channel.startswith("partner:"):
        try:
            partner_id = int(channel.split(":", 1)[1])
        except ValueError:
            return Q(pk__in=[])
        return Q(partner_id=partner_id, channel__in=[Channel.PORTAL, Channel.API])
    return Q(channel=channel)


def _component_q(scope: Scope, f: Filters) -> Q:
    """What the filters and the scope ask of the booked components: area, kind, label, operator."""
    q = Q()
    if f.area:
        q &= Q(area=f.area)
    if f.kind:
        q &= Q(kind=f.kind)
    if f.label is not None:
        q &= _label_q(f.label)
    if scope.operator_id is not None:
        q &= Q(operator_id=scope.operator_id)
    return q


def _day_q(scope: Scope, f: Filters) -> Q:
    """What a day row must be to count for this scope and these filters (besides the dates)."""
    q = _channel_q(f.channel) & _component_q(scope, f)
    if scope.partner_id is not None:
        q &= Q(partner_id=scope.partner_id)
    return q


def _days(scope: Scope, f: Filters):
    """Day rows of the period: by travel date, the day itself; by booking date, the booking's day."""
    dated = Q(date__range=(f.start, f.end)) if f.by == "travel" else Q(booked_on__range=(f.start, f.end))
    return BookingDayFact.objects.filter(dated & _day_q(scope, f))


def _bookings(scope: Scope, f: Filters):
    """Bookings of the period (travel start or booking day), restricted through their day rows when a
    filter or the scope is about areas, kinds, labels or an operator."""
    field = "travel_start" if f.by == "travel" else "booked_on"
    qs = BookingFact.objects.filter(**{f"{field}__range": (f.start, f.end)}).filter(_channel_q(f.channel))
    if scope.partner_id is not None:
        qs = qs.filter(partner_id=scope.partner_id)
    day_q = _component_q(scope, f)
    if day_q:
        qs = qs.filter(Exists(BookingDayFact.objects.filter(day_q, booking=OuterRef("pk"))))
    return qs


# --- the cubes: a few GROUP BY queries every table is rolled up from ---------------------------------
#
# A dashboard is four scans of the fact tables (and two small reads): the booking cube by month, lead
# time and stay; the booking cube by channel, partner and origin; the booking cube by package; the day
# cube by month, operator, municipality, area and kind. Each table sums the few hundred rows of a cube in
# Python (rows of aggregates, never bookings). The cubes are shared by the tables of one dashboard() call.

_MEMO: ContextVar[dict | None] = ContextVar("observatory_figures_memo", default=None)


def _memo(key: tuple, compute):
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


MONEY = ("gross", "trade_net", "owed", "margin", "retained")


def _measures(scope: Scope, *, light: bool = False) -> dict:
    """Additive aggregates of the main figures (means are carried as sums and counts). Staff and partners
    count bookings (BookingFact); an operator counts its own day rows, a booking once on its first row
    with the operator, and money on every row."""
    if scope.operator_id is None:
        stayed = LIVE & Q(stay_nights__gt=0)
        return {
            # Every accommodation night's row carries the whole party (facts._days), so a booking's
            # guest-nights are its nights times its party. (First: the names below shadow the fields.)
            "nights": Coalesce(Sum(F("stay_nights") * (F("adults") + F("children") + F("infants")), filter=LIVE), 0),
            "lead_sum": Coalesce(Sum("lead_days", filter=LIVE), 0),
            "stay_sum": Coalesce(Sum("stay_nights", filter=stayed), 0),
            "stay_count": Count("pk", filter=stayed),
            "bookings": Count("pk", filter=LIVE),
            "cancelled": Count("pk", filter=CANCELLED),
            "adults": Coalesce(Sum("adults", filter=LIVE), 0),
            "children": Coalesce(Sum("children", filter=LIVE), 0),
            "infants": Coalesce(Sum("infants", filter=LIVE), 0),
            "gross": Sum("gross", filter=LIVE),
            "trade_net": Sum("trade_net", filter=LIVE),
            "owed": Sum("owed", filter=LIVE),
            "margin": Sum("margin", filter=LIVE),
            "retained": Sum("retained", filter=CANCELLED),
        }
    first = LIVE & Q(first_in_operator=True)
    stayed = first & Q(booking__stay_nights__gt=0)
    if light:
        # The cubes that do not show the party's split nor means: the day rows alone, no join to bookings.
        return {
            "nights": Coalesce(Sum("guest_nights", filter=LIVE), 0),
            "party": Coalesce(Sum("guests", filter=first), 0),
            "bookings": Count("pk", filter=first),
            "cancelled": Count("pk", filter=CANCELLED & Q(first_in_operator=True)),
            "gross": Sum("gross", filter=LIVE),
            "owed": Sum("owed", filter=LIVE),
        }
    return {
        "nights": Coalesce(Sum("guest_nights", filter=LIVE), 0),
        "lead_sum": Coalesce(Sum("booking__lead_days", filter=first), 0),
        "stay_sum": Coalesce(Sum("booking__stay_nights", filter=stayed), 0),
        "stay_count": Count("pk", filter=stayed),
        "bookings": Count("pk", filter=first),
        "cancelled": Count("pk", filter=CANCELLED & Q(first_in_operator=True)),
        "adults": Coalesce(Sum("booking__adults", filter=first), 0),
        "children": Coalesce(Sum("booking__children", filter=first), 0),
        "infants": Coalesce(Sum("booking__infants", filter=first), 0),
        "gross": Sum("gross", filter=LIVE),
        "owed": Sum("owed", filter=LIVE),
    }


def _base(scope: Scope, f: Filters):
    """The queryset the measures aggregate, and the prefix of booking fields on it."""
    if scope.operator_id is None:
        return _bookings(scope, f), ""
    return _days(scope, f), "booking__"


def _date_field(scope: Scope, f: Filters) -> str:
    if scope.operator_id is not None:
        return "date" if f.by == "travel" else "booked_on"
    return "travel_start" if f.by == "travel" else "booked_on"


class MonthStart(Func):
    """The first day of a date's month, as a date (TruncMonth goes through a time zone on every row).
    SQLite (the demo's embedded database) has its own spelling."""

    template = "date_trunc('month', %(expressions)s::timestamp)::date"
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="date(%(expressions)s, 'start of month')", **extra_context)


def _month_of(field_name: str) -> Func:
    return MonthStart(F(field_name))


def _bucket(field_name: str, buckets) -> Case:
    whens = []
    for label, low, high in buckets:
        condition = Q(**{f"{field_name}__gte": low})
        if high is not None:
            condition &= Q(**{f"{field_name}__lte": high})
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(buckets[-1][0]))


def _cube(scope: Scope, f: Filters, name: str, group: dict, *, light: bool = False) -> list[dict]:
    def compute():
        qs, _prefix = _base(scope, f)
        return list(qs.annotate(**group).values(*group).annotate(**_measures(scope, light=light)).order_by())

    return _memo((name, scope, f), compute)


def _time_cube(scope: Scope, f: Filters) -> list[dict]:
    """Bookings by month (of travel start or booking), lead-time bucket and length-of-stay bucket."""
    prefix = "booking__" if scope.operator_id is not None else ""
    group = {"m": _month_of(_date_field(scope, f)), "lead": _bucket(prefix + "lead_days", LEAD_BUCKETS),
             "stay": _bucket(prefix + "stay_nights", STAY_BUCKETS)}  # fmt: skip
    rows = _cube(scope, f, "time", group)
    for row in rows:
        row["m"] = _month(row["m"])
    return rows


def _market_cube(scope: Scope, f: Filters) -> list[dict]:
    """Bookings by channel, partner (staff only) and origin country."""
    group = {"ch": F("channel"), "origin": F("origin_country")}
    if scope.is_staff:
        group["partner_ref"] = F("partner_id")
    return _cube(scope, f, "market", group, light=True)


def _product_cube(scope: Scope, f: Filters) -> list[dict]:
    """Bookings by package and product (the service of a single-service booking; an operator's own service)."""
    return _cube(scope, f, "product", {"package_ref": F("package_id"), "service_ref": F("service_id")}, light=True)


def _day_cube(scope: Scope, f: Filters) -> list[dict]:
    """Day rows by month (of the day or the booking), operator, municipality, area and kind: per group, the
    bookings and guests counted once per area, municipality, operator and kind (on their first_in_* row),
    the guest-nights, the money and the places of limited capacity."""

    def compute():
        freesale = Service.objects.filter(capacity_model=Service.CapacityModel.FREESALE).values("pk")
        measures = {
            "nights": Coalesce(Sum("guest_nights"), 0),
            "gross": Sum("gross"),
            "owed": Sum("owed"),
            "places": Coalesce(Sum("places", filter=~Q(service_id__in=freesale)), 0),
        }
        for level in ("area", "municipality", "operator", "kind"):
            once = Q(**{f"first_in_{level}": True})
            measures[f"bookings_{level}"] = Count("pk", filter=once)
            measures[f"guests_{level}"] = Coalesce(Sum("guests", filter=once), 0)
        # Area follows from the municipality (operators.models.area_of): not grouped, so the groups stay few.
        group = {"m": _month_of("date" if f.by == "travel" else "booked_on"), "op": F("operator_id"),
                 "mun": F("municipality"), "kd": F("kind")}  # fmt: skip
        rows = list(_days(scope, f).filter(LIVE).annotate(**group).values(*group).annotate(**measures).order_by())
        for row in rows:
            row["m"] = _month(row["m"])
            row["ar"] = area_of(row["mun"])
        return rows

    return _memo(("day", scope, f), compute)


def _rollup(rows: list[dict], key, fields) -> dict:
    """Sums of `fields` over the cube rows, per `key(row)`."""
    out: dict = {}
    for row in rows:
        target = out.setdefault(key(row), {})
        for name in fields:
            value = row.get(name)
            if value is not None:
                target[name] = target.get(name, 0) + value
    return out


MEASURE_FIELDS = ("nights", "party", "lead_sum", "stay_sum", "stay_count", "bookings", "cancelled", "adults", "children",
                  "infants", *MONEY)  # fmt: skip


def _money(value) -> Decimal:
    return value if value is not None else ZERO


def _pct(part, whole) -> float | None:
    if not whole:
        return None
    return round(float(part or 0) * 100 / float(whole), 1)


def _money_columns(scope: Scope, *, day_grain: bool = False) -> list[Column]:
    """Money columns the scope may see: staff everything, a partner retail and net, an operator its
    components' retail and what it is owed."""
    if scope.partner_id is not None:
        return [Column("gross", _("Retail"), "money"), Column("trade_net", _("Net"), "money")]
    if scope.operator_id is not None:
        return [Column("gross", _("Revenue (gross)"), "money"), Column("owed", _("Owed to you"), "money")]
    if day_grain:
        return [Column("gross", _("Revenue (gross)"), "money"), Column("owed", _("Owed to operators"), "money")]
    return [
        Column("gross", _("Revenue (gross)"), "money"),
        Column("margin", _("DMC margin"), "money"),
        Column("owed", _("Owed to operators"), "money"),
        Column("trade_net", _("Trade at net"), "money"),
    ]


def _clean(row: dict) -> dict:
    """Guests from the party, money as Decimal, rates and means from the additive aggregates."""
    out = dict(row)
    for name in ("bookings", "cancelled", "adults", "children", "infants", "nights"):
        out[name] = out.get(name) or 0
    out["guests"] = out["adults"] + out["children"] + out["infants"] + (out.pop("party", 0) or 0)
    for name in MONEY:
        out[name] = _money(out.get(name))
    out["cancellation_rate"] = _pct(out["cancelled"], out["bookings"] + out["cancelled"])
    out["lead"] = round(out.get("lead_sum", 0) / out["bookings"], 1) if out["bookings"] else None
    out["stay"] = round(out.get("stay_sum", 0) / out["stay_count"], 1) if out.get("stay_count") else None
    return out


def _nights_by_month(scope: Scope, f: Filters) -> dict:
    """Guest-nights per month of the day (or of the booking) from the day cube (staff and partners; an
    operator's measures are already day rows)."""
    return {key: values.get("nights", 0) for key, values in
            _rollup(_day_cube(scope, f), lambda r: r["m"], ["nights"]).items()}  # fmt: skip


def _merge_previous(rows: list[dict], previous: dict, key, keys: list[str]) -> list[dict]:
    """Adds `<name>_prev` and `<name>_change` (percent) to each row from `previous` (key -> row)."""
    for row in rows:
        old = previous.get(key(row), {})
        for name in keys:
            prev = old.get(name)
            if prev is None:
                prev = ZERO if name in MONEY else 0
            row[f"{name}_prev"] = prev
            row[f"{name}_change"] = _pct((row.get(name) or 0) - prev, prev) if prev else None
    return rows


def _prev_columns(columns: list[Column], keys: list[str]) -> list[Column]:
    out = []
    for column in columns:
        out.append(column)
        if column.key in keys:
            out.append(Column(f"{column.key}_prev", _("%(figure)s, year before") % {"figure": column.label},
                              column.kind))  # fmt: skip
            out.append(Column(f"{column.key}_change", _("%(figure)s, change") % {"figure": column.label}, "percent"))
    return out


def _only(rows: list[dict], columns: list[Column], extra: tuple = ()) -> list[dict]:
    keys = [c.key for c in columns] + ["code", *extra]
    return [{key: row[key] for key in keys if key in row} for row in rows]


def _totals(rows: list[dict], columns: list[Column]) -> dict:
    """Sums of the count and money columns (rates and means are not summed)."""
    totals: dict = {}
    for column in columns:
        if column.kind in ("int", "money") and not column.key.endswith("_prev"):
            totals[column.key] = sum((row.get(column.key) or 0 for row in rows), ZERO if column.kind == "money" else 0)
    if columns:
        totals[columns[0].key] = _("Total")
    return totals


def _figure_columns(scope: Scope) -> list[Column]:
    return [
        Column("bookings", _("Bookings"), "int"),
        Column("guests", _("Guests"), "int"),
        Column("nights", _("Guest-nights"), "int"),
        *_money_columns(scope),
        Column("cancellation_rate", _("Cancellation rate"), "percent"),
    ]


PREV = ["bookings", "guests", "nights", "gross"]


# --- summary ----------------------------------------------------------------------------------------


def _summary_values(scope: Scope, f: Filters) -> dict:
    values = _rollup(_time_cube(scope, f), lambda r: "all", MEASURE_FIELDS).get("all", {})
    if scope.operator_id is None:
        values["nights"] = sum(_nights_by_month(scope, f).values())
    return _clean(values)


def _summary_metrics(scope: Scope) -> list[tuple[str, str, str]]:
    metrics = [
        ("bookings", _("Bookings"), "int"),
        ("guests", _("Guests"), "int"),
        ("adults", _("Adults"), "int"),
        ("children", _("Children"), "int"),
        ("infants", _("Infants"), "int"),
        ("nights", _("Accommodation nights (guest-nights)"), "int"),
    ]
    metrics += [(c.key, c.label, c.kind) for c in _money_columns(scope)]
    if scope.is_staff:
        metrics.append(("retained", _("Kept from cancellations"), "money"))
    metrics += [
        ("cancelled", _("Cancelled bookings"), "int"),
        ("cancellation_rate", _("Cancellation rate"), "percent"),
        ("lead", _("Mean lead time (days)"), "number"),
        ("stay", _("Mean length of stay (nights)"), "number"),
    ]
    return metrics


def summary(scope: Scope, f: Filters) -> Table:
    """One row per figure (`key`, `metric`, `kind` of its value, `value`; with compare `previous` and
    `change` in percent, none for rates)."""
    current = _summary_values(scope, f)
    previous = _summary_values(scope, f.previous()) if f.compare else None
    rows = []
    for key, label, kind in _summary_metrics(scope):
        row = {"key": key, "metric": label, "kind": kind, "value": current.get(key)}
        if previous is not None:
            row["previous"] = previous.get(key)
            old = row["previous"]
            row["change"] = _pct(float(row["value"] or 0) - float(old), old) if kind != "percent" and old else None
        rows.append(row)
    columns = [Column("metric", _("Figure"), "text"), Column("value", _("Value"), "number")]
    if f.compare:
        columns += [Column("previous", _("Year before"), "number"), Column("change", _("Change"), "percent")]
    if scope.operator_id is not None:
        note = _("Bookings touching your services, counted once each; guests are their parties; revenue is "
                 "your services' retail price; nights are guest-nights in your accommodation.")  # fmt: skip
    else:
        note = _("Each booking counted once (cancelled ones only in the cancellation rate); nights are "
                 "guest-nights on the period's accommodation days.")  # fmt: skip
    return Table("summary", _("Summary"), columns, rows, note=note)


# --- by month and season -----------------------------------------------------------------------------


def _month_values(scope: Scope, f: Filters) -> dict:
    """month -> cleaned figures, every month of the period (nights by the month of each night)."""
    by_month = _rollup(_time_cube(scope, f), lambda r: r["m"], MEASURE_FIELDS)
    nights = _nights_by_month(scope, f) if scope.operator_id is None else None
    out = {}
    month = f.start.replace(day=1)
    while month <= f.end:
        values = dict(by_month.get(month, {}))
        if nights is not None:
            values["nights"] = nights.get(month, 0)
        out[month] = _clean(values)
        month = _add_months(month, 1)
    return out


def by_month(scope: Scope, f: Filters) -> Table:
    values = _month_values(scope, f)
    rows = [dict(row, month=month) for month, row in values.items()]
    columns = [Column("month", _("Month"), "text"), *_figure_columns(scope)]
    if f.compare:
        _merge_previous(rows, _month_values(scope, f.previous()), lambda r: _year_before(r["month"]), PREV)
        columns = _prev_columns(columns, PREV)
    for row in rows:
        row["month"] = row["month"].strftime("%Y-%m")
    return Table("by-month", _("By month"), columns, _only(rows, columns), chart="line", chart_value="guests",
                 totals=_totals(rows, columns),
                 note=_("Bookings and guests in the month of their first travel day (or of the booking); "
                        "guest-nights in the month of each night."))  # fmt: skip


def season_label(season: str) -> str:
    return {"high": _("High season (June to September)"), "shoulder": _("Shoulder season (April, May, October)"),
            "low": _("Low season (November to March)")}[season]  # fmt: skip


def _season_values(scope: Scope, f: Filters) -> dict:
    months = _month_values(scope, f)
    rows = [dict(values, m=month) for month, values in months.items()]
    by_season = _rollup(rows, lambda r: SEASON_OF_MONTH[r["m"].month], MEASURE_FIELDS)
    return {season: _clean(by_season.get(season, {})) for season in SEASONS}


def by_season(scope: Scope, f: Filters) -> Table:
    values = _season_values(scope, f)
    rows = [dict(row, season=season, label=season_label(season)) for season, row in values.items()]
    columns = [Column("label", _("Season"), "text"), *_figure_columns(scope)]
    if f.compare:
        _merge_previous(rows, _season_values(scope, f.previous()), lambda r: r["season"], PREV)
        columns = _prev_columns(columns, PREV)
    return Table("by-season", _("By season"), columns, _only(rows, columns, ("season",)), chart="bar",
                 chart_value="guests", totals=_totals(rows, columns),
                 note=_("Seasons by the month of the first travel day (or of the booking), guest-nights by the "
                        "month of each night: high June to September, shoulder April, May and October, low "
                        "November to March."))  # fmt: skip


# The tables' titles (the first column is named after what the rows are).
TITLES = {
    "by-area": lambda: _("By area"),
    "by-municipality": lambda: _("By municipality"),
    "by-operator": lambda: _("By operator"),
    "by-kind": lambda: _("By kind of service"),
    "by-package": lambda: _("By package or product"),
    "by-channel": lambda: _("By channel"),
    "by-origin": lambda: _("By country of origin"),
    "lead-time": lambda: _("Lead time"),
    "length-of-stay": lambda: _("Length of stay"),
}


# --- day grain: by area, municipality, operator, kind -----------------------------------------------

LEVELS = {"area": "ar", "municipality": "mun", "operator": "op", "kind": "kd"}


def _day_columns(scope: Scope) -> list[Column]:
    return [
        Column("bookings", _("Bookings"), "int"),
        Column("guests", _("Guests"), "int"),
        Column("nights", _("Guest-nights"), "int"),
        *_money_columns(scope, day_grain=True),
    ]


def _level_values(scope: Scope, f: Filters, level: str) -> dict:
    """key -> figures of one level: bookings and guests once per booking and key, nights and money of
    every day row."""
    dim = LEVELS[level]
    sums = _rollup(_day_cube(scope, f), lambda r: r[dim], [f"bookings_{level}", f"guests_{level}", "nights", "gross",
                                                           "owed"])  # fmt: skip
    return {
        key: {"key": key, "bookings": v.get(f"bookings_{level}", 0), "guests": v.get(f"guests_{level}", 0),
              "nights": v.get("nights", 0), "gross": _money(v.get("gross")), "owed": _money(v.get("owed"))}
        for key, v in sums.items()
    }  # fmt: skip


def _day_table(scope, f, *, key, title, level, label, chart="bar", code=False, note="") -> Table:
    values = _level_values(scope, f, level)
    rows = list(values.values())
    columns = [Column("label", title, "text"), *_day_columns(scope)]
    if f.compare:
        _merge_previous(rows, _level_values(scope, f.previous(), level), lambda r: r["key"], PREV)
        columns = _prev_columns(columns, PREV)
    names = label(rows)
    for row in rows:
        row["label"] = names.get(row["key"], str(row["key"]))
        if code:
            row["code"] = row["key"]
    rows.sort(key=lambda r: (-r["guests"], str(r["label"])))
    return Table(key, TITLES[key](), columns, _only(rows, columns, ("key",)), chart=chart, chart_value="guests",
                 totals=_totals(rows, columns), note=note)  # fmt: skip


def by_area(scope: Scope, f: Filters) -> Table:
    return _day_table(scope, f, key="by-area", title=_("Area"), level="area",
                      label=lambda rows: {k: str(v) for k, v in Area.choices},
                      note=_("Each booking counted once per area it touches, with its party; guest-nights "
                             "and money of the days spent there."))  # fmt: skip


def by_municipality(scope: Scope, f: Filters) -> Table:
    return _day_table(scope, f, key="by-municipality", title=_("Municipality"), level="municipality",
                      label=lambda rows: {k: str(v) for k, v in Municipality.choices}, chart="map", code=True,
                      note=_("Each booking counted once per municipality it touches (where the operator is), "
                             "with its party; guest-nights and money of the days there."))  # fmt: skip


def by_operator(scope: Scope, f: Filters) -> Table:
    def names(rows):
        return dict(Operator.objects.filter(pk__in=[r["key"] for r in rows]).values_list("pk", "name"))

    return _day_table(scope, f, key="by-operator", title=_("Operator"), level="operator", label=names,
                      note=_("Each booking counted once per operator it books, with its party; money is the "
                             "operator's components (retail) and what it is owed."))  # fmt: skip


def by_kind(scope: Scope, f: Filters) -> Table:
    return _day_table(scope, f, key="by-kind", title=_("Kind of service"), level="kind",
                      label=lambda rows: {k: str(v) for k, v in Service.Kind.choices},
                      note=_("Each booking counted once per kind of service it books, with its party; "
                             "money of those components."))  # fmt: skip


# --- booking grain by a dimension: package, channel, origin, lead time, stay --------------------------


def _dimension_values(rows: list[dict], key) -> dict:
    return {k: dict(_clean(v), key=k) for k, v in _rollup(rows, key, MEASURE_FIELDS).items()}


def _dimension_table(scope, f, *, key, title, cube, dim, label, fixed=None, chart="bar", chart_value="guests",
                     note="") -> Table:  # fmt: skip
    """The figures by one dimension of a booking cube (`dim(row)` its key); `fixed` lists every key in
    order (buckets), else rows come by bookings."""
    values = _dimension_values(cube(scope, f), dim)
    if fixed is not None:
        rows = [values.get(k) or dict(_clean({}), key=k) for k in fixed]
    else:
        rows = list(values.values())
    columns = [Column("label", title, "text"), *_figure_columns(scope)]
    if f.compare:
        _merge_previous(rows, _dimension_values(cube(scope, f.previous()), dim), lambda r: r["key"], PREV)
        columns = _prev_columns(columns, PREV)
    names = label(rows)
    for row in rows:
        row["label"] = names.get(row["key"], str(row["key"]))
    if fixed is None:
        rows.sort(key=lambda r: (-r["bookings"], str(r["label"])))
    return Table(key, TITLES[key](), columns, _only(rows, columns, ("key",)), chart=chart, chart_value=chart_value,
                 totals=_totals(rows, columns), note=note)  # fmt: skip


def by_package(scope: Scope, f: Filters) -> Table:
    from packages.models import Package

    def names(rows):
        packages = {r["key"][0] for r in rows if r["key"][0]}
        services = {r["key"][1] for r in rows if r["key"][1] and not r["key"][0]}
        titles = dict(Package.objects.filter(pk__in=packages).values_list("pk", "title")) if packages else {}
        products = dict(Service.objects.filter(pk__in=services).values_list("pk", "name")) if services else {}
        return {r["key"]: titles.get(r["key"][0]) or products.get(r["key"][1]) or _("Unknown") for r in rows}

    # A package booking is counted under its package; a single product booked alone under the product.
    def dim(row):
        return (row["package_ref"], None if row["package_ref"] else row["service_ref"])

    table_ = _dimension_table(
        scope, f, key="by-package", title=_("Package or product"), cube=_product_cube, dim=dim, label=names,
        note=_("Each booking counted once under the package (or single product) booked; guest-nights are all "
               "the nights of those bookings."),
    )  # fmt: skip
    for row in table_.rows:
        row["key"] = f"package:{row['key'][0]}" if row["key"][0] else f"service:{row['key'][1]}"
    return table_


def by_channel(scope: Scope, f: Filters) -> Table:
    channels = dict(Channel.choices)

    def dim(row):
        return (row["ch"], row.get("partner_ref"))

    def names(rows):
        from marketplace.trade.models import TradePartner

        partners = {r["key"][1] for r in rows if r["key"][1]}
        legal = dict(TradePartner.objects.filter(pk__in=partners).values_list("pk", "legal_name")) if partners else {}
        out = {}
        for r in rows:
            channel, partner = r["key"]
            name = str(channels.get(channel, channel))
            out[r["key"]] = f"{name}: {legal.get(partner, partner)}" if partner else name
        return out

    table_ = _dimension_table(scope, f, key="by-channel", title=_("Channel"), cube=_market_cube, dim=dim,
                              label=names,
                              note=_("Each booking counted once under the channel it came through (web shop, "
                                     "partner portal, API) and, for staff, the trade partner; guest-nights are all the nights of "
                                     "those bookings."))  # fmt: skip
    for row in table_.rows:
        channel, partner = row["key"]
        row["key"] = f"partner:{partner}" if partner else channel
    return table_


def country_name(code: str) -> str:
    """The country's name in the active language (Babel), the code when unknown."""
    if not code:
        return _("Unknown")
    try:
        locale = Locale.parse(translation.get_language() or "en", sep="-")
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return locale.territories.get(code.upper(), code.upper())


def by_origin(scope: Scope, f: Filters) -> Table:
    table_ = _dimension_table(scope, f, key="by-origin", title=_("Country of origin"), cube=_market_cube,
                              dim=lambda r: r["origin"], label=lambda rows: {r["key"]: country_name(r["key"]) for r in rows},
                              note=_("Each booking counted once under its guests' country of residence (the "
                                     "partner's country when the guests' is not known); guest-nights are all the nights of those "
                                     "bookings."))  # fmt: skip
    for row in table_.rows:
        row["code"] = row["key"]
    return table_


def lead_time(scope: Scope, f: Filters) -> Table:
    return _dimension_table(scope, f, key="lead-time", title=_("Lead time (days)"), cube=_time_cube,
                            dim=lambda r: r["lead"], fixed=[b[0] for b in LEAD_BUCKETS],
                            label=lambda rows: {b[0]: b[0] for b in LEAD_BUCKETS}, chart_value="bookings",
                            note=_("Days between the booking and the first travel day, each booking counted "
                                   "once; guest-nights are all the nights of those bookings."))  # fmt: skip


def length_of_stay(scope: Scope, f: Filters) -> Table:
    return _dimension_table(scope, f, key="length-of-stay", title=_("Length of stay (nights)"), cube=_time_cube,
                            dim=lambda r: r["stay"], fixed=[b[0] for b in STAY_BUCKETS],
                            label=lambda rows: {b[0]: b[0] for b in STAY_BUCKETS}, chart_value="bookings",
                            note=_("Accommodation nights booked, each booking counted once; 0 means no "
                                   "accommodation (day visits, experiences)."))  # fmt: skip


# --- occupancy ---------------------------------------------------------------------------------------


def _area_case(field_name: str) -> Case:
    return Case(When(**{f"{field_name}__in": list(PIANA_DI_LUCCA)}, then=Value(Area.PIANA_DI_LUCCA.value)),
                default=Value(Area.CASENTINO.value))  # fmt: skip


def _label_holders(scheme_id: int, model):
    from certifications.selectors import award_qs_shown

    return (
        award_qs_shown()
        .filter(scheme_id=scheme_id, subject_type=ContentType.objects.get_for_model(model))
        .values("subject_id")
    )


def _occupancy_values(scope: Scope, f: Filters) -> dict:
    travel = replace(f, by="travel")
    slots = Slot.objects.filter(date__range=(f.start, f.end), closed=False, blocked=False, capacity__isnull=False)
    slots = slots.exclude(service__capacity_model=Service.CapacityModel.FREESALE)
    if scope.operator_id is not None:
        slots = slots.filter(service__operator_id=scope.operator_id)
    if f.kind:
        slots = slots.filter(service__kind=f.kind)
    if f.area:
        slots = slots.filter(**{"service__operator__municipality__in": [m for m in Municipality.values
                                                                        if area_of(m) == f.area]})  # fmt: skip
    if f.label is not None:
        slots = slots.filter(
            Q(service__operator_id__in=_label_holders(f.label, Operator))
            | Q(service_id__in=_label_holders(f.label, Service))
        )
    offered = _memo(("offered", scope, travel), lambda: list(
        slots.annotate(kd=F("service__kind"), ar=_area_case("service__operator__municipality"))
        .values("kd", "ar").annotate(offered=Sum("capacity")).order_by()
    ))  # fmt: skip
    values = {(r["kd"], r["ar"]): {"offered": r["offered"] or 0, "booked": 0} for r in offered}
    for key, booked in _rollup(_day_cube(scope, travel), lambda r: (r["kd"], r["ar"]), ["places"]).items():
        values.setdefault(key, {"offered": 0, "booked": 0})["booked"] = booked.get("places", 0)
    for row in values.values():
        row["occupancy"] = _pct(row["booked"], row["offered"])
    return values


def occupancy(scope: Scope, f: Filters) -> Table:
    values = _occupancy_values(scope, f)
    kinds, areas = dict(Service.Kind.choices), dict(Area.choices)
    rows = [
        dict(v, key=key, kind=key[0], area=key[1], kind_label=str(kinds.get(key[0], key[0])),
             area_label=str(areas.get(key[1], key[1])))
        for key, v in sorted(values.items())
    ]  # fmt: skip
    columns = [
        Column("kind_label", _("Kind of service"), "text"),
        Column("area_label", _("Area"), "text"),
        Column("offered", _("Places offered"), "int"),
        Column("booked", _("Places booked"), "int"),
        Column("occupancy", _("Occupancy"), "percent"),
    ]
    if f.compare:
        _merge_previous(rows, _occupancy_values(scope, f.previous()), lambda r: r["key"], ["booked", "occupancy"])
        columns = _prev_columns(columns, ["booked", "occupancy"])
    totals = _totals(rows, columns)
    totals["occupancy"] = _pct(totals.get("booked"), totals.get("offered"))
    return Table("occupancy", _("Occupancy"), columns, _only(rows, columns, ("kind", "area")), chart="bar",
                 chart_value="occupancy", totals=totals,
                 note=_("Places taken by bookings not cancelled against the capacity of open slots on the "
                        "period's travel days; per-group services count groups, freesale services (no limit) "
                        "are left out."))  # fmt: skip


# --- official flows ----------------------------------------------------------------------------------


def _flow_rows(scope: Scope, f: Filters) -> list[dict]:
    flows = OfficialFlow.objects.filter(month__range=(f.start.replace(day=1), f.end))
    if f.area:
        flows = flows.filter(municipality__in=[m for m in Municipality.values if area_of(m) == f.area])
    rows: dict = {}
    empty = {"arrivals": 0, "official_nights": 0, "guests": 0, "nights": 0}
    for row in flows.values("municipality", "month").annotate(a=Sum("arrivals"), n=Sum("nights")).order_by():
        target = rows.setdefault((row["municipality"], _month(row["month"])), dict(empty))
        target["arrivals"], target["official_nights"] = row["a"] or 0, row["n"] or 0
    ours = _rollup(_day_cube(scope, replace(f, by="travel")), lambda r: (r["mun"], r["m"]),
                   ["guests_municipality", "nights"])  # fmt: skip
    for key, values in ours.items():
        target = rows.setdefault(key, dict(empty))
        target["guests"], target["nights"] = values.get("guests_municipality", 0), values.get("nights", 0)
    names = dict(Municipality.choices)
    out = []
    for (municipality, month), values in sorted(rows.items()):
        out.append({"code": municipality, "municipality": str(names.get(municipality, municipality)),
                    "month": month.strftime("%Y-%m"), **values,
                    "share": _pct(values["nights"], values["official_nights"])})  # fmt: skip
    return out


def official_flows(scope: Scope, f: Filters) -> Table:
    rows = _flow_rows(scope, f)
    columns = [
        Column("municipality", _("Municipality"), "text"),
        Column("month", _("Month"), "text"),
        Column("arrivals", _("Official arrivals"), "int"),
        Column("official_nights", _("Official nights"), "int"),
        Column("guests", _("Our guests"), "int"),
        Column("nights", _("Our guest-nights"), "int"),
        Column("share", _("Our share of nights"), "percent"),
    ]
    totals = _totals(rows, columns)
    totals["share"] = _pct(totals.get("nights"), totals.get("official_nights"))
    return Table("official-flows", _("Official flows beside our bookings"), columns, _only(rows, columns),
                 chart="bar", chart_value="share", totals=totals,
                 note=_("Official arrivals and nights (all origins) per municipality and month beside our "
                        "guests (once per booking and municipality) and guest-nights by travel date; the share "
                        "is our guest-nights over the official nights."))  # fmt: skip


# --- registry ----------------------------------------------------------------------------------------

STAFF = "staff"
OPERATOR = "operator"
PARTNER = "partner"


def _who(scope: Scope) -> str:
    if scope.operator_id is not None:
        return OPERATOR
    if scope.partner_id is not None:
        return PARTNER
    return STAFF


# key -> (builder, scopes allowed); in dashboard order.
TABLES: dict = {
    "summary": (summary, {STAFF, OPERATOR, PARTNER}),
    "by-month": (by_month, {STAFF, OPERATOR, PARTNER}),
    "by-season": (by_season, {STAFF, OPERATOR, PARTNER}),
    "by-area": (by_area, {STAFF}),
    "by-municipality": (by_municipality, {STAFF}),
    "by-operator": (by_operator, {STAFF}),
    "by-kind": (by_kind, {STAFF}),
    "by-package": (by_package, {STAFF, OPERATOR, PARTNER}),
    "by-channel": (by_channel, {STAFF, OPERATOR, PARTNER}),
    "by-origin": (by_origin, {STAFF, OPERATOR, PARTNER}),
    "lead-time": (lead_time, {STAFF, OPERATOR, PARTNER}),
    "length-of-stay": (length_of_stay, {STAFF, OPERATOR, PARTNER}),
    "occupancy": (occupancy, {STAFF, OPERATOR}),
    "official-flows": (official_flows, {STAFF}),
}


# Memory for one query's sorts and hash tables while the figures run: the cubes group a few hundred
# thousand rows into a few thousand groups, which PostgreSQL hashes in memory with this much instead of
# sorting on disk (the 4 MB default). SET LOCAL: it ends with the transaction.
REPORTING_WORK_MEM = "64MB"


@contextmanager
def _reporting():
    """One transaction for the figures of a call (a consistent snapshot), with room to hash, and the
    cubes shared by its tables."""
    token = _MEMO.set({})
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # JIT compiles each of these one-off aggregates for longer than it saves.
                    cursor.execute(f"SET LOCAL work_mem = '{REPORTING_WORK_MEM}'; SET LOCAL jit = off")
            yield
    finally:
        _MEMO.reset(token)


def table_keys(scope: Scope) -> list[str]:
    who = _who(scope)
    return [key for key, (_builder, allowed) in TABLES.items() if who in allowed]


def table(scope: Scope, filters: Filters, key: str) -> Table:
    """One table (for exports). KeyError if the key is unknown or not for this scope."""
    builder, allowed = TABLES[key]
    if _who(scope) not in allowed:
        raise KeyError(key)
    with _reporting():
        return builder(scope, filters)


def dashboard(scope: Scope, filters: Filters) -> list[Table]:
    """Every table the scope may see, in the dashboard's order (sharing the cubes they are rolled up from)."""
    with _reporting():
        return [TABLES[key][0](scope, filters) for key in table_keys(scope)]
