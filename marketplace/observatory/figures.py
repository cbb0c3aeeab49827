"""The observatory's figures: every table of the dashboard, computed by aggregate SQL over the fact tables.

Who looks (`Scope`) and what they asked (`Filters`) go in, `Table`s come out; views, charts and exports
(another module) only lay them out. Each table is a fixed handful of aggregate queries (GROUP BY with
conditional aggregates): the query count never depends on how many bookings there are, and no booking or
fact row is ever loaded into Python.

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
- An operator (`Scope(operator_id=…)`) sees only the day rows of its own services: its bookings are the
  bookings touching them (counted on their `first_in_operator` row), its guests that row's party, its
  revenue its components' retail price and what it is owed; no DMC margin, trade net, partner names or
  official flows.
- A partner (`Scope(partner_id=…)`) sees only its own bookings (portal and API): bookings, guests,
  nights, retail and net; no operator's owed, no DMC margin, nothing of other partners.
- The scope is applied by every query whatever the filters say: a filter can only narrow it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Case, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
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
        super().__init__(data if data is not None else {}, **kwargs)
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


def _day_q(scope: Scope, f: Filters) -> Q:
    """What a day row must be to count for this scope and these filters (besides the dates)."""
    q = _channel_q(f.channel)
    if f.area:
        q &= Q(area=f.area)
    if f.kind:
        q &= Q(kind=f.kind)
    if f.label is not None:
        q &= _label_q(f.label)
    if scope.operator_id is not None:
        q &= Q(operator_id=scope.operator_id)
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
    day_q = Q()
    if f.area:
        day_q &= Q(area=f.area)
    if f.kind:
        day_q &= Q(kind=f.kind)
    if f.label is not None:
        day_q &= _label_q(f.label)
    if scope.operator_id is not None:
        day_q &= Q(operator_id=scope.operator_id)
    if day_q:
        qs = qs.filter(Exists(BookingDayFact.objects.filter(day_q, booking=OuterRef("pk"))))
    return qs


def _money(value) -> Decimal:
    return value if value is not None else ZERO


def _pct(part, whole) -> float | None:
    if not whole:
        return None
    return round(float(part or 0) * 100 / float(whole), 1)


# --- measures: the same figures at the booking grain (staff, partner) or an operator's day rows -------


def _measures(scope: Scope) -> dict:
    """Aggregates of the main figures. Staff and partners count bookings (BookingFact); an operator
    counts its own day rows, a booking once on its first row with the operator."""
    if scope.operator_id is None:
        measures = {
            # Every accommodation night's row carries the whole party (facts._days), so a booking's
            # guest-nights are its nights times its party. (First: the names below shadow the fields.)
            "nights": Coalesce(Sum(F("stay_nights") * (F("adults") + F("children") + F("infants")), filter=LIVE), 0),
            "bookings": Count("pk", filter=LIVE),
            "cancelled": Count("pk", filter=CANCELLED),
            "adults": Coalesce(Sum("adults", filter=LIVE), 0),
            "children": Coalesce(Sum("children", filter=LIVE), 0),
            "infants": Coalesce(Sum("infants", filter=LIVE), 0),
            "gross": Sum("gross", filter=LIVE),
            "trade_net": Sum("trade_net", filter=LIVE),
            "retained": Sum("retained", filter=CANCELLED),
            "lead": Avg("lead_days", filter=LIVE),
            "stay": Avg("stay_nights", filter=LIVE & Q(stay_nights__gt=0)),
        }
        if scope.partner_id is None:
            measures["owed"] = Sum("owed", filter=LIVE)
            measures["margin"] = Sum("margin", filter=LIVE)
        return measures
    first = Q(first_in_operator=True)
    return {
        "bookings": Count("pk", filter=LIVE & first),
        "cancelled": Count("pk", filter=CANCELLED & first),
        "adults": Coalesce(Sum("booking__adults", filter=LIVE & first), 0),
        "children": Coalesce(Sum("booking__children", filter=LIVE & first), 0),
        "infants": Coalesce(Sum("booking__infants", filter=LIVE & first), 0),
        "gross": Sum("gross", filter=LIVE),
        "owed": Sum("owed", filter=LIVE),
        "nights": Coalesce(Sum("guest_nights", filter=LIVE), 0),
        "lead": Avg("booking__lead_days", filter=LIVE & first),
        "stay": Avg("booking__stay_nights", filter=LIVE & first & Q(booking__stay_nights__gt=0)),
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


def _money_columns(scope: Scope, *, day_grain: bool = False) -> list[Column]:
    """Money columns the scope may see: staff everything, a partner retail and net, an operator its
    components' retail and what it is owed."""
    if scope.partner_id is not None:
        return [Column("gross", _("Retail"), "money"), Column("trade_net", _("Net"), "money")]
    if scope.operator_id is not None or day_grain:
        return [Column("gross", _("Revenue (gross)"), "money"), Column("owed", _("Owed to operators"), "money")]
    return [
        Column("gross", _("Revenue (gross)"), "money"),
        Column("margin", _("DMC margin"), "money"),
        Column("owed", _("Owed to operators"), "money"),
        Column("trade_net", _("Trade at net"), "money"),
    ]


