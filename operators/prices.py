"""Write services for a service's seasons and their prices: the price grid and the copy to next year.

The grid is a season's rates as a table: a row per price category the service uses (adult, child,
infant, senior; "per unit or group" for per-unit and per-group services), a column for every day and
one per set of weekdays with its own price (a weekend surcharge). It is saved as a whole: every cell
is checked first and nothing is written when one is wrong, so an operator never leaves a season half
repriced. Each rate is saved on its own row, so the history shows "Adult, Sat Sun: 30.00 → 32.00".

price_categories(*, service) -> list[str]
season_price_columns(*, season, extra=()) -> list[str]         ("" = every day, "56" = Sat and Sun)
price_cell(category, weekdays) -> str                           (a cell's field name in the grid form)
season_prices_save(*, season, prices: dict[(category, weekdays), Decimal | None]) -> int   (cells changed)
season_create(*, service, name, starts_on, ends_on) -> Season
season_delete(*, season) -> None
season_copy_to_next_year(*, season, percent: Decimal) -> Season   (raises ValidationError, nothing written)
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.core.dates import bounded_date, format_day
from marketplace.core.money import money_round

from .models import PriceCategory, Rate, Season, Service
from .validators import validate_weekdays

PER_PERSON_CATEGORIES = [PriceCategory.ADULT, PriceCategory.CHILD, PriceCategory.INFANT, PriceCategory.SENIOR]


def price_categories(*, service: Service) -> list[str]:
    """The categories `service_price` reads for this service (operators.pricing): the unit rate for
    per-unit and per-group services, the people's categories otherwise."""
    if service.capacity_model in (Service.CapacityModel.PER_UNIT, Service.CapacityModel.PER_GROUP):
        return [PriceCategory.UNIT.value]
    return [c.value for c in PER_PERSON_CATEGORIES]


def season_price_columns(*, season: Season, extra=()) -> list[str]:
    """Every day first, then each weekday set the season has a price for (plus `extra` ones being added)."""
    sets = {r for r in season.rates.values_list("weekdays", flat=True) if r} | {w for w in extra if w}
    return ["", *sorted(sets, key=lambda w: (len(w), w))]


def price_cell(category: str, weekdays: str) -> str:
    return f"price_{category}_{weekdays or 'all'}"


def _refused_cells(season: Season, prices: dict) -> dict[str, list[str]]:
    allowed = set(price_categories(service=season.service)) | set(
        season.rates.values_list("category", flat=True)
    )  # a category the service no longer uses can still be cleared
    errors: dict[str, list[str]] = {}
    for (category, weekdays), amount in prices.items():
        cell = price_cell(category, weekdays)
        if category not in allowed:
            errors[cell] = [_("This service has no price for this category.")]
            continue
        try:
            validate_weekdays(weekdays)
        except ValidationError as error:
            errors[cell] = error.messages
            continue
        if amount is not None and amount < 0:
            errors[cell] = [_("A price cannot be negative.")]
    return errors


def season_prices_save(*, season: Season, prices: dict[tuple[str, str], Decimal | None]) -> int:
    """Set the season's rates from the grid: a number creates or changes the cell's rate, an empty cell
    (None) deletes it, cells not given stay as they are. Raises ValidationError keyed by cell
    (`price_cell`) and writes nothing when any cell is refused. Returns how many rates changed."""
    errors = _refused_cells(season, prices)
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        Season.objects.select_for_update().get(pk=season.pk)  # two grids saved at once: one after the other
        current = {(r.category, r.weekdays): r for r in season.rates.select_related("season")}
        for key, amount in prices.items():
            rate = current.get(key)
            if amount is None:
                if rate is not None:
                    rate.delete()
                    changed += 1
                continue
            amount = money_round(amount)
            if rate is None:
                Rate.objects.create(season=season, category=key[0], weekdays=key[1], amount=amount)
                changed += 1
            elif rate.amount != amount:
                rate.amount = amount
                rate.save(update_fields=["amount"])
                changed += 1
    return changed


def season_create(*, service: Service, name: str, starts_on: dt.date, ends_on: dt.date) -> Season:
    """A new season without prices (the grid gives them). Seasons may overlap: the shortest wins."""
    season = Season(service=service, name=name, starts_on=starts_on, ends_on=ends_on)
    season.full_clean()
    season.save()
    return season


def season_delete(*, season: Season) -> None:
    """Delete a season and its rates (each rate's deletion is in the history)."""
    with transaction.atomic():
        for rate in season.rates.select_related("season"):
            rate.delete()
        season.delete()


def _next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _next_year_name(name: str, year: int) -> str:
    """ "Estate 2026" becomes "Estate 2027"; a name without the year stays as it is."""
    return re.sub(rf"\b{year}\b", str(year + 1), name)


def season_copy_to_next_year(*, season: Season, percent: Decimal) -> Season:
    """The same season a year later with every price changed by `percent` (+5, -10), rounded to the
    cent as every price of the marketplace is (marketplace.core.money: halves up): €30.00 + 5 % is
    €31.50, €19.99 + 3 % is €20.59. A copy that would overlap a season of the service is refused
    (a clear message naming it), as is one beyond the dates the site plans; nothing is written then."""
    starts_on, ends_on = _next_year(season.starts_on), _next_year(season.ends_on)
    if bounded_date(ends_on) is None:
        raise ValidationError(_("Next year's dates are too far ahead to be planned now."))
    factor = (Decimal(100) + Decimal(percent)) / Decimal(100)
    if factor < 0:
        raise ValidationError({"percent": _("A price cannot go down by more than 100%.")})
    with transaction.atomic():
        Service.objects.select_for_update().get(pk=season.service_id)  # two copies at once cannot both pass
        clash = (
            Season.objects.filter(service_id=season.service_id, starts_on__lte=ends_on, ends_on__gte=starts_on)
            .order_by("starts_on")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("The copy (%(start)s – %(end)s) would overlap the season “%(name)s” (%(other_start)s – "
                  "%(other_end)s): change or delete that season first.")
                % {"start": format_day(starts_on), "end": format_day(ends_on), "name": clash.name,
                   "other_start": format_day(clash.starts_on), "other_end": format_day(clash.ends_on)}
            )  # fmt: skip
        copy = Season.objects.create(
            service_id=season.service_id,
            name=_next_year_name(season.name, season.starts_on.year),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for rate in season.rates.all():
            Rate.objects.create(season=copy, category=rate.category, weekdays=rate.weekdays,
                                amount=money_round(rate.amount * factor))  # fmt: skip
    return copy
