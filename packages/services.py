"""Write side of packages: publishing into Oscar's catalogue, basket holds, bookings, cancellations.

Capacity is only ever taken or given back through `operators.capacity` (DESIGN.md invariant): a
basket line holds under "basket-line:<line id>", a paid order line books under "order-line:<order
line id>". Prices only come from `packages.pricing.package_price`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.catalogue.models import Option, Product, ProductClass
from oscar.apps.partner.models import Partner, StockRecord

from marketplace.core.dates import local_today
from marketplace.core.money import money_round
from operators.capacity import capacity_book, capacity_cancel, capacity_hold, capacity_release
from operators.exceptions import LockTimeout, SoldOut
from operators.models import ROME, Hold, Slot
from operators.offers import offers_changed
from operators.pricing import Party

from .models import (
    CancellationTier,
    Package,
    PackageBooking,
    PackageBookingPart,
    PackageComponent,
    PackageSupplierTerms,
)
from .pricing import PackageNotPriced, package_components, package_price
from .selectors import (
    DayStatus,
    PackageUnavailable,
    extra_unavailable_message,
    package_calendar,
    package_slot_choice,
)
from .signals import announce

logger = logging.getLogger(__name__)

PRODUCT_CLASS_SLUG = "package"
PARTNER_CODE = "dmc"
DATE_OPTION = "date"
PARTY_OPTION = "party"
EXTRAS_OPTION = "extras"
START_TIME_OPTION = "start_time"
SAMPLE_PARTY = Party(adults=2)


# Oscar catalogue -------------------------------------------------------------------------------


def package_options() -> tuple[Option, Option]:
    """The two line options every package line carries (stored as basket/order line attributes)."""
    date_option, _created = Option.objects.get_or_create(
        code=DATE_OPTION, defaults={"name": "Data di partenza", "type": Option.TEXT, "required": True}
    )
    party_option, _created = Option.objects.get_or_create(
        code=PARTY_OPTION, defaults={"name": "Viaggiatori", "type": Option.TEXT, "required": True}
    )
    return date_option, party_option


def package_extras_option() -> Option:
    """The line option a package line carries only when the traveller chose optional extras. Not one
    of the product class's options: Oscar's own add-to-basket form never asks for it."""
    option, _created = Option.objects.get_or_create(
        code=EXTRAS_OPTION, defaults={"name": "Extra facoltativi", "type": Option.TEXT, "required": False}
    )
    return option


def package_start_time_option() -> Option:
    """The line option a single service's line carries when the traveller chose a departure time
    ("15:00"). Not one of the product class's options, like the extras: only our add-to-basket sets it."""
    option, _created = Option.objects.get_or_create(
        code=START_TIME_OPTION, defaults={"name": "Orario di partenza", "type": Option.TEXT, "required": False}
    )
    return option


def package_product_class() -> ProductClass:
    """Oscar's product class for packages: nothing to ship, no stock counted (slots count it)."""
    product_class, created = ProductClass.objects.get_or_create(
        slug=PRODUCT_CLASS_SLUG, defaults={"name": "Package", "requires_shipping": False, "track_stock": False}
    )
    if created:
        product_class.options.add(*package_options())
    return product_class


def package_partner() -> Partner:
    partner, _created = Partner.objects.get_or_create(code=PARTNER_CODE, defaults={"name": settings.DMC_NAME})
    return partner


PRICE_FROM_DAYS = 365  # the "from" price is the lowest over this many days (the JSON-LD's priceValidUntil)


def package_refresh_price_from(*, package: Package) -> Decimal | None:
    """The lowest price for two adults over the next year: the listings' "from" price."""
    today = local_today()
    cheapest = package_calendar(
        package=package, start=today, end=today + dt.timedelta(days=PRICE_FROM_DAYS), party=SAMPLE_PARTY
    ).cheapest()
    package.price_from = cheapest.price if cheapest else None
    Package.objects.filter(pk=package.pk).update(price_from=package.price_from)
    return package.price_from