def _clean(row: dict, money: list[Column]) -> dict:
    """Guests from the party, money as Decimal, cancellation rate; drops the aggregates not shown."""
    out = dict(row)
    out["guests"] = (out.get("adults") or 0) + (out.get("children") or 0) + (out.get("infants") or 0)
    for column in money:
        out[column.key] = _money(out.get(column.key))
    out["cancellation_rate"] = _pct(out.get("cancelled"), (out.get("bookings") or 0) + (out.get("cancelled") or 0))
    return out


def _merge_previous(rows: list[dict], previous: list[dict], key, keys: list[str], current_key=None) -> list[dict]:
    """Adds `<key>_prev` and `<key>_change` (percent) to each row from the year before's row of the same key."""
    before = {key(row): row for row in previous}
    for row in rows:
        old = before.get((current_key or key)(row), {})
        for name in keys:
            row[f"{name}_prev"] = old.get(name, 0 if name not in {"gross", "trade_net", "margin", "owed"} else ZERO)
            prev = row[f"{name}_prev"]
            row[f"{name}_change"] = _pct((row.get(name) or 0) - (prev or 0), prev) if prev else None
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


# --- summary ----------------------------------------------------------------------------------------


def _nights(scope: Scope, f: Filters) -> int:
    return _days(scope, f).filter(LIVE).aggregate(n=Coalesce(Sum("guest_nights"), 0))["n"]


def _summary_values(scope: Scope, f: Filters) -> dict:
    qs, _prefix = _base(scope, f)
    values = qs.aggregate(**_measures(scope))
    if scope.operator_id is None:
        values["nights"] = _nights(scope, f)
    return values


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


def _rounded(value, kind):
    if value is None:
        return ZERO if kind == "money" else (0 if kind == "int" else None)
    if kind == "number":
        return round(float(value), 1)
    return value


def summary(scope: Scope, f: Filters) -> Table:
    money = _money_columns(scope)
    current = _clean(_summary_values(scope, f), money + [Column("retained", "", "money")])
    previous = _clean(_summary_values(scope, f.previous()), money + [Column("retained", "", "money")]) \
        if f.compare else None  # fmt: skip
    rows = []
    for key, label, kind in _summary_metrics(scope):
        row = {"key": key, "metric": label, "kind": kind, "value": _rounded(current.get(key), kind)}
        if previous is not None:
            row["previous"] = _rounded(previous.get(key), kind)
            row["change"] = (
                _pct(float(row["value"] or 0) - float(row["previous"] or 0), row["previous"])
                if kind != "percent" and row["previous"] else None
            )  # fmt: skip
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


def _figure_columns(scope: Scope) -> list[Column]:
    return [
        Column("bookings", _("Bookings"), "int"),
        Column("guests", _("Guests"), "int"),
        Column("nights", _("Guest-nights"), "int"),
        *_money_columns(scope),
        Column("cancellation_rate", _("Cancellation rate"), "percent"),
    ]


def _grouped(scope: Scope, f: Filters, group: dict, order: list[str]) -> list[dict]:
    """The measures grouped by `group` (name -> expression) over the scope's base queryset."""
    qs, _prefix = _base(scope, f)
    measures = _measures(scope)
    measures.pop("lead")
    measures.pop("stay")
    rows = qs.annotate(**group).values(*group).annotate(**measures).order_by(*order)
    money = _money_columns(scope)
    return [_clean(row, money) for row in rows]


def _nights_by(scope: Scope, f: Filters, group: dict) -> dict:
    if scope.operator_id is not None:
        return {}
    rows = _days(scope, f).filter(LIVE).annotate(**group).values(*group).annotate(n=Sum("guest_nights"))
    return {tuple(row[name] for name in group): row["n"] or 0 for row in rows}


