"""The demo's two years of bookings, so the observatory tells a story on first run (the last step of
`load_demo`, after every app whose rows it books).

The history is made of REAL bookings, the rows the shop and the trade channel write themselves, so every
page that reads bookings (the orders dashboard, operators' bookings and statements, the partner portal,
the facts) shows it the same way:

- web: an Oscar order (Order, Line with its date and party options, OrderTravellers with the country of
  residence) whose line is a PackageBooking with its PackageBookingParts on real slots;
- portal and API: TradeBookings with their TradeBookingParts under the partner's contract in force;
- every part of an active booking has its Reservation ("order-line:<id>", "trade:<id>") and every slot's
  `reserved` is the sum of its active reservations; cancelled bookings keep their cancelled reservations.

The operators' calendar of the 24 months before the current one is opened first (one past availability
rule per service and rule, its slots in bulk, as `rule_generate_slots` would have made them), then about
two thousand bookings are drawn with `random.Random(SEED)`: the same database every time. They follow
the travel month (summer and Easter peaks, a quiet winter), a growing year on year, the channel (web ~60 %,
portal ~25 %, API ~15 % over the two approved partners), the guests' origin (Italy ~45 % overall, then
Germany, the United States, France, the Netherlands, the United Kingdom, Switzerland, Belgium, Austria…),
party sizes (couples, friends, families with children and infants), lead times per channel, ~8 %
cancellations with the refund or fee their policy gives. Travel dates run from the history's first day
to the last day with slots; a booking whose booking day would be after today is not drawn (the future
months hold what is already sold). Places are only taken where the slot has room, as capacity_book would.

Prices come from `package_price` (and `contract_net` for partners), the functions every channel uses.
The operators' demo has rates for this year and the next only, so a past day is priced on the same
weekday 52 weeks (or 104) later: last year's bookings carry this year's price list.

Written with bulk_create (a few dozen queries for everything), then `facts_rebuild`. Idempotent: when
the history's orders exist (numbers starting with ORDER_PREFIX) nothing is drawn again. The official flows
sample is imported last (`load_official_flows`).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from oscar.apps.catalogue.models import Option
from oscar.apps.order.models import Line, LineAttribute, Order
from oscar.apps.partner.models import StockRecord

from marketplace.bookings.models import OrderTravellers
from marketplace.core.demo import DEMO_FOOTER
from marketplace.core.money import money_round
from marketplace.trade.models import Contract, StatementSettlement, TradeBooking, TradeBookingPart, TradePartner
from marketplace.trade.pricing import TradeNotPriced, contract_net, contract_net_prices
from operators.models import ROME, AvailabilityRule, Reservation, Service, Slot
from operators.pricing import Party, service_party_errors
from packages.models import CancellationTier, Package, PackageBooking, PackageBookingPart, PackageComponent
from packages.pricing import PackageNotPriced, component_places_needed, package_price, package_rates
from packages.products import Bookable
from packages.services import (
    DATE_OPTION,
    EXTRAS_OPTION,
    PARTY_OPTION,
    START_TIME_OPTION,
    extras_tokens,
    party_tokens,
    supplier_commission_percent,
)

SEED = 15
HISTORY_MONTHS = 24
ORDER_PREFIX = "H"  # the history's order numbers: H + 8 digits (the shop's own are 100000 + basket id)
TRADE_PREFIX = "H"  # the history's trade booking codes: H + 7 digits (the portal's are T + 7 letters)
BOOKINGS_PER_DAY = 2.4  # on a day of weight 1 in the first year, before seasons and weekdays
GROWTH = 1.15  # each year sells this much more than the one before
CANCELLED_SHARE = 0.08

# The travel month's weight: summer and Easter peaks (Easter itself is boosted around its date), a
# quiet winter with a small Christmas lift.
MONTH_WEIGHT = {1: 0.35, 2: 0.4, 3: 0.65, 4: 1.05, 5: 1.15, 6: 1.35, 7: 1.6, 8: 1.75, 9: 1.3, 10: 0.95, 11: 0.4,
                12: 0.55}  # fmt: skip
EASTER_BOOST = 2.2  # the days from Thursday before Easter to the Tuesday after
WEEKEND_BOOST = 1.35  # a stay or a visit starting on a Friday or a Saturday

CHANNELS = (("web", 0.60), ("portal", 0.25), ("api", 0.15))
# Who books through which trade channel: the German tour operator holds the demo's API key.
PARTNER_SHARE = {"portal": (("toskana-reisen", 0.55), ("tuscany-trails", 0.45)),
                 "api": (("toskana-reisen", 0.7), ("tuscany-trails", 0.3))}  # fmt: skip
# Where the web's guests live (Italy ~77 % of the web, ~45 % of everything with the partners' guests).
WEB_ORIGINS = (("IT", 77), ("DE", 4.5), ("FR", 3.5), ("GB", 3.5), ("US", 3), ("NL", 2.5), ("CH", 2), ("BE", 1.5),
               ("AT", 1.5), ("ES", 1), ("DK", 0.5), ("SE", 0.5), ("PL", 0.5), ("CA", 0.3), ("AU", 0.2))  # fmt: skip
# A partner's guests; "" leaves guest_country empty (the partner's own country is counted).
PARTNER_ORIGINS = {
    "toskana-reisen": (("DE", 64), ("AT", 14), ("CH", 9), ("NL", 5), ("", 5), ("LU", 3)),
    "tuscany-trails": (("US", 76), ("CA", 10), ("", 5), ("GB", 5), ("AU", 4)),
}
# Kinds of service sold alone on the web, by weight (the rest of the web sells the packages).
SINGLE_KIND_WEIGHT = {"experience": 30, "food-wine": 26, "accommodation": 24, "rental": 10, "ticket": 7,
                      "transfer": 3}  # fmt: skip
WEB_PACKAGE_SHARE = 0.45
PARTNER_PACKAGE_SHARE = 0.55
# Packages sold only in their season (the deer rut, the grape harvest), whatever their slots say.
PACKAGE_MONTHS = {"bramito-dei-cervi": {9, 10}, "vendemmia-a-montecarlo": {9, 10},
                  "casentino-foreste-e-monasteri": {5, 6, 7, 8, 9, 10}, "in-bici-nella-piana": {4, 5, 6, 7, 8, 9, 10}}  # fmt: skip
# Lead time (days between booking and travel) per channel: (weight, low, high) bands.
LEAD_BANDS = {
    "web": ((30, 0, 7), (35, 8, 30), (25, 31, 90), (10, 91, 200)),
    "portal": ((10, 7, 30), (40, 31, 90), (35, 91, 180), (15, 181, 300)),
    "api": ((35, 1, 14), (40, 15, 60), (25, 61, 150)),
}
LANGUAGE = {"IT": "it", "DE": "de", "AT": "de", "CH": "de", "LU": "de", "FR": "fr", "BE": "fr"}
NAMES = {
    "it": (("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo", "Elena", "Davide",
            "Martina", "Paolo"),
           ("Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti",
            "Esposito", "Fontana")),
    "de": (("Anna", "Lukas", "Lena", "Felix", "Laura", "Jonas", "Sophie", "Maximilian", "Julia", "Paul"),
           ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch")),
    "fr": (("Camille", "Louis", "Léa", "Hugo", "Chloé", "Jules", "Manon", "Arthur"),
           ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")),
    "nl": (("Emma", "Daan", "Sanne", "Lars", "Fleur", "Bram"),
           ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser")),
    "en": (("Emily", "James", "Olivia", "William", "Sophia", "Benjamin", "Charlotte", "Henry"),
           ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Miller", "Clark")),
}  # fmt: skip
PARTNER_TIERS = ((60, 100), (30, 50), (7, 20))  # trade.demo's contract tiers, for a fee when none are stored
ZERO = Decimal("0.00")


def easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    w = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * w) // 451
    month = (h + w - 7 * m + 114) // 31
    return dt.date(year, month, (h + w - 7 * m + 114) % 31 + 1)


def history_start(today: dt.date) -> dt.date:
    """The first day of the month HISTORY_MONTHS before today's."""
    months = today.year * 12 + today.month - 1 - HISTORY_MONTHS
    return dt.date(months // 12, months % 12 + 1, 1)


def _pick(rng: random.Random, weighted):
    items = list(weighted)
    return rng.choices([item for item, _w in items], weights=[w for _i, w in items])[0]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace(" ", "").lower()


# --- The catalogue as the history books it -----------------------------------------------------------


@dataclass
class Product:
    """One thing sold: a package, or a service through its automatic one-component package."""

    package: Package
    components: list[PackageComponent]
    service: Service | None = None  # a service sold alone
    memo: dict = field(default_factory=dict)  # package_price's memo, per party
    bookable: Bookable | None = None  # the trade channel's view of it, made once

    @property
    def included(self) -> list[PackageComponent]:
        return [c for c in self.components if not c.is_optional]

    @property
    def extras(self) -> list[PackageComponent]:
        return [c for c in self.components if c.is_optional]


@dataclass
class Catalogue:
    multi: list[Product]
    singles: dict[str, list[Product]]  # by service kind
    by_service: dict[int, Product]
    rates: dict
    stockrecords: dict[int, StockRecord]
    commission: dict[int, Decimal]


def _catalogue() -> Catalogue:
    packages = list(
        Package.objects.filter(status=Package.Status.PUBLISHED, product__isnull=False).select_related(
            "single_service__operator"
        )
    )
    components: dict[int, list[PackageComponent]] = defaultdict(list)
    for component in (
        PackageComponent.objects.filter(package__in=packages)
        .select_related("service__operator")
        .order_by("day", "position", "pk")
    ):
        components[component.package_id].append(component)
    multi, singles, by_service = [], defaultdict(list), {}
    for package in packages:
        product = Product(package, components[package.pk], service=package.single_service)
        if not product.included:
            continue
        if product.service is None:
            multi.append(product)
        elif product.service.is_active and product.service.operator.status == "approved":
            singles[product.service.kind].append(product)
            by_service[product.service.pk] = product
    every = [c for comps in components.values() for c in comps]
    stockrecords = {sr.product_id: sr for sr in StockRecord.objects.filter(product__package__in=packages)
                    .select_related("partner")}  # fmt: skip
    return Catalogue(
        multi=sorted(multi, key=lambda p: p.package.slug),
        singles={kind: sorted(items, key=lambda p: p.service.pk) for kind, items in singles.items()},
        by_service=by_service,
        rates=package_rates(components=every),
        stockrecords=stockrecords,
        commission=supplier_commission_percent(operator_ids={c.service.operator_id for c in every}),
    )


# --- The operators' past calendar --------------------------------------------------------------------


def open_past_calendar(start: dt.date) -> int:
    """For each availability rule starting after `start`, the same rule over `start`.. the day before it
    and its slots, in bulk; returns the slots created. Nothing is booked here. The rules are bulk-created
    (a saved rule would re-sync its service's package, "from" price over the coming year, which the past
    does not change) and the slots inserted by `_insert_slots`."""
    rules = list(AvailabilityRule.objects.filter(starts_on__gt=start).select_related("service").order_by("pk"))
    have = set(AvailabilityRule.objects.filter(starts_on=start).values_list("service_id", "ends_on", "start_times"))
    past = [
        AvailabilityRule(service=rule.service, starts_on=start, ends_on=rule.starts_on - dt.timedelta(days=1),
                         weekdays=rule.weekdays, start_times=rule.start_times, capacity=rule.capacity)
        for rule in rules
        if (rule.service_id, rule.starts_on - dt.timedelta(days=1), rule.start_times) not in have
    ]  # fmt: skip
    AvailabilityRule.objects.bulk_create(past)
    existing = set(
        Slot.objects.filter(service_id__in={r.service_id for r in past}, date__gte=start, date__lt=max(
            (r.ends_on for r in past), default=start) + dt.timedelta(days=1)).values_list("service_id", "date", "start_time")
    )  # fmt: skip
    slots = []
    for rule in past:
        capacity = None if rule.service.is_freesale else rule.capacity
        all_day = not rule.start_times.strip()
        for day in rule.dates():
            for at in rule.times():
                if (rule.service_id, day, at) not in existing:
                    existing.add((rule.service_id, day, at))
                    slots.append((rule.service_id, rule.pk, day, at, all_day, capacity))
    _insert_slots(slots)
    return len(slots)


def _insert_slots(slots: list[tuple]) -> None:
    """INSERT the new slots, (service id, rule id, date, time, all day, capacity) each, with executemany: tens
    of thousands of rows of a few columns, which bulk_create would spend most of the demo's time building
    model by model and compiling. Every slot is new and empty (held, reserved 0; open)."""
    names = ["service", "rule", "date", "start_time", "all_day", "capacity", "held", "reserved", "closed", "blocked",
             "capacity_locked"]  # fmt: skip
    fields = [Slot._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(Slot._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    ops = connection.ops
    rows = [
        (service_id, rule_id, ops.adapt_datefield_value(day), ops.adapt_timefield_value(at), all_day, capacity, 0, 0,
         False, False, False)
        for service_id, rule_id, day, at, all_day, capacity in slots
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


class Calendar:
    """Every slot of the history's services in memory, with the places still free (capacity less held
    and reserved, as the database has them now, less what the history takes)."""

    def __init__(self, service_ids, start: dt.date, end: dt.date):
        self.slots: dict[tuple[int, dt.date], list[list]] = defaultdict(list)  # [pk, time, all_day, free]
        rows = (
            Slot.objects.filter(service_id__in=service_ids, date__gte=start, date__lte=end, closed=False,
                                blocked=False)
            .order_by("service_id", "date", "start_time")
            .values_list("pk", "service_id", "date", "start_time", "all_day", "capacity", "held", "reserved")
        )  # fmt: skip
        for pk, service_id, day, at, all_day, capacity, held, reserved in rows.iterator():
            free = None if capacity is None else capacity - held - reserved
            self.slots[(service_id, day)].append([pk, at, all_day, free])

    def choose(self, rng, component: PackageComponent, day: dt.date, places: int, *, any_departure: bool):
        """A slot of the component's service on `day` with room for `places`: its own departure time when
        it has one, else the first with room (a package) or any with room (a service sold alone, whose
        traveller picks the departure)."""
        candidates = [
            s for s in self.slots.get((component.service_id, day), ())
            if (s[3] is None or s[3] >= places) and (component.start_time is None or s[1] == component.start_time)
        ]  # fmt: skip
        if not candidates:
            return None
        return rng.choice(candidates) if any_departure else candidates[0]

    @staticmethod
    def take(slot: list, places: int) -> None:
        if slot[3] is not None:
            slot[3] -= places


# --- Drawing the bookings ----------------------------------------------------------------------------


@dataclass
class Drawn:
    """One booking as drawn, before its rows are written."""

    channel: str
    partner: TradePartner | None
    product: Product
    on: dt.date
    party: Party
    country: str
    booked_at: dt.datetime
    cancelled_at: dt.datetime | None
    parts: list = field(default_factory=list)  # (component, slot row, places, amount, is_extra)
    price: Decimal = ZERO
    net: Decimal = ZERO
    contract: Contract | None = None
    extras: list = field(default_factory=list)
    start_time: dt.time | None = None


def _party(rng: random.Random, trade: bool) -> Party:
    r = rng.random()
    if r < 0.08:
        return Party(adults=1)
    if r < 0.50:
        return Party(adults=2)
    if r < 0.56:  # a retired couple
        return Party(adults=0, seniors=2)
    if r < 0.70:
        return Party(adults=rng.choice((3, 4, 4, 5, 6)) if trade else rng.choice((3, 4, 4)))
    if r < 0.92:  # a family with children of school age, sometimes a toddler
        ages = tuple(sorted(rng.randint(3, 14) for _ in range(rng.choice((1, 2, 2, 3)))))
        return Party(adults=2, children_ages=ages)
    # a family with an infant (0–2), with or without an older child
    older = (rng.randint(4, 12),) if rng.random() < 0.5 else ()
    return Party(adults=2, children_ages=(*older, rng.randint(0, 2)))


def _lead_days(rng: random.Random, channel: str, product: Product) -> int:
    _w, low, high = _pick(rng, ((band, band[0]) for band in LEAD_BANDS[channel]))
    days = rng.randint(low, high)
    if product.package.duration_days >= 3:  # a week's holiday is booked further ahead
        days += rng.randint(10, 60)
    return days


def _booked_at(rng: random.Random, on: dt.date, lead: int) -> dt.datetime:
    day = on - dt.timedelta(days=lead)
    moment = dt.datetime.combine(day, dt.time(rng.randint(7, 23), rng.randint(0, 59), rng.randint(0, 59)))
    return moment.replace(tzinfo=ROME)


def _priced_on(day: dt.date, first_priced: dt.date) -> dt.date:
    """The day whose rates price `day`: itself, or the same weekday 52 weeks later until rates exist."""
    while day < first_priced:
        day += dt.timedelta(days=364)
    return day


class History:
    """The drawing: the catalogue, the partners' contracts and the calendar loaded once, then each travel
    day's bookings drawn, priced and placed in memory (nothing is written until every booking is drawn)."""

    def __init__(self, today: dt.date, now: dt.datetime):
        self.rng = random.Random(SEED)
        self.today, self.now = today, now
        self.start = history_start(today)
        self.catalogue = _catalogue()
        self.first_priced = dt.date(today.year, 1, 1)
        self.end = max(
            Slot.objects.filter(service_id__in=self._service_ids()).order_by("-date").values_list("date", flat=True)[:1]
            or [today]
        )  # fmt: skip
        self.calendar = Calendar(self._service_ids(), self.start, self.end + dt.timedelta(days=8))
        self.partners = {p.slug: p for p in TradePartner.objects.filter(status=TradePartner.Status.APPROVED)}
        self.contracts = defaultdict(list)
        for contract in Contract.objects.filter(partner__in=self.partners.values()).prefetch_related(
            "cancellation_tiers", "packages", "services", "operators"
        ):
            self.contracts[contract.partner_id].append(contract)
        self.net_prices = {c.pk: contract_net_prices(contract=c) for cs in self.contracts.values() for c in cs}
        self.refused = defaultdict(int)

    def _service_ids(self) -> set[int]:
        products = self.catalogue.multi + [p for ps in self.catalogue.singles.values() for p in ps]
        return {c.service_id for p in products for c in p.components}

    # the day's demand

    def weight(self, day: dt.date) -> float:
        w = MONTH_WEIGHT[day.month]
        sunday = easter(day.year)
        if sunday - dt.timedelta(days=3) <= day <= sunday + dt.timedelta(days=2):
            w *= EASTER_BOOST
        if day.weekday() in (4, 5):
            w *= WEEKEND_BOOST
        years = (day - self.start).days / 365.25
        return w * GROWTH**years

    def draw(self) -> list[Drawn]:
        drawn = []
        day = self.start
        while day <= self.end:
            expected = BOOKINGS_PER_DAY * self.weight(day)
            count = int(expected) + (self.rng.random() < expected - int(expected))
            for _ in range(count):
                booking = self.one(day)
                if booking is not None:
                    drawn.append(booking)
            day += dt.timedelta(days=1)
        return drawn

    def one(self, on: dt.date) -> Drawn | None:
        rng = self.rng
        channel = _pick(rng, CHANNELS)
        partner = None
        if channel != "web":
            partner = self.partners.get(_pick(rng, PARTNER_SHARE[channel]))
            if partner is None:
                channel = "web"
        trade = partner is not None
        party = _party(rng, trade)
        if trade:
            country = _pick(rng, PARTNER_ORIGINS.get(partner.slug, (("", 1),)))
        else:
            country = _pick(rng, WEB_ORIGINS)
        for _attempt in range(4):
            product = self.product(partner, on)
            if product is None:
                self.refused["product"] += 1
                return None
            lead = _lead_days(rng, channel, product)
            booked_at = _booked_at(rng, on, lead)
            if booked_at >= self.now:
                return None  # not sold yet: the future holds what is already booked
            booking = Drawn(channel, partner, product, on, party, country, booked_at, None)
            if self.price_and_place(booking):
                if rng.random() < CANCELLED_SHARE:
                    span = max(int((dt.datetime.combine(on, dt.time(9), tzinfo=ROME) - booked_at).total_seconds()), 60)
                    cancelled_at = booked_at + dt.timedelta(seconds=rng.randint(60, span))
                    booking.cancelled_at = cancelled_at if cancelled_at < self.now else None
                if booking.cancelled_at is None:
                    for _component, slot, places, _amount, _extra in booking.parts:
                        Calendar.take(slot, places)
                return booking
        self.refused["full"] += 1
        return None

    def product(self, partner: TradePartner | None, on: dt.date) -> Product | None:
        rng, catalogue = self.rng, self.catalogue
        if partner is not None:
            contract = self.contract(partner, on)
            if contract is None:
                return None
            products = self.covered(contract)
            multi = [p for p in products if p.service is None and on.month in PACKAGE_MONTHS.get(p.package.slug,
                                                                                                    range(1, 13))]  # fmt: skip
            singles = [p for p in products if p.service is not None]
            pool = multi if (multi and (rng.random() < PARTNER_PACKAGE_SHARE or not singles)) else singles
            return rng.choice(pool) if pool else None
        if rng.random() < WEB_PACKAGE_SHARE:
            pool = [p for p in catalogue.multi if on.month in PACKAGE_MONTHS.get(p.package.slug, range(1, 13))]
            return rng.choice(pool) if pool else None
        kinds = [(k, w) for k, w in SINGLE_KIND_WEIGHT.items() if catalogue.singles.get(k)]
        if not kinds:
            return None
        return rng.choice(catalogue.singles[_pick(rng, kinds)])

    def contract(self, partner: TradePartner, on: dt.date) -> Contract | None:
        for contract in self.contracts.get(partner.pk, ()):
            if contract.valid_from <= on <= contract.valid_to:
                return contract
        return None

    def covered(self, contract: Contract) -> list[Product]:
        if not hasattr(contract, "_history_products"):
            catalogue = self.catalogue
            everything = catalogue.multi + [p for ps in catalogue.singles.values() for p in ps]
            if contract.scope == Contract.Scope.ALL:
                covered = everything
            elif contract.scope == Contract.Scope.PACKAGES:
                covered = list(catalogue.multi)
            else:
                packages = {p.pk for p in contract.packages.all()}
                services = {s.pk for s in contract.services.all()}
                operators = {o.pk for o in contract.operators.all()}
                covered = [p for p in catalogue.multi if p.package.pk in packages] + [
                    p for p in everything if p.service is not None
                    and (p.service.pk in services or p.service.operator_id in operators)
                ]  # fmt: skip
            contract._history_products = covered
        return contract._history_products

    def price_and_place(self, booking: Drawn) -> bool:
        """Price the booking as its channel would and find room on each part's slot (nothing is taken
        yet); False when it cannot be sold (no rate, no room, a party the service refuses)."""
        rng, product, party = self.rng, booking.product, booking.party
        if product.service is not None and service_party_errors(service=product.service, party=party):
            return False
        extras = []
        if booking.channel == "web" and product.extras and rng.random() < 0.25:
            extras = [rng.choice(product.extras)]
        priced_on = _priced_on(booking.on, self.first_priced)
        memo = product.memo.setdefault((party.adults, party.seniors, party.children_ages, party.infants), {})
        try:
            price = package_price(package=product.package, on=priced_on, party=party, extras=[c.pk for c in extras],
                                  components=product.components, rates=self.catalogue.rates, memo=memo)  # fmt: skip
        except PackageNotPriced:
            return False
        by_pk = {c.pk: c for c in product.components}
        pinned = None
        parts, on_slot = [], defaultdict(int)
        for component_price in price.components:
            component = by_pk[component_price.component_id]
            day = booking.on + dt.timedelta(days=component.day_offset)
            places = component_places_needed(component=component, party=party)
            if component.service.max_party and party.size > component.service.max_party:
                return False
            slot = self.calendar.choose(rng, component, day, places, any_departure=product.service is not None)
            if slot is None or (slot[3] is not None and slot[3] < places + on_slot[slot[0]]):
                return False
            on_slot[slot[0]] += places
            if product.service is not None and not slot[2]:
                pinned = slot[1]
            parts.append((component, slot, places, component_price.amount, component_price.is_extra))
        booking.parts, booking.extras, booking.price, booking.start_time = parts, extras, price.total, pinned
        if booking.partner is not None:
            contract = self.contract(booking.partner, booking.on)
            if product.bookable is None:
                product.bookable = (
                    Bookable(service=product.service) if product.service
                    else Bookable(package=product.package, _components=product.components)
                )  # fmt: skip
            item = product.bookable
            extras_retail = ZERO
            try:
                booking.net = contract_net(contract=contract, item=item, on=booking.on, party=party, retail=price.total,
                                           extras_retail=extras_retail, net_prices=self.net_prices[contract.pk])  # fmt: skip
            except TradeNotPriced:
                return False
            booking.contract = contract
        return True


# --- Writing the rows --------------------------------------------------------------------------------


def _refund_percent(tiers: list, days: int) -> int:
    applying = [(d, p) for d, p in tiers if days >= d]
    return max(applying)[1] if applying else 0


def _names(rng: random.Random, country: str) -> tuple[str, str]:
    language = "nl" if country == "NL" else LANGUAGE.get(country, "it" if country == "" else "en")
    firsts, lasts = NAMES.get(language, NAMES["en"])
    return rng.choice(firsts), rng.choice(lasts)


def _write_web(history: History, drawn: list[Drawn], reservations: list, slot_added: dict) -> int:
    rng = random.Random(SEED + 1)
    catalogue = history.catalogue
    options = {o.code: o for o in Option.objects.filter(code__in=[DATE_OPTION, PARTY_OPTION, EXTRAS_OPTION,
                                                                  START_TIME_OPTION])}  # fmt: skip
    tiers = defaultdict(list)
    for package_id, days, percent in CancellationTier.objects.values_list(
        "package_id", "days_before", "refund_percent"
    ):
        tiers[package_id].append((days, percent))
    orders, leads = [], []
    for n, booking in enumerate(drawn, start=1):
        first, last = _names(rng, booking.country)
        number = f"{ORDER_PREFIX}{booking.booked_at.year}{n:04d}"
        leads.append((first, last))
        orders.append(Order(
            number=number, currency=settings.OSCAR_DEFAULT_CURRENCY, total_incl_tax=booking.price,
            total_excl_tax=booking.price, shipping_incl_tax=ZERO, shipping_excl_tax=ZERO,
            shipping_method="No shipping required", shipping_code="no-shipping-required",
            status="Cancelled" if booking.cancelled_at else "Confirmed",
            guest_email=f"{_ascii(first)}.{_ascii(last)}.{number.lower()}@example.com", date_placed=booking.booked_at,
        ))  # fmt: skip
    Order.objects.bulk_create(orders, batch_size=500)
    lines, travellers = [], []
    for order, booking, (first, last) in zip(orders, drawn, leads, strict=True):
        package = booking.product.package
        record = catalogue.stockrecords[package.product_id]
        lines.append(Line(
            order=order, partner=record.partner, partner_name=record.partner.name, partner_sku=record.partner_sku,
            stockrecord=record, product_id=package.product_id, title=package.title_it or package.title,
            upc=f"PKG-{package.pk}", quantity=1, line_price_incl_tax=booking.price, line_price_excl_tax=booking.price,
            line_price_before_discounts_incl_tax=booking.price, line_price_before_discounts_excl_tax=booking.price,
            unit_price_incl_tax=booking.price, unit_price_excl_tax=booking.price, status=order.status, num_allocated=1,
        ))  # fmt: skip
        others = [" ".join(_names(rng, booking.country)) for _ in range(booking.party.size - 1)]
        travellers.append(OrderTravellers(
            order=order, lead_first_name=first, lead_last_name=last, lead_phone=f"+39 3{rng.randint(10, 99)} "
            f"{rng.randint(100000, 9999999)}", country=booking.country, other_travellers=others,
            policy_accepted_at=booking.booked_at, language=LANGUAGE.get(booking.country, "en"),
        ))  # fmt: skip
    Line.objects.bulk_create(lines, batch_size=500)
    OrderTravellers.objects.bulk_create(travellers, batch_size=500)
    attributes, bookings = [], []
    for line, booking in zip(lines, drawn, strict=True):
        values = [(DATE_OPTION, booking.on.isoformat()), (PARTY_OPTION, party_tokens(booking.party))]
        if booking.extras:
            values.append((EXTRAS_OPTION, extras_tokens(booking.extras)))
        if booking.start_time is not None:
            values.append((START_TIME_OPTION, booking.start_time.strftime("%H:%M")))
        attributes += [LineAttribute(line=line, option=options.get(code), type=code, value=value)
                       for code, value in values if code in options]  # fmt: skip
        refund = None
        if booking.cancelled_at:
            days = (booking.on - timezone.localtime(booking.cancelled_at, ROME).date()).days
            percent = _refund_percent(tiers[booking.product.package.pk], days)
            refund = money_round(booking.price * percent / 100)
        bookings.append(PackageBooking(
            order_line=line, package=booking.product.package, starts_on=booking.on, party=booking.party.to_dict(),
            price=booking.price, status="cancelled" if booking.cancelled_at else "confirmed", refund_amount=refund,
            cancelled_at=booking.cancelled_at, created_at=booking.booked_at,
        ))  # fmt: skip
    LineAttribute.objects.bulk_create(attributes, batch_size=1000)
    with _dates_as_given(PackageBooking):
        PackageBooking.objects.bulk_create(bookings, batch_size=500)
    parts = []
    for row, line, booking in zip(bookings, lines, drawn, strict=True):
        for component, slot, places, amount, is_extra in booking.parts:
            operator_id = component.service.operator_id
            parts.append(PackageBookingPart(
                booking=row, component=component, operator_id=operator_id, service_id=component.service_id,
                slot_id=slot[0], date=booking.on + dt.timedelta(days=component.day_offset), start_time=slot[1],
                all_day=slot[2], places=places, amount=amount, commission_percent=catalogue.commission[operator_id],
                is_extra=is_extra,
            ))  # fmt: skip
            reservations.append((slot[0], f"order-line:{line.pk}", places, booking.booked_at, booking.cancelled_at))
            if booking.cancelled_at is None:
                slot_added[slot[0]] += places
    PackageBookingPart.objects.bulk_create(parts, batch_size=1000)
    return len(bookings)


def _write_trade(history: History, drawn: list[Drawn], reservations: list, slot_added: dict) -> int:
    rng = random.Random(SEED + 2)
    rows = []
    for n, booking in enumerate(drawn, start=1):
        first, last = _names(rng, booking.country or booking.partner.country)
        fee = None
        if booking.cancelled_at:
            tiers = [(t.days_before, t.refund_percent) for t in booking.contract.cancellation_tiers.all()]
            days = (booking.on - timezone.localtime(booking.cancelled_at, ROME).date()).days
            fee = money_round(booking.net * (100 - _refund_percent(tiers, days)) / 100) if tiers else ZERO
        product = booking.product
        rows.append(TradeBooking(
            code=f"{TRADE_PREFIX}{n:07d}", partner=booking.partner, contract=booking.contract,
            channel=TradeBooking.Channel.API if booking.channel == "api" else TradeBooking.Channel.PORTAL,
            package=None if product.service else product.package, service=product.service, starts_on=booking.on,
            start_time=booking.start_time, party=booking.party.to_dict(), lead_first_name=first, lead_last_name=last,
            travellers=[" ".join(_names(rng, booking.country)) for _ in range(booking.party.size - 1)],
            guest_country=booking.country, partner_reference=f"{booking.partner.slug[:2].upper()}-{n:05d}",
            status=TradeBooking.Status.CANCELLED if booking.cancelled_at else TradeBooking.Status.CONFIRMED,
            retail_amount=booking.price, net_amount=booking.net, cancellation_fee=fee,
            confirmed_at=booking.booked_at, cancelled_at=booking.cancelled_at, created_at=booking.booked_at,
            updated_at=booking.cancelled_at or booking.booked_at,
        ))  # fmt: skip
    with _dates_as_given(TradeBooking):
        TradeBooking.objects.bulk_create(rows, batch_size=500)
    catalogue = history.catalogue
    parts = []
    for row, booking in zip(rows, drawn, strict=True):
        for component, slot, places, amount, is_extra in booking.parts:
            operator_id = component.service.operator_id
            parts.append(TradeBookingPart(
                booking=row, component=None if booking.product.service else component, operator_id=operator_id,
                service_id=component.service_id, slot_id=slot[0],
                date=booking.on + dt.timedelta(days=component.day_offset), start_time=slot[1], all_day=slot[2],
                places=places, amount=amount, commission_percent=catalogue.commission[operator_id], is_extra=is_extra,
                **({"decision": TradeBookingPart.Decision.CONFIRMED, "decided_at": booking.booked_at
                    + dt.timedelta(hours=3)} if component.service.on_request else {}),
            ))  # fmt: skip
            reservations.append((slot[0], row.capacity_reference, places, booking.booked_at, booking.cancelled_at))
            if booking.cancelled_at is None:
                slot_added[slot[0]] += places
    TradeBookingPart.objects.bulk_create(parts, batch_size=1000)
    _settle_past_months(history.today, {row.partner for row in rows})
    return len(rows)


def _settle_past_months(today: dt.date, partners) -> None:
    """Record the partners' statements of the months before this one as paid, as partners on account do:
    unsettled, two years of history would take each past its credit limit and the demo's API key
    (printed by load_demo, with a curl line that books) would be refused."""
    from marketplace.trade.statements import partner_statement

    this_month = today.replace(day=1)
    settlements = []
    for partner in partners:
        months = TradeBooking.objects.filter(partner=partner, starts_on__lt=this_month, code__startswith=TRADE_PREFIX)
        for month in sorted({d.replace(day=1) for d in months.values_list("starts_on", flat=True)}):
            amount = partner_statement(partner=partner, month=month).total_due
            settlements.append(StatementSettlement(partner=partner, month=month, amount=amount))
    StatementSettlement.objects.bulk_create(settlements, ignore_conflicts=True)


def _write_capacity(reservations: list, slot_added: dict) -> None:
    """The reservations behind every part and each slot's `reserved` brought up by the active ones."""
    rows = [
        Reservation(slot_id=slot_id, reference=reference, quantity=places, cancelled_at=cancelled_at,
                    status=Reservation.Status.CANCELLED if cancelled_at else Reservation.Status.ACTIVE,
                    created_at=booked_at)
        for slot_id, reference, places, booked_at, cancelled_at in reservations
    ]  # fmt: skip
    with _dates_as_given(Reservation):
        Reservation.objects.bulk_create(rows, batch_size=1000)
    by_places = defaultdict(list)  # one UPDATE per number of places added, not one per slot
    for slot_id, places in slot_added.items():
        by_places[places].append(slot_id)
    for places, slot_ids in by_places.items():
        for start in range(0, len(slot_ids), 500):
            Slot.objects.filter(pk__in=slot_ids[start : start + 500]).update(reserved=F("reserved") + places)


@contextmanager
def _dates_as_given(model):
    """Within it, bulk_create keeps the created_at / updated_at the rows carry (the day the history says they
    were booked) instead of stamping now: auto_now(_add) is switched off on the model's fields, then back."""
    fields = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def history_loaded() -> bool:
    return Order.objects.filter(number__startswith=ORDER_PREFIX).exists()


def load_history(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict:
    """Open the past calendar and write the history (once); returns what was done, for the report."""
    now = now or timezone.now()
    today = today or timezone.localtime(now, ROME).date()
    if history_loaded():
        return {"loaded": False}
    with transaction.atomic():
        slots = open_past_calendar(history_start(today))
        history = History(today, now)
        drawn = history.draw()
        web = [b for b in drawn if b.channel == "web"]
        trade = [b for b in drawn if b.channel != "web"]
        reservations: list = []
        slot_added: dict = defaultdict(int)
        _write_web(history, web, reservations, slot_added)
        _write_trade(history, trade, reservations, slot_added)
        _write_capacity(reservations, slot_added)
    return {"loaded": True, "slots": slots, "web": len(web), "trade": len(trade),
            "cancelled": sum(1 for b in drawn if b.cancelled_at), "refused": dict(history.refused)}  # fmt: skip


def load_official_flows() -> str:
    """The official flows sample beside the history (flows.SAMPLE_PATH, 2025 and 2026 for the 11
    municipalities), so staff find the comparison filled on first run. An import replaces the months it
    covers: loading it again changes nothing."""
    from .flows import flows_import_path

    result = flows_import_path()
    if not result.ok:
        return f"official flows sample refused: {result.errors[:3]}"
    return f"official flows: {result.rows} rows, {len(result.months)} months, {result.nights} nights"


def load(stdout=None) -> None:
    """load_demo's step. settings.DEMO_HISTORY = False (the test settings) skips it: the suite's other
    demo tests load the demo many times and do not read the history; tests/observatory/test_demo_history.py
    turns it on."""
    from .facts import facts_rebuild
    from .models import BookingFact

    if not getattr(settings, "DEMO_HISTORY", True):
        if stdout is not None:
            stdout.write("  observatory: demo history skipped (DEMO_HISTORY is off)")
        return
    began = time.monotonic()
    done = load_history()
    # The history is bulk-written (no booking signal refreshes its facts): rebuild them once it is written.
    # Loaded before, its facts are kept by the signals and the nightly task: a second run skips the rebuild.
    if done["loaded"] or not BookingFact.objects.exists():
        facts_rebuild()
    counted = BookingFact.objects.count()
    flows_note = load_official_flows()
    base = settings.SITE_URL.rstrip("/")
    DEMO_FOOTER.append(
        f"The destination's figures: {base}/admin/observatory/ (DMC staff), {base}/it/operators/figures/ "
        f"(operators), {base}/it/trade/figures/ (partners); open data: {base}/it/open-data/"
    )
    if stdout is not None:
        if done["loaded"]:
            stdout.write(
                f"  observatory: {done['web']} web and {done['trade']} trade bookings of two years "
                f"({done['cancelled']} cancelled), {done['slots']} past slots opened"
            )
        else:
            stdout.write("  observatory: the demo history is already loaded")
        stdout.write(f"  observatory: {counted} bookings in the facts; {flows_note} ({time.monotonic() - began:.1f} s)")