def package_sync_product(*, package: Package) -> Product:
    """Create or update the Oscar product mirroring `package` (title, text, public flag, from price).

    Called on every publish, edit and withdraw so the shop never shows a package differently from
    what staff saved. A withdrawn or draft package keeps its product (old orders point at it) but
    hidden (`is_public=False`)."""
    with transaction.atomic():
        transaction.on_commit(offers_changed)  # cached destination pages show or drop it at once
        product = package.product or Product(
            product_class=package_product_class(), structure=Product.STANDALONE, upc=f"PKG-{package.pk}"
        )
        product.title = package.title_it or package.title
        product.slug = package.slug
        product.description = package.description_it or package.description or ""
        product.is_public = package.is_published
        product.save()
        price = package_refresh_price_from(package=package) if package.is_published else package.price_from
        StockRecord.objects.update_or_create(
            product=product,
            partner=package_partner(),
            defaults={
                "partner_sku": f"PKG-{package.pk}",
                "price": price if price is not None else Decimal("0.00"),
                "price_currency": settings.OSCAR_DEFAULT_CURRENCY,
                "num_in_stock": None,
            },
        )
        if package.product_id != product.pk:
            package.product = product
            Package.objects.filter(pk=package.pk).update(product=product)
    return product


def package_publish(*, package: Package) -> Package:
    if not package_components(package=package):
        raise PackageUnavailable(_("A package needs at least one component before it can be published."))
    package.status = Package.Status.PUBLISHED
    package.published_at = package.published_at or timezone.now()
    package.save(update_fields=["status", "published_at", "updated_at"])
    package_sync_product(package=package)
    return package


def package_withdraw(*, package: Package) -> Package:
    package.status = Package.Status.WITHDRAWN
    package.save(update_fields=["status", "updated_at"])
    package_sync_product(package=package)
    return package


# Basket lines ----------------------------------------------------------------------------------


def hold_minutes() -> int:
    return int(getattr(settings, "PACKAGE_HOLD_MINUTES", 15))


def basket_line_reference(line_id: int) -> str:
    return f"basket-line:{line_id}"


PARTY_WORDS = {"adulti": "adults", "bambini": "children_ages", "neonati": "infants", "senior": "seniors"}


def party_tokens(party: Party) -> list[str]:
    """The party as stored on a line: readable tokens in the DMC's language, e.g. ["adulti 2",
    "bambini 8 10"]. Oscar prints line options in baskets, orders and the dashboard ("Viaggiatori =
    'adulti 2, bambini 8 10'"), so the stored form is also the displayed one. Fixed words, never
    translated: they are a storage format, parsed back by `party_from_tokens`."""
    tokens = [f"adulti {party.adults}"]
    if party.children_ages:
        tokens.append("bambini " + " ".join(str(age) for age in party.children_ages))
    if party.infants:
        tokens.append(f"neonati {party.infants}")
    if party.seniors:
        tokens.append(f"senior {party.seniors}")
    return tokens


def party_from_tokens(value) -> Party:
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith(("[", "{")) else value.split(",")
    if isinstance(value, dict):
        return Party.from_dict(value)
    data: dict = {}
    for token in value:
        word, _space, rest = str(token).strip().partition(" ")
        key = PARTY_WORDS[word]
        data[key] = tuple(int(x) for x in rest.split()) if key == "children_ages" else int(rest)
    return Party.from_dict(data)


def extras_tokens(extras: list[PackageComponent]) -> list[str]:
    """The chosen extras as stored on a line: "#<component id> <service name>" in the package's order,
    e.g. ["#12 E-bike trekking (giornata)"]. The id is what `extras_from_tokens` reads back; the name
    is there because Oscar prints line options in orders and the dashboard as they are stored."""
    return [f"#{c.pk} {c.service.name_it or c.service.name}" for c in sorted(extras, key=lambda c: c.pk)]