def _month_rows(scope: Scope, f: Filters) -> list[dict]:
    rows = _grouped(scope, f, {"month": TruncMonth(_date_field(scope, f))}, ["month"])
    nights_field = "date" if f.by == "travel" else "booked_on"
    nights = _nights_by(scope, f, {"month": TruncMonth(nights_field)})
    by_month = {_month(row["month"]): row for row in rows}
    out = []
    month = f.start.replace(day=1)
    money = _money_columns(scope)
    while month <= f.end:
        row = by_month.get(month) or _clean({"bookings": 0, "cancelled": 0}, money)
        row["month"] = month
        if scope.operator_id is None:
            row["nights"] = nights.get((month,), 0)
        row.setdefault("nights", 0)
        out.append(row)
        month = _add_months(month, 1)
    return out


def by_month(scope: Scope, f: Filters) -> Table:
    rows = _month_rows(scope, f)
    columns = [Column("month", _("Month"), "text"), *_figure_columns(scope)]
    if f.compare:
        _merge_previous(rows, _month_rows(scope, f.previous()), lambda r: r["month"],
                        ["bookings", "guests", "nights", "gross"],
                        current_key=lambda r: _year_before(r["month"]).replace(day=1))  # fmt: skip
        columns = _prev_columns(columns, ["bookings", "guests", "nights", "gross"])
    for row in rows:
        row["month"] = row["month"].strftime("%Y-%m")
    return Table("by-month", _("By month"), columns, _only(rows, columns), chart="line", chart_value="guests",
                 totals=_totals(rows, columns),
                 note=_("Bookings and guests in the month of their first travel day (or of the booking); "
                        "guest-nights in the month of each night."))  # fmt: skip


def _only(rows: list[dict], columns: list[Column], extra: tuple = ("code",)) -> list[dict]:
    keys = [c.key for c in columns] + list(extra)
    return [{key: row[key] for key in keys if key in row} for row in rows]


def _totals(rows: list[dict], columns: list[Column]) -> dict:
    """Sums of the count and money columns (rates and means are not summed)."""
    totals = {}
    for column in columns:
        if column.kind in ("int", "money") and not column.key.endswith("_prev"):
            totals[column.key] = sum((row.get(column.key) or 0 for row in rows), ZERO if column.kind == "money" else 0)
    if columns:
        totals[columns[0].key] = _("Total")
    return totals


def _season_expr(field_name: str) -> Case:
    whens = []
    for season in SEASONS:
        months = [m for m, s in SEASON_OF_MONTH.items() if s == season]
        whens.append(When(**{f"{field_name}__month__in": months}, then=Value(season)))
    return Case(*whens, default=Value("low"))


def season_label(season: str) -> str:
    return {"high": _("High season (June to September)"), "shoulder": _("Shoulder season (April, May, October)"),
            "low": _("Low season (November to March)")}[season]  # fmt: skip


def by_season(scope: Scope, f: Filters) -> Table:
    def rows_for(filters):
        rows = _grouped(scope, filters, {"season": _season_expr(_date_field(scope, filters))}, ["season"])
        nights = _nights_by(scope, filters, {"season": _season_expr("date" if filters.by == "travel" else "booked_on")})
        found = {row["season"]: row for row in rows}
        out = []
        for season in SEASONS:
            row = found.get(season) or _clean({"bookings": 0, "cancelled": 0}, _money_columns(scope))
            row["season"] = season
            if scope.operator_id is None:
                row["nights"] = nights.get((season,), 0)
            row.setdefault("nights", 0)
            out.append(row)
        return out

    rows = rows_for(f)
    columns = [Column("label", _("Season"), "text"), *_figure_columns(scope)]
    if f.compare:
        _merge_previous(rows, rows_for(f.previous()), lambda r: r["season"], ["bookings", "guests", "nights", "gross"])
        columns = _prev_columns(columns, ["bookings", "guests", "nights", "gross"])
    for row in rows:
        row["label"] = season_label(row["season"])
    return Table("by-season", _("By season"), columns, _only(rows, columns, ("season",)), chart="bar",
                 chart_value="guests", totals=_totals(rows, columns),
                 note=_("Seasons by the month of the first travel day (or of the booking): high June to "
                        "September, shoulder April, May and October, low November to March."))  # fmt: skip


# --- day grain: by area, municipality, operator, kind -----------------------------------------------

DAY_PREV = ["bookings", "guests", "nights", "gross"]


