"""Our packages and services as OCTO products: the translation lives here and nowhere else.

A product is a `packages.products.Bookable` (ids "package-12", "service-7"), with one option "DEFAULT"
and units per price category: adult, child, infant, senior for services counted per person (ages from
the service's bands), one "unit" for services sold per unit or per group. START_TIME for a service with
departures at set times, OPENING_HOURS otherwise.

Public API:
    partner_bookables(*, partner, on=None) -> list[Bookable]   what the partner's contracts cover today
    partner_bookable(*, partner, product_id, on=None) -> Bookable | None
    product_json(*, item, capabilities, start_times=()) -> dict   an OCTO Product
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from marketplace.trade.contracts import contract_packages, contract_services, partner_contracts_in_force
from marketplace.trade.models import Contract, TradePartner
from operators.models import Operator, Service, Slot
from packages.models import Package
from packages.products import Bookable, bookable, bookables_prefetch_components

DEFAULT_OPTION = "DEFAULT"
PRICING_FROM_DAYS = 30  # `pricingFrom`: the lowest price over the coming month
CAPABILITY_PRICING = "octo/pricing"
CAPABILITY_CONTENT = "octo/content"
PER_UNIT_MODELS = {Service.CapacityModel.PER_UNIT, Service.CapacityModel.PER_GROUP}


def partner_bookables(*, partner: TradePartner, on: dt.date | None = None) -> list[Bookable]:
    """Every package and service a contract of `partner` in force on `on` covers (none when the partner
    is not approved), packages first, each once, in a stable order. Two queries per contract."""
    return list(partner_bookables_contracts(partner=partner, on=on))


def partner_bookables_contracts(*, partner: TradePartner, on: dt.date | None = None) -> dict[Bookable, Contract]:
    """partner_bookables with the contract covering each (contracts of a partner never overlap on a
    product, so there is one)."""
    on = on or timezone.localdate()
    packages: dict[int, tuple] = {}
    services: dict[int, tuple] = {}
    for contract in partner_contracts_in_force(partner=partner, on=on):
        packages.update({p.pk: (p, contract) for p in contract_packages(contract=contract)})
        services.update({s.pk: (s, contract) for s in contract_services(contract=contract)})
    out = {bookable(package=packages[pk][0]): packages[pk][1] for pk in sorted(packages)}
    out.update({bookable(service=services[pk][0]): services[pk][1] for pk in sorted(services)})
    return out


def partner_bookable(*, partner: TradePartner, product_id: str, on: dt.date | None = None) -> Bookable | None:
    """The product `product_id` if a contract of the partner in force on `on` covers it, else None
    (never another partner's product). Two queries: the product, and one EXISTS over the contracts."""
    kind, _sep, raw = (product_id or "").partition("-")
    if kind not in ("package", "service") or not raw.isdigit() or len(raw) > 18:
        return None
    on = on or timezone.localdate()
    if partner.status != TradePartner.Status.APPROVED:
        return None
    if kind == "package":
        package = Package.objects.filter(pk=int(raw), status=Package.Status.PUBLISHED).first()
        if package is None:
            return None
        covers = Q(scope__in=(Contract.Scope.ALL, Contract.Scope.PACKAGES)) | Q(packages=package)
        item = bookable(package=package)
    else:
        service = (
            Service.objects.filter(pk=int(raw), is_active=True, operator__status=Operator.Status.APPROVED)
            .select_related("operator")
            .first()
        )
        if service is None:
            return None
        covers = Q(scope=Contract.Scope.ALL) | Q(services=service) | Q(operators=service.operator_id)
        item = bookable(service=service)
    in_force = partner.contracts.filter(valid_from__lte=on, valid_to__gte=on)
    return item if in_force.filter(covers).exists() else None


def service_start_times(services: list[Service]) -> dict[int, list[str]]:
    """The distinct departure times ("HH:MM") of each service from today on, in one query."""
    rows = (
        Slot.objects.filter(service__in=services, all_day=False, date__gte=timezone.localdate())
        .values_list("service_id", "start_time")
        .distinct()
    )
    times: dict[int, set[str]] = {s.pk: set() for s in services}
    for service_id, start in rows:
        if start is not None:
            times[service_id].add(start.strftime("%H:%M"))
    return {pk: sorted(values) for pk, values in times.items()}


def _unit(unit_id: str, unit_type: str, min_age: int, max_age: int | None, title: str, content: bool) -> dict:
    unit = {
        "id": unit_id,
        "internalName": title,
        "reference": unit_id,
        "type": unit_type,
        "requiredContactFields": [],
        "restrictions": {
            "minAge": min_age,
            "maxAge": max_age,
            "idRequired": False,
            "minQuantity": None,
            "maxQuantity": None,
            "paxCount": 1,
            "accompaniedBy": ["adult", "senior"] if unit_type in ("CHILD", "INFANT") else [],
        },
    }
    if content:
        unit.update({"title": title, "titlePlural": title, "subtitle": None})
    return unit


def units_json(*, item: Bookable, content: bool = False) -> list[dict]:
    """The unit types the product is sold by. Ages from the (first) service's bands."""
    reference = item.services[0] if item.services else None
    if reference is not None and reference.capacity_model in PER_UNIT_MODELS:
        unit = _unit("unit", "OTHER", 0, None, "Unit", content)
        unit["restrictions"]["paxCount"] = reference.max_occupancy or 1
        return [unit]
    infant = reference.infant_max_age if reference else 2
    child = reference.child_max_age if reference else 12
    return [
        _unit("adult", "ADULT", child + 1, None, "Adult", content),
        _unit("child", "CHILD", infant + 1, child, "Child", content),
        _unit("infant", "INFANT", 0, infant, "Infant", content),
        _unit("senior", "SENIOR", 65, None, "Senior", content),
    ]


def product_json(
    *,
    item: Bookable,
    capabilities: set[str],
    start_times: list[str] = (),
    pricing_from: dict | None = None,
    content_extras: dict | None = None,
) -> dict:
    """The OCTO Product of `item`: every field of the core type, the capabilities' fields when asked
    (`pricing_from`: units_pricing_from's prices of this product, unit id -> price or None)."""
    content = CAPABILITY_CONTENT in capabilities
    services = item.services
    cutoff_hours = max((s.cutoff_hours for s in services), default=0)
    min_party = max((s.min_party for s in services), default=1)
    max_parties = [s.max_party for s in services if s.max_party]
    option = {
        "id": DEFAULT_OPTION,
        "default": True,
        "internalName": item.title,
        "reference": None,
        "availabilityLocalStartTimes": list(start_times) or ["00:00"],
        "cancellationCutoff": f"{cutoff_hours} hours",
        "cancellationCutoffAmount": cutoff_hours,
        "cancellationCutoffUnit": "hour",
        "requiredContactFields": ["firstName", "lastName"],
        "restrictions": {"minUnits": min_party, "maxUnits": min(max_parties) if max_parties else None},
        "units": units_json(item=item, content=content),
    }
    product = {
        "id": item.key,
        "internalName": item.title,
        "reference": item.key,
        "locale": "en",
        "timeZone": settings.TIME_ZONE,
        "allowFreesale": False,
        "instantConfirmation": not item.on_request,
        "instantDelivery": not item.on_request,
        "availabilityRequired": True,
        "availabilityType": "START_TIME" if start_times else "OPENING_HOURS",
        "deliveryFormats": ["PDF_URL"],
        "deliveryMethods": ["VOUCHER"],
        "redemptionMethod": "DIGITAL",
        "options": [option],
    }
    if CAPABILITY_PRICING in capabilities:
        product.update({"defaultCurrency": "EUR", "availableCurrencies": ["EUR"], "pricingPer": "UNIT"})
        prices = pricing_from or {}
        for unit in option["units"]:
            unit["pricingFrom"] = [prices[unit["id"]]] if prices.get(unit["id"]) else []
        option["pricingFrom"] = option["units"][0]["pricingFrom"]
    if content:
        description = item.package.description if item.package is not None else item.service.description
        extras = content_extras or {}
        product.update(
            {
                "title": item.title,
                "shortDescription": None,
                "description": description or None,
                "features": extras.get("features", []),
                "faqs": [],
                "media": extras.get("media", []),
                "locations": _locations(item),
                "categoryLabels": [],
                "durationMinutesFrom": (item.service.duration_minutes if item.service is not None else None),
                "durationMinutesTo": None,
                "commentary": [],
            }
        )
    return product


def products_json(*, items: dict[Bookable, Contract], capabilities: set[str]) -> list[dict]:
    """Many products (each with the partner's contract covering it) in constant queries: every
    package's components in one query, every service's departure times in another, and with
    octo/pricing the units' `pricingFrom` over the next PRICING_FROM_DAYS in a few calendars."""
    from .availability import units_pricing_from

    bookables_prefetch_components(list(items))
    extras = products_content(list(items)) if CAPABILITY_CONTENT in capabilities else {}
    prices = {}
    if CAPABILITY_PRICING in capabilities and items:
        today = timezone.localdate()
        prices = units_pricing_from(items=items, start=today, end=today + dt.timedelta(days=PRICING_FROM_DAYS - 1))
    services = [s for item in items for s in ([item.service] if item.service is not None else [])]
    times = service_start_times(services) if services else {}
    return [
        product_json(
            item=item,
            capabilities=capabilities,
            start_times=times.get(item.service.pk, []) if item.service is not None else [],
            pricing_from=prices.get(item.key),
            content_extras=extras.get(item.key),
        )
        for item in items
    ]


def _locations(item: Bookable) -> list[dict]:
    """octo/content `locations`: where each operator of the product is (a service's: its START), in
    the order of the package's components, each place once."""
    out, seen = [], set()
    for service in item.services:
        operator = service.operator
        if operator.pk in seen or operator.latitude is None or operator.longitude is None:
            continue
        seen.add(operator.pk)
        out.append(
            {
                "title": operator.name,
                "shortDescription": service.meeting_point or None,
                "types": ["START"] if item.service is not None else ["ITINERARY_ITEM"],
                "minutesTo": None,
                "minutesAt": service.duration_minutes or None,
                "place": {
                    "latitude": float(operator.latitude),
                    "longitude": float(operator.longitude),
                    "postalAddress": {
                        "streetAddress": operator.address or None,
                        "addressLocality": operator.get_municipality_display() or None,
                        "addressRegion": "Toscana",
                        "postalCode": None,
                        "addressCountry": "IT",
                        "postOfficeBoxNumber": None,
                    },
                    "identifiers": {},
                    "sameAs": [],
                },
            }
        )
    return out


def products_content(items: list[Bookable]) -> dict[str, dict]:
    """octo/content's `media` (the package's or the operator's photos, absolute URLs; the first is the
    COVER) and `features` (each certified label the product carries today, from certifications'
    selectors, as a HIGHLIGHT) of many products: a query for each kind of photo, the labels' few."""
    from certifications.selectors import labels_for_subjects
    from operators.models import OperatorPhoto
    from packages.models import PackagePhoto

    base = settings.SITE_URL.rstrip("/")
    package_ids = [i.package.pk for i in items if i.package is not None]
    operator_ids = {i.service.operator_id for i in items if i.service is not None}
    photos: dict[str, list] = {}
    for photo in PackagePhoto.objects.filter(package_id__in=package_ids).order_by("package_id", "position", "pk"):
        photos.setdefault(f"package-{photo.package_id}", []).append(photo)
    by_operator: dict[int, list] = {}
    for photo in OperatorPhoto.objects.filter(operator_id__in=operator_ids).order_by("operator_id", "position", "pk"):
        by_operator.setdefault(photo.operator_id, []).append(photo)
    labels = labels_for_subjects(subjects=[i.package or i.service for i in items])
    out = {}
    for item in items:
        pictures = photos.get(item.key) if item.package is not None else by_operator.get(item.service.operator_id)
        subject = item.package or item.service
        out[item.key] = {
            "media": [
                {
                    "src": base + photo.image.url,
                    "type": "image/jpeg" if photo.image.name.lower().endswith((".jpg", ".jpeg")) else "image/png",
                    "rel": "COVER" if n == 0 else "GALLERY",
                    "title": photo.caption or None,
                    "caption": photo.caption or None,
                    "copyright": None,
                }
                for n, photo in enumerate(pictures or [])
            ],
            "features": [
                {"shortDescription": str(label.scheme.name), "type": "HIGHLIGHT"}
                for label in labels.get(subject.pk, [])
            ],
        }
    return out