def extras_from_tokens(value) -> tuple[int, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(sorted({int(str(token).strip().lstrip("#").split()[0]) for token in value if str(token).strip()}))


def line_options(
    *, on: dt.date, party: Party, extras: list[PackageComponent] = (), start_time: dt.time | None = None
) -> list[dict]:
    """Oscar's `options` for a package line. Values are canonical so the same date, party and extras
    land on the same line and any other date, party or choice of extras makes a new one (Oscar's line
    reference hashes them). A line without extras carries no extras option at all, so it keeps the
    reference it had before extras could be chosen; likewise a line without a chosen departure time."""
    date_option, party_option = package_options()
    options = [
        {"option": date_option, "value": on.isoformat()},
        {"option": party_option, "value": party_tokens(party)},
    ]
    if extras:
        options.append({"option": package_extras_option(), "value": extras_tokens(list(extras))})
    if start_time is not None:
        options.append({"option": package_start_time_option(), "value": start_time.strftime("%H:%M")})
    return options


def line_start_time(line) -> dt.time | None:
    """The departure time a single service's line was booked for (None: the first with room)."""
    for attr in line.attributes.all():
        if attr.option.code == START_TIME_OPTION and attr.value:
            try:
                return dt.time.fromisoformat(str(attr.value).strip())
            except ValueError:
                return None
    return None


def package_line_components(*, package: Package, start_time: dt.time | None = None) -> list[PackageComponent]:
    """The components a line books: the package's, with a single service's component pinned (in memory,
    never saved) to the departure time the traveller chose, exactly as Bookable.components(start_time)
    pins the trade channel's, so price, slot choice and the parts recorded agree."""
    components = package_components(package=package)
    if start_time is None or not package.is_single_service:
        return components
    pinned = []
    for component in components:
        if not component.is_optional and component.start_time is None:
            component = copy.copy(component)
            component.start_time = start_time
        pinned.append(component)
    return pinned


class LineBooking(NamedTuple):
    """What a package line books: the first day, the party and the chosen optional extras (ids)."""

    on: dt.date
    party: Party
    extras: tuple[int, ...] = ()


def line_booking(line) -> LineBooking | None:
    """The date, party and extras stored on a basket or order line (None when missing or malformed,
    e.g. a line added through Oscar's own add-to-basket form with free text)."""
    values = {attr.option.code: attr.value for attr in line.attributes.all()}
    if DATE_OPTION not in values or PARTY_OPTION not in values:
        return None
    try:
        return LineBooking(
            dt.date.fromisoformat(str(values[DATE_OPTION])),
            party_from_tokens(values[PARTY_OPTION]),
            extras_from_tokens(values.get(EXTRAS_OPTION) or []),
        )
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None


def package_line_hold(*, line, package: Package, now: dt.datetime | None = None) -> list[Hold]:
    """(Re)take the holds of a basket line for its date, party and quantity, all or nothing.

    A previous hold of the line is replaced in the same transaction (operators' capacity_hold), so
    refreshing a line never counts its places twice. Raises PackageUnavailable."""
    booking = line_booking(line)
    if booking is None:
        raise PackageUnavailable(_("This line has no date or party."))
    reference = basket_line_reference(line.pk)
    choices = package_slot_choice(
        package=package,
        on=booking.on,
        party=booking.party,
        extras=booking.extras,
        quantity=line.quantity,
        now=now,
        own_reference=reference,
        components=package_line_components(package=package, start_time=line_start_time(line)),
    )
    try:
        return capacity_hold(
            items=[(c.slot_id, c.places) for c in choices],
            reference=reference,
            ttl=dt.timedelta(minutes=hold_minutes()),
            now=now,
        )
    except SoldOut as exc:
        raise PackageUnavailable(_sold_out_message(exc, choices)) from exc


def _sold_out_message(exc: SoldOut, choices) -> str:
    """The capacity service's refusal in the customer's words, naming the extra when an extra's slot
    was the one that could not take the places (someone took them between our check and the lock)."""
    for choice in choices:
        if choice.slot_id == exc.slot_id and choice.component.is_optional:
            return extra_unavailable_message(
                extra=choice.component, status=DayStatus.SOLD_OUT if exc.reason == "sold_out" else DayStatus.CLOSED
            )
    return str(exc.message)


def package_basket_add(
    *,
    basket,
    package: Package,
    on: dt.date,
    party: Party,
    extras: Iterable[int] = (),
    start_time: dt.time | None = None,
    now: dt.datetime | None = None,
):
    """Add `package` for `on` and `party`, with the optional extras `extras` (component ids), to
    `basket` and hold the places of its components and of the extras; returns the basket line.
    `start_time`: the departure a single service's traveller chose (packages pin theirs: refused).

    The line and its holds are created in one transaction: when the places cannot be held (an extra
    sold out included) nothing is left in the basket. Raises PackageUnavailable (a message for the
    customer) or LockTimeout."""
    if not package.is_published or package.product_id is None:
        raise PackageUnavailable(_("This package is not on sale."))
    if start_time is not None and not package.is_single_service:
        raise PackageUnavailable(_("This package's departure times are set: choose only the date."))
    components = package_line_components(package=package, start_time=start_time)
    # A first, lock-free check gives the customer the precise reason before anything is written.
    try:
        choices = package_slot_choice(package=package, on=on, party=party, extras=extras, now=now,
                                      components=components)  # fmt: skip
    except PackageUnavailable as exc:
        if start_time is None:
            raise
        # The day may still have room at another time: say that it is the chosen departure that cannot.
        package_slot_choice(package=package, on=on, party=party, extras=extras, now=now)
        raise PackageUnavailable(
            _("The %(time)s departure cannot be booked on this date for your party: choose another time.")
            % {"time": start_time.strftime("%H:%M")}
        ) from exc
    chosen = [c.component for c in choices if c.component.is_optional]
    try:
        total = package_price(
            package=package, on=on, party=party, extras=[c.pk for c in chosen], components=components
        ).total
    except PackageNotPriced as exc:
        unpriced = next((c for c in chosen if c.pk == exc.component_id), None)
        if unpriced is not None:  # an extra with places but no rate that day
            raise PackageUnavailable(extra_unavailable_message(extra=unpriced, status=DayStatus.CLOSED)) from exc
        raise PackageUnavailable(_("This package has no price on this date for your party.")) from exc
    options = line_options(on=on, party=party, extras=chosen, start_time=start_time)
    with transaction.atomic():
        line, _created = basket.add_product(package.product, quantity=1, options=options)
        # Oscar stored the product's "from" price (its stock record); the line's own price is what the
        # customer saw, so Oscar's "the price has changed" warning compares against the right number.
        type(line).objects.filter(pk=line.pk).update(price_excl_tax=total, price_incl_tax=total)
        line.price_excl_tax = line.price_incl_tax = total
        package_line_hold(line=line, package=package, now=now)
    return line


def package_lines_hold_expiry(*, lines, now: dt.datetime | None = None) -> dict[int, dt.datetime | None]:
    """When each basket line's live holds expire (None: expired or gone), in one query."""
    now = now or timezone.now()
    references = {basket_line_reference(line.pk): line.pk for line in lines}
    rows = (
        Hold.objects.filter(reference__in=references, status=Hold.Status.ACTIVE, expires_at__gt=now)
        .values("reference")
        .annotate(expires_at=Min("expires_at"))
    )
    found = {references[row["reference"]]: row["expires_at"] for row in rows}
    return {line.pk: found.get(line.pk) for line in lines}


def package_basket_refresh(*, basket, now: dt.datetime | None = None) -> dict[int, str]:
    """Re-take the holds of every package line whose holds expired; returns {line id: problem}."""
    now = now or timezone.now()
    lines = [line for line in basket.all_lines() if getattr(line.product, "package", None) is not None]
    expiry = package_lines_hold_expiry(lines=lines, now=now)
    problems = {}
    for line in lines:
        if expiry[line.pk] is not None and expiry[line.pk] > now:
            continue
        try:
            package_line_hold(line=line, package=line.product.package, now=now)
        except PackageUnavailable as exc:
            problems[line.pk] = exc.message
    return problems


def package_lines_release(*, basket_lines) -> int:
    return sum(capacity_release(reference=basket_line_reference(line.pk)) for line in basket_lines)


def package_basket_line_release(*, line_id: int) -> int:
    """A basket line is gone (removed on the basket page, merged away, its basket deleted): give its
    places back now rather than at the hold's expiry. Returns the places given back.

    Never raises LockTimeout: the customer's basket page must not fail because a slot is busy; the
    hold then simply expires and the beat job (capacity_release_expired) gives it back."""
    try:
        return capacity_release(reference=basket_line_reference(line_id))
    except LockTimeout:
        logger.warning("Basket line %s: slots busy, its holds will be released at expiry", line_id)
        return 0


# Orders ----------------------------------------------------------------------------------------


def supplier_commission_percent(*, operator_ids) -> dict[int, Decimal]:
    default = Decimal(str(getattr(settings, "PACKAGES_DEFAULT_COMMISSION_PERCENT", "15")))
    terms = dict(
        PackageSupplierTerms.objects.filter(operator_id__in=operator_ids).values_list(
            "operator_id", "commission_percent"
        )
    )
    return {operator_id: terms.get(operator_id, default) for operator_id in operator_ids}


def _basket_line_for(order_line, basket_lines) -> object | None:
    wanted = (line_booking(order_line), line_start_time(order_line))
    for line in basket_lines:
        if line.product_id == order_line.product_id and line.quantity == order_line.quantity:
            if (line_booking(line), line_start_time(line)) == wanted:
                return line
    return None


def package_order_line_confirm(*, order_line, basket_line, now: dt.datetime | None = None) -> PackageBooking:
    """Turn a paid line's basket holds into reservations under "order-line:<id>" and record what each
    operator must deliver. Runs inside the order placement transaction; raises PackageUnavailable
    (the order is rolled back and the payment refunded) when the places went to someone else.

    Release-then-book happens under the same slot locks, held to the end of the placement
    transaction, so the places a live hold kept cannot be taken by anyone in between."""
    package = order_line.product.package
    on, party, extras = line_booking(order_line)
    line_components = package_line_components(package=package, start_time=line_start_time(order_line))
    held: list[tuple[int, int]] = []
    if basket_line is not None:
        held = list(
            Hold.objects.filter(
                reference=basket_line_reference(basket_line.pk),
                status__in=[Hold.Status.ACTIVE, Hold.Status.EXPIRED],
            ).values_list("slot_id", "quantity")
        )
    if held:
        items = held  # the very slots the customer saw held (capacity_book re-checks expired ones)
    else:
        choices = package_slot_choice(
            package=package, on=on, party=party, extras=extras, quantity=order_line.quantity, now=now,
            components=line_components,
        )  # fmt: skip
        items = [(c.slot_id, c.places) for c in choices]
    try:
        if basket_line is not None:
            capacity_release(reference=basket_line_reference(basket_line.pk), now=now)
        capacity_book(items=items, reference=f"order-line:{order_line.pk}", now=now)
    except SoldOut as exc:
        raise PackageUnavailable(str(exc.message)) from exc
    try:
        price = package_price(package=package, on=on, party=party, extras=extras, components=line_components)
    except PackageNotPriced as exc:
        raise PackageUnavailable(_("This package has no price on this date for your party.")) from exc
    booking = PackageBooking.objects.create(
        order_line=order_line,
        package=package,
        starts_on=on,
        party=party.to_dict(),
        price=order_line.line_price_incl_tax,
    )
    components = {c.pk: c for c in line_components}
    commission = supplier_commission_percent(operator_ids={c.service.operator_id for c in components.values()})
    slots = list(Slot.objects.filter(pk__in={slot_id for slot_id, _quantity in items}))
    parts = []
    for component_price in price.components:
        component = components[component_price.component_id]
        slot = next(
            s for s in slots
            if s.service_id == component.service_id and s.date == component_price.on
            and (component.start_time is None or s.start_time == component.start_time)
        )  # fmt: skip
        parts.append(
            PackageBookingPart(
                booking=booking,
                component=component,
                operator_id=component.service.operator_id,
                service_id=component.service_id,
                slot=slot,
                date=slot.date,
                start_time=slot.start_time,
                all_day=slot.all_day,
                places=component_price.places * order_line.quantity,
                amount=component_price.amount * order_line.quantity,
                commission_percent=commission[component.service.operator_id],
                is_extra=component_price.is_extra,
            )
        )
    PackageBookingPart.objects.bulk_create(parts)
    return booking


def package_order_confirm(*, order, basket, lines, now: dt.datetime | None = None) -> list[PackageBooking]:
    basket_lines = list(basket.all_lines()) if basket is not None else []
    bookings = [
        package_order_line_confirm(order_line=line, basket_line=_basket_line_for(line, basket_lines), now=now)
        for line in lines
    ]
    operator_ids = sorted({part.operator_id for b in bookings for part in b.parts.all()})
    announce([b.pk for b in bookings], "confirmed")
    from .tasks import package_operator_notify as package_operator_notify_task

    order_id = order.pk
    for operator_id in operator_ids:
        transaction.on_commit(
            lambda operator_id=operator_id: package_operator_notify_task.delay(order_id, operator_id, "confirmed")
        )
    return bookings


def package_order_cancel(*, order, lines, now: dt.datetime | None = None) -> int:
    """Give back the places of the order's package lines (idempotent) and tell each operator."""
    now = now or timezone.now()
    given_back = 0
    operator_ids = set()
    cancelled = []
    for booking in PackageBooking.objects.filter(order_line__in=lines).prefetch_related("parts"):
        given_back += capacity_cancel(reference=booking.capacity_reference, now=now)
        if booking.status != PackageBooking.Status.CANCELLED:
            booking.status = PackageBooking.Status.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at"])
            operator_ids |= {part.operator_id for part in booking.parts.all()}
            cancelled.append(booking.pk)
    announce(cancelled, "cancelled")
    from .tasks import package_operator_notify as package_operator_notify_task

    order_id = order.pk
    for operator_id in sorted(operator_ids):
        transaction.on_commit(
            lambda operator_id=operator_id: package_operator_notify_task.delay(order_id, operator_id, "cancelled")
        )
    return given_back


# Cancellation policy ---------------------------------------------------------------------------


def package_days_before(*, starts_on: dt.date, at: dt.datetime) -> int:
    """Calendar days from `at` (in Europe/Rome) to the departure: cancelling on 1 May for a 15 May
    departure is 14 days before."""
    return (starts_on - at.astimezone(ROME).date()).days


def package_free_cancellation_until(*, tiers, starts_on: dt.date) -> dt.date | None:
    """The last day a booking departing on `starts_on` can be cancelled for a full refund ("free
    cancellation until 14 November"), or None when the policy never refunds in full.

    The 100 % tier with the fewest days applies from that many days before (package_refund_percent),
    so its last day is `starts_on - days_before`. Cards and package pages say it before the visitor
    chooses a date with the `days_before` alone ("free cancellation up to 30 days before")."""
    days = package_free_cancellation_days(tiers=tiers)
    return None if days is None else starts_on - dt.timedelta(days=days)


def package_free_cancellation_days(*, tiers) -> int | None:
    """How many days before departure a full refund is still given (None: never)."""
    full = [t.days_before for t in tiers if t.refund_percent >= 100]
    return min(full) if full else None


def package_refund_percent(*, tiers: list[CancellationTier], starts_on: dt.date, at: dt.datetime) -> int:
    """The share of the price a cancellation at `at` gets back for a departure on `starts_on`.

    Days are counted on the calendar in Europe/Rome (package_days_before). A tier "until N days"
    applies from N days before (included) and further out; the tier with the most days that applies
    wins; with no tier left (or on/after departure) nothing."""
    days_before = package_days_before(starts_on=starts_on, at=at)
    if days_before <= 0:
        return 0
    for tier in sorted(tiers, key=lambda t: -t.days_before):
        if days_before >= tier.days_before:
            return tier.refund_percent
    return 0


@dataclass(frozen=True)
class RefundTerm:
    """What the policy gives back for one booking cancelled at a given moment, and why."""

    booking: PackageBooking
    days_before: int
    percent: int
    amount: Decimal
    tiers: tuple[CancellationTier, ...]


def package_booking_refund_term(*, booking: PackageBooking, at: dt.datetime | None = None) -> RefundTerm:
    """The policy's refund for cancelling `booking` at `at` (nothing once cancelled), with the day
    count and percent it comes from, for the pages that show staff and customers the rule applied."""
    at = at or timezone.now()
    tiers = tuple(booking.package.cancellation_tiers.all())
    days_before = package_days_before(starts_on=booking.starts_on, at=at)
    if booking.status == PackageBooking.Status.CANCELLED:
        return RefundTerm(booking, days_before, 0, Decimal("0.00"), tiers)
    percent = package_refund_percent(tiers=list(tiers), starts_on=booking.starts_on, at=at)
    amount = money_round(booking.price * percent / 100)
    return RefundTerm(booking, days_before, percent, amount, tiers)


def package_booking_refund(*, booking: PackageBooking, at: dt.datetime | None = None) -> Decimal:
    """What cancelling `booking` at `at` refunds under its package's policy (0 once cancelled)."""
    return package_booking_refund_term(booking=booking, at=at).amount


def package_order_refund_terms(*, order, at: dt.datetime | None = None) -> list[RefundTerm]:
    bookings = (
        PackageBooking.objects.filter(order_line__order=order)
        .select_related("package")
        .prefetch_related("package__cancellation_tiers")
        .order_by("starts_on", "pk")
    )
    at = at or timezone.now()
    return [package_booking_refund_term(booking=booking, at=at) for booking in bookings]


def package_order_refund(*, order, at: dt.datetime | None = None) -> Decimal:
    bookings = PackageBooking.objects.filter(order_line__order=order).select_related("package")
    return sum((package_booking_refund(booking=b, at=at) for b in bookings), Decimal("0.00"))


def package_order_cancel_by_customer(*, order, at: dt.datetime | None = None) -> Decimal:
    """The customer cancels: the policy's refund goes through payments' order_cancel, which sets the
    order status, gives the places back (our handler's cancel) and refunds at Stripe."""
    from marketplace.payments.services import order_cancel

    if order.status == "Cancelled":
        raise PackageUnavailable(_("This order is already cancelled."))
    terms = package_order_refund_terms(order=order, at=at)
    total = sum((term.amount for term in terms), Decimal("0.00"))
    note = _("Cancelled by the customer, refund under the cancellation policy: %(amount)s %(currency)s.") % {
        "amount": total,
        "currency": order.currency,
    }
    if not order_cancel(order=order, refund_amount=total, user=order.user, note=note):
        raise PackageUnavailable(_("This order is already cancelled."))  # cancelled meanwhile
    for term in terms:
        PackageBooking.objects.filter(pk=term.booking.pk).update(refund_amount=term.amount)
    announce([term.booking.pk for term in terms], "refunded")
    return total


# Single services sold alone ----------------------------------------------------------------------
#
# A tourist books a farm dinner, a city walk or a night as well as packages. Such a service is sold
# through the shop as a ONE-COMPONENT package made automatically (`Package.single_service`): no markup,
# the service's own words, one component (day 1, one place per person as the service counts). It is
# priced exactly as `packages.products.Bookable(service=...)` prices it for the trade channel (the same
# `package_price` over the same component), and the package page, basket, holds, checkout, voucher,
# cancellation and the operators' bookings and statements serve it unchanged: one path through checkout.

# The cancellation policy an automatic package starts with: services carry no policy of their own, so
# the DMC's: a stay is refunded in full up to 7 days before and by half up to 2 days; an experience,
# ticket, meal, rental or transfer in full up to 2 days before. Staff may change the tiers of a package
# in the admin afterwards: the sync only fills a package that has none.
SINGLE_SERVICE_TIERS = {"accommodation": ((7, 100), (2, 50)), "default": ((2, 100),)}
SINGLE_SERVICE_THEMES = {"food-wine": "wine", "rental": "cycling"}


def single_service_is_sellable(*, service) -> bool:
    """Whether `service` can be sold alone in the shop: active, of an approved operator, with a rate in
    a season that has not ended (slots decide the days; without a rate nothing could be priced)."""
    from operators.models import Operator, Rate

    return (
        service.is_active
        and service.operator.status == Operator.Status.APPROVED
        and Rate.objects.filter(season__service=service, season__ends_on__gte=local_today()).exists()
    )


def _single_service_slug(service) -> str:
    from django.utils.text import slugify

    return f"{slugify(service.name_it or service.name)[:150] or 'servizio'}-s{service.pk}"


def _single_service_fill(*, package: Package, service) -> None:
    """The service's words on its package, in every language column (empty ones fall back as usual)."""
    operator = service.operator
    for code in settings.MODELTRANSLATION_LANGUAGES:
        setattr(package, f"title_{code}", getattr(service, f"name_{code}", None) or "")
        setattr(package, f"description_{code}", getattr(service, f"description_{code}", None) or "")
        setattr(package, f"summary_{code}", f"{operator.name} · {operator.get_municipality_display()}")
        setattr(package, f"meeting_point_{code}", service.meeting_point)
    package.title = service.name_it or service.name
    package.slug = _single_service_slug(service)
    package.duration_days = 1
    package.area = operator.municipality
    package.themes = SINGLE_SERVICE_THEMES.get(service.kind, "")
    package.markup_kind = Package.MarkupKind.PERCENT
    package.markup_value = Decimal("0.00")
    package.on_request = service.on_request


def _single_service_photos(*, package: Package, service) -> None:
    """The operator's photos (services have none of their own), pointing at the same files."""
    from .models import PackagePhoto

    wanted = [(p.image.name, p.caption) for p in service.operator.photos.order_by("position", "pk")]
    if [(p.image.name, p.caption) for p in package.photos.order_by("position", "pk")] == wanted:
        return
    package.photos.all().delete()  # PackagePhoto rows only: the files stay, they are the operator's
    PackagePhoto.objects.bulk_create(
        [
            PackagePhoto(package=package, image=name, position=i, **{f"caption_{code}": caption
                                                                      for code in settings.MODELTRANSLATION_LANGUAGES})
            for i, (name, caption) in enumerate(wanted)
        ]
    )  # fmt: skip


def service_package_sync(*, service) -> Package | None:
    """Create, update or withdraw the automatic package that sells `service` alone; idempotent.

    A sellable service (single_service_is_sellable) gets its package created or brought in line with it
    (name, description, area, photos, on request; one component; published with its Oscar product and
    "from" price by package_sync_product). A service that is no longer sellable (deactivated, its
    operator suspended, no rate) has its package withdrawn: kept, as orders point at it, but hidden. A
    service never sellable gets nothing. Packages assembled by staff are never touched. The service row
    is locked, so two syncs of the same service at once make one package."""
    from operators.models import Service

    with transaction.atomic():
        service = Service.objects.select_for_update(of=("self",)).select_related("operator").get(pk=service.pk)
        package = Package.objects.filter(single_service=service).first()
        sellable = single_service_is_sellable(service=service)
        if package is None and not sellable:
            return None
        if package is None:
            package = Package(single_service=service, status=Package.Status.DRAFT)
        if not sellable:
            if package.status != Package.Status.WITHDRAWN:
                package_withdraw(package=package)
            return package
        _single_service_fill(package=package, service=service)
        package.status = Package.Status.PUBLISHED
        package.published_at = package.published_at or timezone.now()
        package.save()
        component = package.components.filter(service=service).order_by("pk").first() or PackageComponent(
            package=package, service=service
        )
        others = package.components.all()
        (others.exclude(pk=component.pk) if component.pk else others).delete()
        component.day, component.position, component.start_time = 1, 0, None
        component.quantity_rule, component.room_size = PackageComponent.QuantityRule.PER_PERSON, None
        component.save()
        if not package.cancellation_tiers.exists():
            tiers = SINGLE_SERVICE_TIERS.get(service.kind, SINGLE_SERVICE_TIERS["default"])
            CancellationTier.objects.bulk_create(
                [CancellationTier(package=package, days_before=days, refund_percent=pct) for days, pct in tiers]
            )
        _single_service_photos(package=package, service=service)
        package_sync_product(package=package)
    return package


def service_packages_sync(*, service_ids=None, operator_id: int | None = None) -> int:
    """Sync the automatic packages of these services, or of one operator's services, or (neither
    given) of every service that is sellable or already has one: the management command
    `sync_single_services` and the demo. Returns how many packages exist for them after the sync."""
    from django.db.models import Q

    from operators.models import Service

    services = Service.objects.all()
    if service_ids is not None:
        services = services.filter(pk__in=list(service_ids))
    elif operator_id is not None:
        services = services.filter(operator_id=operator_id)
    else:
        services = services.filter(Q(is_active=True) | Q(single_package__isnull=False))
    synced = 0
    for service in services.order_by("pk"):
        if service_package_sync(service=service) is not None:
            synced += 1
    return synced


def single_service_book_links(*, service_ids) -> dict[int, str]:
    """{service id: its package's shop page} for the services sold alone right now (one query); the
    operators' public pages read it through operators.booking_links (they never import packages)."""
    rows = Package.objects.filter(
        single_service_id__in=list(service_ids), status=Package.Status.PUBLISHED, product__isnull=False
    ).select_related("product")
    return {package.single_service_id: package.product.get_absolute_url() for package in rows}
