"""What the package page shows, built from the request's GET parameters (month, party, date).

The page is Oscar's product page (templates/oscar/catalogue/detail-for-class-package.html); its
package part is computed here and handed to the template by `{% package_page %}`, so Oscar's
catalogue app needs no fork. A month costs a fixed handful of queries (calendar: 3, plus the
package's components, photos and cancellation tiers; a chosen day with optional extras two more: the
rates and the extras' slots), whatever the catalogue size.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certifications.selectors import subject_labels, subject_schema_org
from marketplace.core.dates import bounded_month, local_today
from marketplace.core.json_ld import IN_STOCK, Crumb, organization_ref
from marketplace.core.origin import public_url
from operators.models import Service
from operators.pricing import Party

from .forms import PartyForm
from .models import Package
from .pricing import PackageNotPriced, package_components, package_price, package_price_lines, package_rates
from .selectors import DayStatus, month_weeks, package_calendar, package_extra_options, single_service_departures
from .services import PRICE_FROM_DAYS, package_free_cancellation_days, package_free_cancellation_until

A_MONDAY = dt.date(2024, 1, 1)  # the calendar's columns are Monday to Sunday (month_weeks)

DEFAULT_PARTY = {"adults": "2", "infants": "0"}  # what the page shows until the visitor chooses a party


def service_length_label(service: Service) -> str:
    """How long a single service lasts, in words, where a package says "3 days": a stay is "1 night"
    (the night sold alone), a timed service its duration ("2 h 30 min"); "" when the operator gave none."""
    if service.kind == Service.Kind.ACCOMMODATION:
        return _("1 night")
    minutes = service.duration_minutes or 0
    if not minutes:
        return ""
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


def _query(party: Party, extras: tuple[int, ...], **params) -> str:
    """A link of the page: the party it shows, the ticked extras and `params` (date, month; None: left out).

    Links carry the party shown, never only what the visitor typed: on a first visit nothing was typed,
    and a day link without a party used to be ignored (the date was dropped)."""
    data = {"adults": party.adults, "children_ages": ",".join(str(age) for age in party.children_ages)}
    data["infants"] = party.infants
    data.update(params)
    return "?" + urlencode(
        [*((k, v) for k, v in data.items() if v not in (None, "")), *(("extra", pk) for pk in extras)]
    )


def _with_default_party(data):
    """The GET parameters with the default party filled in where the visitor gave none, so a link or a
    bookmark with a date or a month but no party still chooses that date or shows that month."""
    bound = data.copy()
    for key, value in DEFAULT_PARTY.items():
        if not bound.get(key):
            bound[key] = value
    return bound


def _free_until(tiers, selected: dt.date | None, today: dt.date) -> dt.date | None:
    """The last day of free cancellation for the chosen departure; None when it has passed already
    (a departure too close for a full refund: the page then promises nothing)."""
    until = package_free_cancellation_until(tiers=tiers, starts_on=selected) if selected else None
    return until if until and until >= today else None


def package_page(*, package: Package, data, today: dt.date | None = None) -> dict:
    """The package page for the GET parameters `data`: the month's calendar for the party, and for a
    chosen day the total with the ticked optional extras (`extra`, repeated), each extra with what it
    adds to the total or why it cannot be had that day."""
    today = today or local_today()
    components = package_components(package=package)
    optional = [c for c in components if c.is_optional]
    form = PartyForm(_with_default_party(data), extras=optional)
    valid = form.is_valid()
    party = form.party() if valid else Party(adults=int(DEFAULT_PARTY["adults"]))
    wanted = form.extras() if valid else ()
    selected = form.cleaned_data.get("date") if valid else None
    month = form.month_start(selected or today) if valid else today.replace(day=1)
    if not data.get("month") and selected:
        month = selected.replace(day=1)
    last = month.replace(day=pycalendar.monthrange(month.year, month.month)[1])
    calendar = package_calendar(package=package, start=month, end=last, party=party, components=components)
    weeks = [
        [calendar.days.get(d) if d else None for d in week] for week in month_weeks(year=month.year, month=month.month)
    ]
    price = None
    selected_day = None
    extras = []
    departures = []
    if selected is not None:
        selected_day = calendar.days.get(selected)
        if selected_day is None:  # a date outside the shown month: one more calendar of one day
            selected_day = package_calendar(
                package=package, start=selected, end=selected, party=party, components=components
            ).days[selected]
        if selected_day.status == DayStatus.AVAILABLE:
            rates = package_rates(components=components)
            options = package_extra_options(
                package=package, on=selected, party=party, components=components, rates=rates
            )
            chosen = [o.component.pk for o in options if o.is_available and o.component.pk in wanted]
            extras = [{"option": o, "checked": o.component.pk in chosen} for o in options]
            try:
                price = package_price(
                    package=package, on=selected, party=party, extras=chosen, components=components, rates=rates
                )
            except PackageNotPriced:
                price = None
            departures = single_service_departures(package=package, on=selected, party=party, components=components)
    wanted_time = form.cleaned_data.get("start_time") if valid else None
    start_time = wanted_time if any(d.start_time == wanted_time and d.is_available for d in departures) else None
    # the radio ticked: the visitor's valid choice, else the first departure with room for the party
    checked_time = start_time or next((d.start_time for d in departures if d.is_available), None)
    # day and month links keep the chosen time, so it survives another day (when that day has it too)
    kept = (start_time or wanted_time) if package.is_single_service else None
    kept_time = kept.strftime("%H:%M") if kept else None
    days = {}
    for component in components:
        days.setdefault(component.day, []).append(component)
    cells = [
        [
            {"day": day, "url": _query(party, wanted, date=day.date.isoformat(), month=month.strftime("%Y-%m"),
                                        start_time=kept_time)}
            if day is not None and day.is_available else {"day": day, "url": None}
            for day in week
        ]
        for week in weeks
    ]  # fmt: skip
    previous_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = last + dt.timedelta(days=1)
    tiers = list(package.cancellation_tiers.all())
    in_month = [day for week in weeks for day in week if day is not None]
    tabbable = (
        selected
        if selected and selected.replace(day=1) == month
        else next((day.date for day in in_month if day.is_available), in_month[0].date if in_month else None)
    )
    return {
        "package": package,
        "form": form,
        "party": party,
        "calendar": calendar,
        "month": month,
        "weeks": cells,
        "selected": selected,
        "selected_day": selected_day,
        "price": price,
        # A single service sold alone (an automatic one-component package): its service, so the page
        # shows no "Day 1" itinerary; for the selected day its departure times (the visitor chooses one,
        # sent as `start_time` "HH:MM" with the add-to-basket form) and the valid one chosen, if any.
        "single_service": package.single_service if package.is_single_service else None,
        "departures": departures,  # [selectors.Departure(start_time, free, is_available)]
        "start_time": start_time,
        "checked_time": checked_time,  # the departure radio ticked (start_time, or the first with room)
        "kept_time": kept_time,  # "HH:MM" the party form and the links carry (None: no choice yet)
        "single_service_length": service_length_label(package.single_service) if package.is_single_service else "",
        "itinerary": sorted(days.items()),
        "extras": extras,  # offered for the selected day: [{"option": ExtraOption, "checked": bool}]
        "optional": optional,  # the package's optional extras, whatever the day
        "wanted_extras": wanted,  # ticked, carried by the party form and the calendar's links
        "photos": list(package.photos.all()),
        "tiers": tiers,
        # the total's lines (adults, children, infants, extras) that add up to it
        "price_lines": package_price_lines(package=package, price=price, party=party, components=components)
        if price
        else [],
        "free_cancellation_days": package_free_cancellation_days(tiers=tiers),
        "free_cancellation_until": _free_until(tiers, selected, today),
        # the weekdays' names come from these dates through the `date` filter, in the page's language
        "weekdays": [A_MONDAY + dt.timedelta(days=i) for i in range(7)],
        "tabbable": tabbable,  # the calendar's one Tab stop (roving tabindex): the chosen day or the first open
        "product_url": package.product.get_absolute_url() if package.product_id else "",
        "labels": subject_labels(subject=package),
        "previous_url": (
            _query(party, wanted, date=selected, month=previous_month.strftime("%Y-%m"), start_time=kept_time)
            if previous_month >= today.replace(day=1)
            else None
        ),
        "next_url": (
            _query(party, wanted, date=selected, month=next_month.strftime("%Y-%m"), start_time=kept_time)
            if bounded_month(next_month.year, next_month.month)
            else None
        ),
    }


def package_builder_preview(*, package: Package, data, today: dt.date | None = None, days: int = 120) -> dict:
    """The back office's preview: the price for a sample date and party (with each component's part, and
    what each optional extra would add) and the days the package can be sold over the next `days`
    days, as saved right now."""
    today = today or local_today()
    form = PartyForm(_with_default_party(data))
    valid = form.is_valid()
    party = form.party() if valid else Party(adults=int(DEFAULT_PARTY["adults"]))
    calendar = package_calendar(package=package, start=today, end=today + dt.timedelta(days=days), party=party)
    on = (form.cleaned_data.get("date") if valid else None) or (
        calendar.cheapest().date if calendar.cheapest() else None
    )
    price, error = None, None
    if on is not None:
        try:
            price = package_price(package=package, on=on, party=party)
        except PackageNotPriced as exc:
            error = f"No rate for component {exc.component_id} on {exc.on}"
    loaded = package_components(package=package)
    components = {c.pk: c for c in loaded}
    extras = package_extra_options(package=package, on=on, party=party, components=loaded) if price else []
    return {
        "form": form,
        "party": party,
        "sample_date": on,
        "price": price,
        "price_lines": [(components[c.component_id], c) for c in price.components] if price else [],
        "extras": extras,  # the optional extras on the sample date: what each adds, or why it cannot
        "error": error,
        "sellable": [d.date for d in calendar.days.values() if d.is_available],
        "sold_out": [d.date for d in calendar.days.values() if d.status == DayStatus.SOLD_OUT],
        "party_errors": calendar.party_errors,
        "days": days,
    }


def package_schema_org(*, package: Package) -> dict:
    """The package page's JSON-LD: a TouristTrip that is also a Product, so search engines show its
    "from" price (an Offer, VAT included: the price the page and the catalogue show) and its labels
    (`award`, `hasCertification`: only those shown today, from certifications). Every URL is on the
    public origin. The offer's `priceValidUntil` is the end of the year the "from" price was computed
    over (services.package_refresh_price_from, on every publish and edit): no promise beyond it."""
    url = public_url(package.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": ["TouristTrip", "Product"],
        "@id": url,
        "name": package.title,
        "description": package.summary or package.description[:300],
        "url": url,
        "itinerary": {"@type": "Place", "name": package.get_area_display()},
        "provider": organization_ref(),
    }
    if package.theme_labels:
        data["touristType"] = package.theme_labels
    photos = list(package.photos.order_by("position", "pk")[:3])
    if photos:
        data["image"] = [public_url(photo.image.url) for photo in photos]
    if package.price_from is not None:
        computed_on = timezone.localdate(package.updated_at) if package.updated_at else local_today()
        data["offers"] = {
            "@type": "Offer",
            "price": f"{package.price_from:.2f}",
            "priceCurrency": "EUR",
            "availability": IN_STOCK if package.is_published else "https://schema.org/Discontinued",
            "priceValidUntil": (computed_on + dt.timedelta(days=PRICE_FROM_DAYS)).isoformat(),
            "url": url,
            "valueAddedTaxIncluded": True,
            "seller": organization_ref(),
        }
    data.update(subject_schema_org(subject=package))
    return data


def package_breadcrumbs(*, package: Package) -> list[Crumb]:
    """The package page's trail: Home, the catalogue (its experiences for a service sold alone), the package."""
    catalogue = reverse("catalogue:index")
    if package.single_service_id:
        listing = Crumb(_("Experiences"), f"{catalogue}?kind=single")
    else:
        listing = Crumb(_("Packages"), catalogue)
    home = f"/{get_language() or settings.LANGUAGE_CODE}/"
    return [Crumb(_("Home"), home), listing, Crumb(package.title, package.get_absolute_url())]
