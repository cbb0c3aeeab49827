"""Demo trade partners (a step of `load_demo`, after operators and packages).

Two approved partners with two users each: Toskana Reisen GmbH, an incoming tour operator of Munich
(commission contract; an allotment of double rooms of Hotel San Frediano June to September, released
21 days before), and Tuscany Trails LLC, a US travel agency (net-rate contract, on account); one partner
awaiting approval. Agriturismo Marlia Verde's farm dinner is on request. Confirmed, cancelled and
pending bookings are made through trade_book / trade_cancel, never written by hand. Their logins are
DEMO_LOGINS of marketplace.core.demo, printed by load_demo like every role's.
Idempotent: partners are looked up by slug, users by e-mail, contracts by partner and name, the
allotment by contract and service, bookings by the partner's reference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.core.demo import demo_user
from marketplace.core.roles import Role, user_grant_role
from operators.models import Service, Slot
from operators.pricing import Party
from packages.models import Package

from .allotments import AllotmentRefused, allotment_create
from .bookings import TradeRefused, TradeRequest, trade_book, trade_cancel
from .models import (
    Allotment,
    Contract,
    ContractCancellationTier,
    ContractNetPrice,
    PartnerMembership,
    TradeBooking,
    TradePartner,
)

PARTNERS = [
    {
        "slug": "toskana-reisen", "legal_name": "Toskana Reisen GmbH", "country": "DE", "tax_id": "DE136695976",
        "address": "Leopoldstraße 10\n80802 München", "licence_number": "IATA 23-4 5678 1",
        "billing_email": "buchhaltung@toskana-reisen.example", "contact_name": "Sophie Marchand",
        "phone": "+49 89 1234560", "website": "https://toskana-reisen.example", "status": "approved",
        "users": [("partner@terredilucca.example", "admin"), ("jonas.weber@toskana-reisen.example", "booker")],
    },
    {
        "slug": "tuscany-trails", "legal_name": "Tuscany Trails LLC", "country": "US", "tax_id": "EIN 84-1234567",
        "address": "1200 Pearl Street\nBoulder, CO 80302", "licence_number": "ASTA 900123",
        "billing_email": "accounts@tuscanytrails.example", "contact_name": "Emily Carter",
        "phone": "+1 303 555 0142", "website": "https://tuscanytrails.example", "status": "approved",
        "users": [("emily@tuscanytrails.example", "admin"), ("mark@tuscanytrails.example", "booker")],
    },
    {
        "slug": "reizen-toscane", "legal_name": "Reizen Toscane B.V.", "country": "NL", "tax_id": "NL004495445B01",
        "address": "Keizersgracht 100\n1015 CV Amsterdam", "licence_number": "SGR 4321",
        "billing_email": "admin@reizentoscane.example", "contact_name": "Daan de Vries",
        "phone": "+31 20 555 0100", "website": "", "status": "pending",
        "users": [("daan@reizentoscane.example", "admin")],
    },
]  # fmt: skip

# Net prices of Tuscany Trails' contract: (operator slug, service name_it) -> {category: EUR}.
NET_PRICES = {
    ("guide-lucca-cento-chiese", "Lucca dentro le Mura"): {"adult": "20.00", "child": "10.00", "senior": "17.00"},
    ("guide-lucca-cento-chiese", "Lucca e Puccini"): {"adult": "24.00", "child": "12.00", "senior": "20.00"},
}
TIERS = [(60, 100), (30, 50), (7, 20)]
CONTRACT_MONTHS_BACK = 24
ALLOTMENT_SERVICE = ("hotel-san-frediano", "Camera doppia")
ON_REQUEST_SERVICE = ("agriturismo-villa-marlia-verde", "Cena in fattoria")


def _partner(spec: dict) -> TradePartner:
    fields = {k: v for k, v in spec.items() if k not in ("slug", "users")}
    partner, _created = TradePartner.objects.get_or_create(slug=spec["slug"], defaults=fields)
    for email, role in spec["users"]:
        user = demo_user(email)
        PartnerMembership.objects.get_or_create(user=user, defaults={"partner": partner, "role": role})
        user_grant_role(user, Role.PARTNER)
    return partner


def _contract(partner: TradePartner, name: str, start: dt.date, end: dt.date, **fields) -> Contract:
    contract, created = Contract.objects.get_or_create(
        partner=partner, name=name, defaults={"valid_from": start, "valid_to": end, **fields}
    )
    if created:
        ContractCancellationTier.objects.bulk_create(
            [ContractCancellationTier(contract=contract, days_before=d, refund_percent=p) for d, p in TIERS]
        )
    return contract


def load(stdout=None) -> None:
    today = timezone.localdate()
    # Both partners have booked the destination for two years (the observatory's demo history books
    # under these contracts, by travel date): the contracts run from the month two years back.
    months = today.year * 12 + today.month - 1 - CONTRACT_MONTHS_BACK
    start, end = dt.date(months // 12, months % 12 + 1, 1), dt.date(today.year + 1, 12, 31)
    with transaction.atomic():
        partners = {spec["slug"]: _partner(spec) for spec in PARTNERS}
        _contract(
            partners["toskana-reisen"], "Commission terms", start, end,
            scope=Contract.Scope.ALL, rate_kind=Contract.RateKind.COMMISSION, commission_percent=Decimal("20.00"),
            payment_terms=Contract.PaymentTerms.ON_ACCOUNT, credit_limit=Decimal("50000.00"),
        )  # fmt: skip
        net = _contract(
            partners["tuscany-trails"], "Net rates", start, end,
            scope=Contract.Scope.CHOSEN, rate_kind=Contract.RateKind.NET, commission_percent=None,
            payment_terms=Contract.PaymentTerms.ON_ACCOUNT, credit_limit=Decimal("15000.00"),
        )  # fmt: skip
        prices = 0
        for (operator_slug, name_it), amounts in NET_PRICES.items():
            service = Service.objects.filter(operator__slug=operator_slug, name_it=name_it).first()
            if service is None:
                continue
            net.services.add(service)
            for category, amount in amounts.items():
                _row, created = ContractNetPrice.objects.get_or_create(
                    contract=net, service=service, category=category, starts_on=net.valid_from, ends_on=net.valid_to,
                    defaults={"amount": Decimal(amount)},
                )  # fmt: skip
                prices += created
        wine_weekend = Package.objects.filter(slug="ville-e-vino-colline-lucchesi").first()
        if wine_weekend is not None:
            net.packages.add(wine_weekend)
            for category, amount in {"adult": "230.00", "child": "120.00"}.items():
                prices += ContractNetPrice.objects.get_or_create(
                    contract=net, package=wine_weekend, category=category, starts_on=net.valid_from,
                    ends_on=net.valid_to,
                    defaults={"amount": Decimal(amount)},
                )[1]  # fmt: skip
    notes = []
    toskana = Contract.objects.get(partner=partners["toskana-reisen"], name="Commission terms")
    allotment = _allotment(toskana, today, notes)
    booked = _bookings(partners, allotment, today, notes)
    if stdout is not None:
        stdout.write(
            f"  trade: {len(partners)} partners (one pending), 2 contracts, {prices} net prices, "
            f"{'an allotment' if allotment else 'no allotment'}, {booked} bookings created"
        )
        for note in notes:
            stdout.write(f"  trade: {note}")


def _service(operator_slug: str, name_it: str) -> Service | None:
    return Service.objects.filter(operator__slug=operator_slug, name_it=name_it).first()


def _allotment(contract: Contract, today: dt.date, notes: list[str]) -> Allotment | None:
    """4 double rooms every night of the coming June to September (cut to the slots that exist), released
    21 days before each night."""
    service = _service(*ALLOTMENT_SERVICE)
    if service is None:
        return None
    existing = Allotment.objects.filter(contract=contract, service=service).first()
    if existing is not None:
        return existing
    year = today.year if dt.date(today.year, 6, 1) > today + dt.timedelta(days=30) else today.year + 1
    last_slot = Slot.objects.filter(service=service).order_by("-date").values_list("date", flat=True).first()
    start = max(dt.date(year, 6, 1), today + dt.timedelta(days=30))
    end = min(dt.date(year, 9, 30), last_slot or start, contract.valid_to)
    if end < start:
        return None
    try:
        return allotment_create(
            contract=contract, service=service, starts_on=start, ends_on=end, quantity=4, release_days=21
        )
    except AllotmentRefused as exc:
        notes.append(f"allotment not created: {exc.message}")
        return None


def _first_day(service: Service, after: dt.date) -> dt.date | None:
    return (
        Slot.objects.filter(service=service, date__gte=after, closed=False, blocked=False)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def _bookings(partners: dict, allotment: Allotment | None, today: dt.date, notes: list[str]) -> int:
    """Bookings through the booking service, each once (looked up by the partner's reference)."""
    toskana, trails = partners["toskana-reisen"], partners["tuscany-trails"]
    dinner = _service(*ON_REQUEST_SERVICE)
    if dinner is not None and not dinner.on_request:
        Service.objects.filter(pk=dinner.pk).update(on_request=True)
        dinner.on_request = True
    walls = _service("guide-lucca-cento-chiese", "Lucca dentro le Mura")
    rooms = allotment.service if allotment else None
    plan = []  # (partner, booker e-mail, product, first date from, party, reference, lead, cancel)
    if rooms is not None:
        plan += [
            (toskana, "jonas.weber@toskana-reisen.example", rooms, allotment.starts_on + dt.timedelta(days=9),
             Party(adults=2), "TR-DEMO-101", ("Anna", "Schmidt"), False),
            (toskana, "jonas.weber@toskana-reisen.example", rooms, allotment.starts_on + dt.timedelta(days=40),
             Party(adults=2), "TR-DEMO-102", ("Klaus", "Müller"), False),
            (toskana, "jonas.weber@toskana-reisen.example", rooms, allotment.starts_on + dt.timedelta(days=20),
             Party(adults=2), "TR-DEMO-103", ("Petra", "Wagner"), True),
        ]  # fmt: skip
    if dinner is not None:
        plan.append((toskana, "partner@terredilucca.example", dinner, today + dt.timedelta(days=20),
                     Party(adults=4), "TR-DEMO-104", ("Lena", "Fischer"), False))  # fmt: skip
    if walls is not None:
        plan += [
            (trails, "mark@tuscanytrails.example", walls, today + dt.timedelta(days=25),
             Party(adults=2, children_ages=(9,)), "BR-5501", ("John", "Miller"), False),
            (trails, "mark@tuscanytrails.example", walls, today + dt.timedelta(days=45),
             Party(adults=3), "BR-5502", ("Sarah", "Johnson"), True),
        ]  # fmt: skip
    created = 0
    for partner, email, product, after, party, reference, (first, last), cancel in plan:
        if TradeBooking.objects.filter(partner=partner, partner_reference=reference).exists():
            continue
        on = _first_day(product, after)
        if on is None:
            continue
        request = TradeRequest(product=product, on=on, party=party, partner_reference=reference,
                               lead_first_name=first, lead_last_name=last)  # fmt: skip
        try:
            booking = trade_book(partner=partner, user=demo_user(email), request=request)
            if cancel:
                trade_cancel(booking=booking, by=demo_user(email))
        except TradeRefused as exc:
            notes.append(f"{reference} not booked: {exc.message}")
            continue
        created += 1
    return created
