"""schema.org JSON-LD of the public operator and service pages (search engines, the regional ecosystem).

Labels come from `certifications.selectors.subject_schema_org` (only verified, unexpired awards), so
the structured data never claims a certification the page does not show."""

from __future__ import annotations

from marketplace.core.dates import local_today

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
    data = {"@type": "Offer", "name": service.name, "url": url, "priceCurrency": "EUR"}
    if offer and offer.price_from is not None:
        data["price"] = str(offer.price_from)
        data["availability"] = "https://schema.org/InStock"
        if offer.next_dates:
            data["validFrom"] = offer.next_dates[0].isoformat()
    else:
        data["availability"] = "https://schema.org/OutOfStock"
    return data


def operator_json_ld(*, operator: Operator, services, offers: dict, photos, request) -> dict:
    from certifications.selectors import subject_schema_org

    from .offers import operator_url, service_url

    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(operator.kind, "LocalBusiness"),
        "@id": request.build_absolute_uri(operator_url(operator)),
        "name": operator.name,
        "url": request.build_absolute_uri(operator_url(operator)),
        "description": operator.description,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": operator.address,
            "addressLocality": operator.get_municipality_display(),
            "addressRegion": "Toscana",
            "addressCountry": "IT",
        },
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
        data["image"] = [request.build_absolute_uri(photo.image.url) for photo in photos]
    if services:
        data["makesOffer"] = [
            _offer(service, offers.get(service.pk), request.build_absolute_uri(service_url(service)))
            for service in services
        ]
    data.update(subject_schema_org(subject=operator, request=request))
    return data


def service_json_ld(*, service: Service, offer: ServiceOffer | None, request) -> dict:
    from certifications.selectors import subject_schema_org

    from .offers import operator_url, service_url

    operator = service.operator
    url = request.build_absolute_uri(service_url(service))
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": url,
        "name": service.name,
        "description": service.description,
        "url": url,
        "category": str(service.get_kind_display()),
        "brand": {
            "@type": SCHEMA_TYPES.get(operator.kind, "LocalBusiness"),
            "name": operator.name,
            "url": request.build_absolute_uri(operator_url(operator)),
        },
        "offers": _offer(service, offer, url),
    }
    data.update(subject_schema_org(subject=service, request=request))
    data["dateModified"] = local_today().isoformat()  # Rome's day, not UTC's
    return data
