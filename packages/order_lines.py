"""What a basket or order line of a package shows the traveller, in the traveller's language.

Oscar's line keeps the product's title at the moment it was added (Italian, the catalogue's language)
and its options as a raw dump ("Data di partenza = '2026-12-15'"); every page from the basket to the
voucher reads the package line from here instead: the package's own title in the active language
(modeltranslation), the departure, the party, the chosen extras by name and the package's first photo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.core.money import format_money
from operators.pricing import Party

from .models import CancellationTier, Package, PackageBooking, PackageComponent, PackagePhoto
from .selectors import package_extras_named
from .services import (
    RefundTerm,
    line_booking,
    line_start_time,
    package_free_cancellation_until,
    package_order_refund_terms,
)


@dataclass(frozen=True)
class PackageLine:
    """One package line as the traveller reads it."""

    package: Package
    title: str
    url: str
    image_url: str
    starts_on: dt.date
    party: Party
    extras: list[PackageComponent] = field(default_factory=list)
    booking: PackageBooking | None = None
    start_time: dt.time | None = None  # a single service's departure time (packages show their days)
    image_name: str = ""  # the photo's storage name, for its WebP thumbnails (marketplace.core.photos)

    @property
    def extras_names(self) -> str:
        return ", ".join(component.service.name for component in self.extras)

    @property
    def free_cancellation_until(self) -> dt.date | None:
        return package_free_cancellation_until(tiers=list(self.package.cancellation_tiers.all()),
                                               starts_on=self.starts_on)  # fmt: skip


def package_photo_url(package: Package) -> str:
    photo = _first_photo(package)
    return photo.image.url if photo else ""


def _first_photo(package: Package) -> PackagePhoto | None:
    photo = PackagePhoto.objects.filter(package=package).order_by("position", "pk").first()
    return photo if photo and photo.image else None


def package_line(line) -> PackageLine | None:
    """The package line behind a basket line or an order line (None for any other product's line).

    An order line reads its PackageBooking (what was really booked); a basket line reads its options."""
    if not getattr(line, "pk", None) or not getattr(line, "product_id", None):
        return None
    booking = (
        PackageBooking.objects.filter(order_line=line).select_related("package").first()
        if _is_order_line(line)
        else None
    )
    package = booking.package if booking else Package.objects.filter(product_id=line.product_id).first()
    if package is None:
        return None
    chosen = line_booking(line)
    if booking is not None:
        starts_on, party = booking.starts_on, Party.from_dict(booking.party)
    elif chosen is not None:
        starts_on, party = chosen.on, chosen.party
    else:
        return None
    photo = _first_photo(package)
    return PackageLine(
        start_time=_line_start_time(line, package, booking),
        package=package,
        title=package.title,
        url=package.get_absolute_url(),
        image_url=photo.image.url if photo else "",
        image_name=photo.image.name if photo else "",
        starts_on=starts_on,
        party=party,
        extras=package_extras_named(ids=chosen.extras) if chosen else [],
        booking=booking,
    )


def _line_start_time(line, package: Package, booking: PackageBooking | None) -> dt.time | None:
    """A single service's departure time, the one thing its traveller needs besides the day: an order
    line reads what was booked (its part's slot time, even when none was chosen and the first with room
    was taken), a basket line the option chosen. Staff packages: None (their times are the itinerary's)."""
    if not package.is_single_service:
        return None
    if booking is not None:
        part = booking.parts.filter(all_day=False, is_extra=False).order_by("date", "start_time").first()
        return part.start_time if part else None
    return line_start_time(line)


def _is_order_line(line) -> bool:
    return line._meta.app_label == "order"


def order_is_packages_only(order) -> bool:
    """Whether every line of the order is a package (no reorder, no review: a trip is booked for a date)."""
    lines = list(order.lines.values_list("pk", flat=True))
    return bool(lines) and PackageBooking.objects.filter(order_line__in=lines).count() == len(lines)


@dataclass(frozen=True)
class RefundRule:
    """What cancelling a booking now gives back and the policy rule it comes from, in words."""

    term: RefundTerm
    tier: CancellationTier | None

    @property
    def sentence(self) -> str:
        term = self.term
        if term.booking.status == PackageBooking.Status.CANCELLED:
            return _("This booking is cancelled.")
        if term.days_before <= 0:
            return _("The departure day has come: cancelling now refunds nothing.")
        when = ngettext(
            "cancelling today, %(days)d day before departure",
            "cancelling today, %(days)d days before departure",
            term.days_before,
        ) % {"days": term.days_before}
        if self.tier is None:
            return _("%(when)s: nothing is refunded (the policy refunds nothing this close to departure).") % {
                "when": capfirst(when)
            }
        rule = self.tier.sentence
        return _("%(when)s: %(percent)s %% refunded, %(amount)s, under “%(rule)s”.") % {
            "when": capfirst(when),
            "percent": term.percent,
            "amount": format_money(term.amount),
            "rule": rule,
        }


def order_refund_rules(*, order, at: dt.datetime | None = None) -> list[RefundRule]:
    """Per booking of the order, the refund of cancelling at `at` and the tier that gives it (the tier
    with the most days that still applies, as package_refund_percent chooses)."""
    rules = []
    for term in package_order_refund_terms(order=order, at=at):
        applying = [t for t in term.tiers if term.days_before >= t.days_before] if term.days_before > 0 else []
        tier = max(applying, key=lambda t: t.days_before) if applying else None
        rules.append(RefundRule(term=term, tier=tier))
    return rules


@dataclass(frozen=True)
class BasketParty:
    """How many travellers the basket's packages are for: `people` in all, of whom `infants` need no name."""

    people: int
    infants: int

    @property
    def others_required(self) -> int:
        """Names the checkout needs besides the lead traveller (infants may be named, need not be)."""
        return max(self.people - self.infants - 1, 0)


def basket_party(basket) -> BasketParty | None:
    """The party of the basket's package lines, for naming the travellers at checkout (None: no package
    line). Several packages in one basket are usually the same people on different dates, so the largest
    party counts, not their sum."""
    parties = [booking.party for booking in (line_booking(line) for line in basket.all_lines()) if booking]
    if not parties:
        return None
    largest = max(parties, key=lambda party: (party.size, -party.infants))
    return BasketParty(people=largest.size, infants=largest.infants)