def _day_columns(scope: Scope) -> list[Column]:
    return [
        Column("bookings", _("Bookings"), "int"),
        Column("guests", _("Guests"), "int"),
        Column("nights", _("Guest-nights"), "int"),
        *_money_columns(scope, day_grain=True),
    ]


def _day_rows(scope: Scope, f: Filters, dims: list[str], first: str) -> list[dict]:
    """Day rows grouped by `dims`: a booking counts once per group on its `first` row, guests on that row,
    nights and money on every row."""
    once = Q(**{first: True})
    rows = (
        _days(scope, f).values(*dims)
        .annotate(
            bookings=Count("pk", filter=LIVE & once),
            guests=Coalesce(Sum("guests", filter=LIVE & once), 0),
            nights=Coalesce(Sum("guest_nights", filter=LIVE), 0),
            gross=Sum("gross", filter=LIVE),
            owed=Sum("owed", filter=LIVE),
        )
        .order_by(*dims)
    )  # fmt: skip
    out = []
    for row in rows:
        row["gross"], row["owed"] = _money(row["gross"]), _money(row["owed"])
        out.append(row)
    return out


def _day_table(scope, f, *, key, title, dims, first, label, code=None, chart="bar", note="") -> Table:
    rows = _day_rows(scope, f, dims, first)
    columns = [Column("label", title, "text"), *_day_columns(scope)]
    if f.compare:
        _merge_previous(rows, _day_rows(scope, f.previous(), dims, first), lambda r: r[dims[0]], DAY_PREV)
        columns = _prev_columns(columns, DAY_PREV)
    for row in rows:
        row["label"] = label(row)
        if code:
            row["code"] = row[code]
    rows.sort(key=lambda r: (-r["guests"], str(r["label"])))
    return Table(key, title, columns, _only(rows, columns), chart=chart, chart_value="guests",
                 totals=_totals(rows, columns), note=note)  # fmt: skip


def by_area(scope: Scope, f: Filters) -> Table:
    names = dict(Area.choices)
    return _day_table(scope, f, key="by-area", title=_("Area"), dims=["area"], first="first_in_area",
                      label=lambda r: str(names.get(r["area"], r["area"])),
                      note=_("Each booking counted once per area it touches, with its party; guest-nights "
                             "and money of the days spent there."))  # fmt: skip


def by_municipality(scope: Scope, f: Filters) -> Table:
    names = dict(Municipality.choices)
    return _day_table(scope, f, key="by-municipality", title=_("Municipality"), dims=["municipality"],
                      first="first_in_municipality", label=lambda r: str(names.get(r["municipality"], r["municipality"])),
                      code="municipality", chart="map",
                      note=_("Each booking counted once per municipality it touches (where the operator is), "
                             "with its party; guest-nights and money of the days there."))  # fmt: skip


def by_operator(scope: Scope, f: Filters) -> Table:
    return _day_table(scope, f, key="by-operator", title=_("Operator"), dims=["operator", "operator__name"],
                      first="first_in_operator", label=lambda r: r["operator__name"],
                      note=_("Each booking counted once per operator it books, with its party; money is the "
                             "operator's components (retail) and what it is owed."))  # fmt: skip


def by_kind(scope: Scope, f: Filters) -> Table:
    names = dict(Service.Kind.choices)
    return _day_table(scope, f, key="by-kind", title=_("Kind of service"), dims=["kind"], first="first_in_kind",
                      label=lambda r: str(names.get(r["kind"], r["kind"])),
                      note=_("Each booking counted once per kind of service it books, with its party; "
                             "money of those components."))  # fmt: skip


# --- booking grain by a dimension: package, channel, origin, lead time, stay --------------------------

BOOKING_PREV = ["bookings", "guests", "gross"]


def _dimension_table(scope, f, *, key, title, group, label, chart="bar", order=None, note="") -> Table:
    """The measures by a booking dimension (`group`: name -> expression or field), one row per value."""
    names = list(group)

    def rows_for(filters):
        return _grouped(scope, filters, group, names)

    rows = rows_for(f)
    columns = [Column("label", title, "text"), *_figure_columns(scope)]
    if f.compare:
        _merge_previous(rows, rows_for(f.previous()), lambda r: tuple(r[n] for n in names), BOOKING_PREV + ["nights"])
        columns = _prev_columns(columns, BOOKING_PREV + ["nights"])
    for row in rows:
        row["label"] = label(row)
    rows.sort(key=order or (lambda r: (-r["bookings"], str(r["label"]))))
    return Table(key, title, columns, _only(rows, columns, tuple(["code"] + names)), chart=chart,
                 chart_value="guests", totals=_totals(rows, columns), note=note)  # fmt: skip


