"""Dates typed or sent by users: the destination's "today" and one window every date input must fall in.

Python's dates end at year 1 and 9999, so an unchecked `?date=9999-12-31` overflows as soon as the code
adds a day, and a rule in year 1 walks two thousand years of slots. Every date that comes from a user
(package page, basket, operator rules and seasons, the operator calendar, month navigation) goes
through `BoundedDateField`, `MonthField`, `bounded_date` or `bounded_month`: outside the window it is a
form error or a 404, never a 500 and never a row.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

PAST_YEARS = 1  # how far back a date may be: last season's rules and statements
FUTURE_YEARS = 3  # how far ahead: rules, seasons and bookings are planned at most this far


def local_today() -> dt.date:
    """The destination's date (TIME_ZONE is Europe/Rome), not the server's nor UTC's: at 23:30 UTC it is
    already tomorrow in Rome, and "today" for bookings, cut-offs and schema.org is Rome's day. The
    default time zone, not the current one, so no `timezone.activate` elsewhere can move the day."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_window(*, today: dt.date | None = None, past_years: int = PAST_YEARS, future_years: int = FUTURE_YEARS):
    """The first and last date (both included) a user may give."""
    today = today or local_today()
    return _years_from(today, -past_years), _years_from(today, future_years)


def bounded_date(value, **window) -> dt.date | None:
    """`value` (an ISO string or a date) as a date inside the window, or None when it is not one."""
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    first, last = date_window(**window)
    return value if first <= value <= last else None


def bounded_month(year: int, month: int, **window) -> dt.date | None:
    """The first day of `year`-`month` when any of that month lies inside the window, else None."""
    if not 1 <= month <= 12 or not 1 <= year <= 9998:
        return None
    first_day = dt.date(year, month, 1)
    first, last = date_window(**window)
    return first_day if first.replace(day=1) <= first_day <= last else None


def _out_of_window(first: dt.date, last: dt.date) -> str:
    return _("Choose a date between %(first)s and %(last)s.") % {
        "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
        "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
    }


class BoundedDateInput(forms.DateInput):
    """The browser's date picker, bounded like the field (min and max computed when rendered, so a
    long-running server does not keep the bounds of the day it started)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d", window=None):
        super().__init__(attrs, format)
        self.window = window or {}

    def get_context(self, name, value, attrs):
        first, last = date_window(**self.window)
        return super().get_context(name, value, {**(attrs or {}), "min": first.isoformat(), "max": last.isoformat()})


class BoundedDateField(forms.DateField):
    """A date inside the window (`past_years`, `future_years`); outside it is a field error."""

    def __init__(self, *args, past_years: int = PAST_YEARS, future_years: int = FUTURE_YEARS, **kwargs):
        self.window = {"past_years": past_years, "future_years": future_years}
        kwargs.setdefault("widget", BoundedDateInput(window=self.window))
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and bounded_date(value, **self.window) is None:
            raise forms.ValidationError(_out_of_window(*date_window(**self.window)), code="out_of_window")


class MonthField(forms.CharField):
    """A month as `YYYY-MM` inside the window, cleaned to its first day (month navigation)."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        first = bounded_month(int(match[1]), int(match[2])) if match else None
        if first is None:
            raise forms.ValidationError(_out_of_window(*date_window()), code="out_of_window")
        return first


# One way to write a day in each language, across the operator area and the histories: "7 Dec 2026",
# "7 dic 2026", "7 déc. 2026", "7 Dez. 2026" (CLDR's abbreviated months through Babel, which the site
# already uses for month and country names). Django's DATE_FORMAT differs per language in shape
# ("Dec. 7, 2026" against "7 dicembre 2026"), and hand-written "d/m/Y" is not how English reads a date.
DAY_PATTERN = "d MMM y"


def _babel_locale() -> str:
    from django.utils import translation

    return (translation.get_language() or "it").replace("-", "_")


def format_day(day: dt.date | dt.datetime | None) -> str:
    """`day` as the page's language writes it ("7 Dec 2026"); "" for None."""
    if day is None:
        return ""
    from babel.dates import format_date

    if isinstance(day, dt.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return format_date(day, DAY_PATTERN, locale=_babel_locale())


def format_day_long(day: dt.date | None) -> str:
    """`day` with its weekday, for headings ("Monday 7 Dec 2026"): the same day format, named."""
    if day is None:
        return ""
    from babel.dates import format_date

    return f"{format_date(day, 'EEEE', locale=_babel_locale())} {format_day(day)}"


def format_day_time(moment: dt.datetime | None) -> str:
    """A moment as "7 Dec 2026, 14:05", in the destination's time."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{format_day(local.date())}, {local:%H:%M}"


def weekday_names(digits: str) -> str:
    """Stored weekdays ("34": 0 is Monday) as the page's language abbreviates them: "Thu, Fri"; "" for none."""
    from django.utils.dates import WEEKDAYS_ABBR

    return ", ".join(str(WEEKDAYS_ABBR[int(d)]) for d in sorted(set(digits or "")) if d.isdigit() and int(d) < 7)
