"""Public, read-only pages of approved operators and their active services (/<lang>/local/…).

Thin views: the selectors say what the public may see (approved operators, active services: anything
else is a 404), compute next dates and prices for all services at once, and certifications says which
labels are valid today; the "Book" button leads to the shop page the booking-link registry gives
(packages sells a service alone as an automatic one-component package). The query count does not depend on the number of services or photos."""

from django.apps import apps
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from certifications.selectors import labels_for_subjects, subject_labels
from marketplace.core.json_ld import json_ld_text

from .booking_links import book_links
from .schema_org import operator_json_ld, service_json_ld
from .selectors import operator_qs_public, service_offers, service_qs_public


def _map(operator, map_id: str) -> dict | None:
    """Context for cms's Leaflet include (the same map as area pages); none without cms or coordinates."""
    if not apps.is_installed("cms") or operator.latitude is None or operator.longitude is None:
        return None
    return {
        "map_id": map_id,
        "data_id": f"{map_id}-data",
        "points": [
            {"title": operator.name, "lat": float(operator.latitude), "lng": float(operator.longitude), "url": ""}
        ],  # fmt: skip
        "zoom": 14,
        "height": 280,
        "fit": False,
        "line": False,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": (float(operator.latitude), float(operator.longitude)),
    }


class OperatorPublicDetailView(TemplateView):
    template_name = "operators/public/operator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        operator = get_object_or_404(operator_qs_public(), slug=kwargs["slug"])
        photos = list(operator.photos.all())
        services = list(service_qs_public().filter(operator=operator))
        offers = service_offers(services=services)
        labels = labels_for_subjects(subjects=services)
        links = book_links(service_ids=[s.pk for s in services])
        context.update(
            operator=operator,
            photos=photos,
            operator_labels=subject_labels(subject=operator),
            rows=[
                {"service": s, "offer": offers.get(s.pk), "labels": labels.get(s.pk, []), "book_url": links.get(s.pk)}
                for s in services
            ],
            map=_map(operator, "operator-map"),
            cms_installed=apps.is_installed("cms"),
            json_ld=json_ld_text(operator_json_ld(operator=operator, services=services, offers=offers, photos=photos)),
        )
        return context


class ServicePublicDetailView(TemplateView):
    template_name = "operators/public/service_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = get_object_or_404(service_qs_public(), operator__slug=kwargs["slug"], pk=kwargs["pk"])
        operator = service.operator
        offer = service_offers(services=[service], dates_shown=10).get(service.pk)
        photos = list(operator.photos.all())
        context.update(
            service=service,
            operator=operator,
            offer=offer,
            book_url=book_links(service_ids=[service.pk]).get(service.pk),  # its shop page, when sold alone
            photos=photos,
            service_labels=subject_labels(subject=service),
            operator_labels=subject_labels(subject=operator),
            other_services=list(service_qs_public().filter(operator=operator).exclude(pk=service.pk)),
            map=_map(operator, "service-map"),
            cms_installed=apps.is_installed("cms"),
            json_ld=json_ld_text(service_json_ld(service=service, offer=offer, photos=photos)),
        )
        return context