def _bucket(field_name: str, buckets) -> Case:
    whens = []
    for label, low, high in buckets:
        condition = Q(**{f"{field_name}__gte": low})
        if high is not None:
            condition &= Q(**{f"{field_name}__lte": high})
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(buckets[-1][0]))


def by_package(scope: Scope, f: Filters) -> Table:
    group = {"package_key": F("package_id"), "service_key": F("service_id"),
             "package_title": F("package__title"), "service_name": F("service__name")}  # fmt: skip
    return _dimension_table(
        scope, f, key="by-package", title=_("Package or product"), group=group,
        label=lambda r: r["package_title"] or r["service_name"] or _("Unknown"),
        note=_("Each booking counted once under the package (or single product) booked."),
    )  # fmt: skip


def by_channel(scope: Scope, f: Filters) -> Table:
    names = dict(Channel.choices)
    if scope.is_staff:
        group = {"channel_key": F("channel"), "partner_key": F("partner_id"), "partner_name": F("partner__legal_name")}
    else:
        group = {"channel_key": F("channel")}

    def label(row):
        name = str(names.get(row["channel_key"], row["channel_key"]))
        return f"{name}: {row['partner_name']}" if row.get("partner_name") else name

    return _dimension_table(scope, f, key="by-channel", title=_("Channel"), group=group, label=label,
                            note=_("Each booking counted once under the channel it came through (web shop, "
                                   "partner portal, API) and, for staff, the trade partner."))  # fmt: skip


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
    return _dimension_table(scope, f, key="by-origin", title=_("Country of origin"),
                            group={"country": F("origin_country")}, label=lambda r: country_name(r["country"]),
                            note=_("Each booking counted once under its guests' country of residence (the "
                                   "partner's country when the guests' is not known)."))  # fmt: skip


def _bucket_table(scope, f, *, key, title, field_name, buckets, note) -> Table:
    prefix = "booking__" if scope.operator_id is not None else ""
    rows = _grouped(scope, f, {"bucket": _bucket(prefix + field_name, buckets)}, ["bucket"])
    columns = [Column("label", title, "text"), *_figure_columns(scope)]
    found = {row["bucket"]: row for row in rows}
    out = []
    for label, _low, _high in buckets:
        row = found.get(label) or _clean({"bookings": 0, "cancelled": 0, "nights": 0}, _money_columns(scope))
        row["bucket"] = row["label"] = label
        row.setdefault("nights", 0)
        out.append(row)
    if f.compare:
        previous = _grouped(scope, f.previous(), {"bucket": _bucket(prefix + field_name, buckets)}, ["bucket"])
        _merge_previous(out, previous, lambda r: r["bucket"], BOOKING_PREV)
        columns = _prev_columns(columns, BOOKING_PREV)
    return Table(key, title, columns, _only(out, columns, ("bucket",)), chart="bar", chart_value="bookings",
                 totals=_totals(out, columns), note=note)  # fmt: skip


def lead_time(scope: Scope, f: Filters) -> Table:
    return _bucket_table(
        scope,
        f,
        key="lead-time",
        title=_("Lead time (days)"),
        field_name="lead_days",
        buckets=LEAD_BUCKETS,
        note=_("Days between the booking and the first travel day, each booking counted once."),
    )


def length_of_stay(scope: Scope, f: Filters) -> Table:
    return _bucket_table(scope, f, key="length-of-stay", title=_("Length of stay (nights)"),
                         field_name="stay_nights", buckets=STAY_BUCKETS,
                         note=_("Accommodation nights booked, each booking counted once; 0 means no "
                                "accommodation (day visits, experiences)."))  # fmt: skip


# --- occupancy ---------------------------------------------------------------------------------------


def _area_case(field_name: str) -> Case:
    return Case(When(**{f"{field_name}__in": list(PIANA_DI_LUCCA)}, then=Value(Area.PIANA_DI_LUCCA.value)),
                default=Value(Area.CASENTINO.value))  # fmt: skip


