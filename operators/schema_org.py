"""schema.org JSON-LD of the public operator and service pages (search engines, the regional ecosystem).

Labels come from `certifications.selectors.subject_schema_org` (only verified, unexpired awards), so
the structured data never claims a certification the page does not show."""

from __future__ import annotations

from marketplace.core.dates import local_today
from marketplace.core.json_ld import IN_STOCK, OUT_OF_STOCK, postal_address
from marketplace.core.origin import public_url

from .models import Operator, Service
from .selectors import ServiceOffer

SCHEMA_TYPES = {
    Operator.Kind.HOTEL: "LodgingBusiness",
    Operator.Kind.BNB: "LodgingBusiness",
    Operator.Kind.AGRITURISMO: "LodgingBusiness",
    Operator.Kind.MUSEUM: "TouristAttraction",
    Operator.Kind.RESTAURANT: "Restaurant",
}


def _offer(service: Service, offer: ServiceOffer | None, url: str) -> dict:
    """The service's "from" price as an Offer: the price the page shows (one adult or one unit on the first
    bookable day, VAT included), from that day, valid until the end of the season whose rate it is."""
    data = {"@type": "Offer", "name": service.name, "url": url, "priceCurrency": "EUR"}
    if offer and offer.price_from is not None:
        data["price"] = f"{offer.price_from:.2f}"
        data["availability"] = IN_STOCK
        data["valueAddedTaxIncluded"] = True
        if offer.next_dates:
            data["validFrom"] = offer.next_dates[0].isoformat()
        if offer.price_valid_until:
            data["priceValidUntil"] = offer.price_valid_until.isoformat()
    else:
        data["availability"] = OUT_OF_STOCK
    return data


def operator_json_ld(*, operator: Operator, services, offers: dict, photos) -> dict:
    from certifications.selectors import subject_schema_org

    from .offers import operator_url, service_url

    url = public_url(operator_url(operator))
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(operator.kind, "LocalBusiness"),
        "@id": url,
        "name": operator.name,
        "url": url,
        "description": operator.description,
        "address": postal_address(street=operator.address, locality=operator.get_municipality_display()),
        "email": operator.email,
    }
    if operator.phone:
        data["telephone"] = operator.phone
    if operator.website:
        data["sameAs"] = [operator.website]
    if operator.latitude is not None and operator.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(operator.latitude),
                       "longitude": float(operator.longitude)}  # fmt: skip
    if photos:
        data["image"] = [public_url(photo.image.url) for photo in photos]
    if services:
        data["makesOffer"] = [
            _offer(service, offers.get(service.pk), public_url(service_url(service))) for service in services
        ]
    data.update(subject_schema_org(subject=operator))
    return data


def service_json_ld(*, service: Service, offer: ServiceOffer | None, photos=()) -> dict:
    """The service page's Product: the operator as its brand, the operator's photos (the page's) as its
    images, the "from" price the page shows as its Offer."""
    from certifications.selectors import subject_schema_org

    from .offers import operator_url, service_url

    operator = service.operator
    url = public_url(service_url(service))
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": url,
        "name": service.name,
        "description": service.description or operator.description,  # what the page's description says
        "url": url,
        "category": str(service.get_kind_display()),
        "brand": {
            "@type": "Brand",
            "name": operator.name,
            "url": public_url(operator_url(operator)),
        },
        "offers": _offer(service, offer, url),
    }
    if photos:
        data["image"] = [public_url(photo.image.url) for photo in photos]
    data.update(subject_schema_org(subject=service))
    data["dateModified"] = local_today().isoformat()  # Rome's day, not UTC's
    return data