def _occupancy_rows(scope: Scope, f: Filters) -> list[dict]:
    slots = Slot.objects.filter(date__range=(f.start, f.end), closed=False, blocked=False, capacity__isnull=False)
    slots = slots.exclude(service__capacity_model=Service.CapacityModel.FREESALE)
    if scope.operator_id is not None:
        slots = slots.filter(service__operator_id=scope.operator_id)
    if f.kind:
        slots = slots.filter(service__kind=f.kind)
    if f.area:
        slots = slots.annotate(area=_area_case("service__operator__municipality")).filter(area=f.area)
    if f.label is not None:
        slots = slots.filter(
            Q(service__operator_id__in=_label_holders(f.label, Operator))
            | Q(service_id__in=_label_holders(f.label, Service))
        )
    offered = (
        slots.annotate(kind=F("service__kind"), area=_area_case("service__operator__municipality"))
        .values("kind", "area").annotate(offered=Sum("capacity")).order_by()
    )  # fmt: skip
    travel = replace(f, by="travel")
    booked = (
        _days(scope, travel).filter(LIVE).exclude(service__capacity_model=Service.CapacityModel.FREESALE)
        .values("kind", "area").annotate(booked=Sum("places")).order_by()
    )  # fmt: skip
    rows: dict = {}
    for row in offered:
        rows.setdefault((row["kind"], row["area"]), {"offered": 0, "booked": 0})["offered"] = row["offered"] or 0
    for row in booked:
        rows.setdefault((row["kind"], row["area"]), {"offered": 0, "booked": 0})["booked"] = row["booked"] or 0
    kinds, areas = dict(Service.Kind.choices), dict(Area.choices)
    out = []
    for (kind, area), values in sorted(rows.items()):
        out.append({
            "kind": kind, "area": area, "kind_label": str(kinds.get(kind, kind)), "area_label": str(areas.get(area, area)),
            "offered": values["offered"], "booked": values["booked"],
            "occupancy": _pct(values["booked"], values["offered"]),
        })  # fmt: skip
    return out


def _label_holders(scheme_id: int, model):
    from certifications.selectors import award_qs_shown

    return (
        award_qs_shown()
        .filter(scheme_id=scheme_id, subject_type=ContentType.objects.get_for_model(model))
        .values("subject_id")
    )


def occupancy(scope: Scope, f: Filters) -> Table:
    rows = _occupancy_rows(scope, f)
    columns = [
        Column("kind_label", _("Kind of service"), "text"),
        Column("area_label", _("Area"), "text"),
        Column("offered", _("Places offered"), "int"),
        Column("booked", _("Places booked"), "int"),
        Column("occupancy", _("Occupancy"), "percent"),
    ]
    if f.compare:
        _merge_previous(rows, _occupancy_rows(scope, f.previous()), lambda r: (r["kind"], r["area"]),
                        ["booked", "offered", "occupancy"])  # fmt: skip
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
    first_month = f.start.replace(day=1)
    flows = OfficialFlow.objects.filter(month__range=(first_month, f.end))
    if f.area:
        flows = flows.filter(municipality__in=[m for m in Municipality.values if area_of(m) == f.area])
    official = flows.values("municipality", "month").annotate(arrivals=Sum("arrivals"), nights=Sum("nights"))
    ours = (
        _days(scope, replace(f, by="travel")).filter(LIVE)
        .values("municipality", m=TruncMonth("date"))
        .annotate(guests=Coalesce(Sum("guests", filter=Q(first_in_municipality=True)), 0),
                  nights=Coalesce(Sum("guest_nights"), 0))
        .order_by()
    )  # fmt: skip
    rows: dict = {}
    empty = {"arrivals": 0, "official_nights": 0, "guests": 0, "nights": 0}
    for row in official.order_by():
        target = rows.setdefault((row["municipality"], _month(row["month"])), dict(empty))
        target["arrivals"], target["official_nights"] = row["arrivals"] or 0, row["nights"] or 0
    for row in ours:
        target = rows.setdefault((row["municipality"], _month(row["m"])), dict(empty))
        target["guests"], target["nights"] = row["guests"], row["nights"]
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


def table_keys(scope: Scope) -> list[str]:
    who = _who(scope)
    return [key for key, (_builder, allowed) in TABLES.items() if who in allowed]


def table(scope: Scope, filters: Filters, key: str) -> Table:
    """One table (for exports). KeyError if the key is unknown or not for this scope."""
    builder, allowed = TABLES[key]
    if _who(scope) not in allowed:
        raise KeyError(key)
    with translation.override(translation.get_language()):
        return builder(scope, filters)


def dashboard(scope: Scope, filters: Filters) -> list[Table]:
    """Every table the scope may see, in the dashboard's order."""
    return [TABLES[key][0](scope, filters) for key in table_keys(scope)]
