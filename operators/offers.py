"""Operators and their services as offers of the destination site (cms/offers.py's registry).

Registered from `OperatorsConfig.ready()` only when cms is installed: cms reads operators through
this registry and never imports them (DESIGN.md), and operators keeps working without cms.

Two providers, whose keys are stored in pages and must never change:
- "service": a service of an approved operator, linking to its public page; area pages and the
  search list services, at most two per operator so one hotel's rooms do not fill an area, and on
  area pages at most two thirds of the cards, so packages keep their place.
- "operator": an operator as a whole (price from its cheapest service), for collections and the map.

Cards come in a fixed number of queries whatever the number of ids: the services or operators
with their first photo (one query), their slots and rates (`selectors.service_offers`, two) and
their labels (`certifications.selectors.labels_for_subjects`, cached, a query per subject model).
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import PIANA_DI_LUCCA, Municipality, Operator, OperatorPhoto, Service
from .selectors import operator_qs_public, service_offers, service_qs_public

CASENTINO = "casentino"
PER_OPERATOR_ON_AREA_PAGES = 2


def municipality_area_code(municipality: str) -> str:
    """The cms `AreaPage.area_code` of a municipality: itself in the Piana di Lucca, "casentino" else."""
    return municipality if municipality in PIANA_DI_LUCCA else CASENTINO


def area_municipalities(area_code: str) -> list[str]:
    """The municipalities an area page covers (none for an unknown code)."""
    if area_code == CASENTINO:
        return [m.value for m in Municipality if m not in PIANA_DI_LUCCA]
    if area_code == "piana-di-lucca":  # the same grouping as the packages' provider
        return [m.value for m in Municipality if m in PIANA_DI_LUCCA]
    return [area_code] if area_code in Municipality.values else []


AREA_GROUP_LABELS = {"piana-di-lucca": "Piana di Lucca", CASENTINO: "Casentino"}


def municipality_areas(municipality: str) -> tuple[tuple[str, str], ...]:
    """The areas a place belongs to, as the offer chooser filters them: its municipality and its group
    (the area pages' codes: "capannori" and "piana-di-lucca", "poppi" and "casentino")."""
    if municipality not in Municipality.values:
        return ()
    group = "piana-di-lucca" if municipality in PIANA_DI_LUCCA else CASENTINO
    return ((municipality, str(Municipality(municipality).label)), (group, AREA_GROUP_LABELS[group]))


def _scheme_pairs(labels) -> tuple[tuple[str, str], ...]:
    return tuple((label.slug, label.name) for label in labels if label.slug)


def offers_changed() -> None:
    """Tell the destination pages that offers changed (an operator approved or suspended, a package
    published, edited or withdrawn): cms's cached pages are dropped so a collection stops showing a
    suspended operator's services or a withdrawn package at once, not after CMS_PAGE_CACHE_SECONDS.
    Nothing to do without cms."""
    if apps.is_installed("cms"):
        from cms.cache import page_cache_clear

        page_cache_clear()


def _photo_url(name: str | None) -> str:
    return default_storage.url(name) if name else ""


def _labels(subjects) -> dict[tuple[type, int], tuple]:
    """OfferLabels of operators and services in one batch, keyed by (model, pk)."""
    from certifications.selectors import labels_for_subjects
    from cms.offers import OfferLabel

    by_model = defaultdict(list)
    for subject in subjects:
        by_model[type(subject)].append(subject)
    result = {}
    for model, items in by_model.items():
        for pk, labels in labels_for_subjects(subjects=items).items():
            result[(model, pk)] = OfferLabel.many_from(labels)
    return result


def _merge_labels(*groups) -> tuple:
    seen, merged = set(), []
    for group in groups:
        for label in group:
            if label.name not in seen:
                seen.add(label.name)
                merged.append(label)
    return tuple(merged)


def service_url(service: Service) -> str:
    return reverse("operators-public:service", kwargs={"slug": service.operator.slug, "pk": service.pk})


def operator_url(operator: Operator) -> str:
    return reverse("operators-public:operator", kwargs={"slug": operator.slug})


def service_cards(services: list[Service], language: str) -> dict:
    """Cards of services fetched with `service_qs_public()`'s annotations (operator, first_photo)."""
    from cms.offers import OfferCard

    with translation.override(language):
        sellable = [s for s in services if s.is_active and s.operator.status == Operator.Status.APPROVED]
        offers = service_offers(services=sellable)
        labels = _labels([*sellable, *{s.operator_id: s.operator for s in sellable}.values()])
        cards = {}
        for service in services:
            offer = offers.get(service.pk)
            operator = service.operator
            cards[service.pk] = OfferCard(
                key=f"service:{service.pk}",
                title=service.name,
                url=service_url(service),
                image_url=_photo_url(getattr(service, "first_photo", None)),
                image_name=getattr(service, "first_photo", None) or "",
                price_from=offer.price_from if offer else None,
                labels=_merge_labels(labels.get((Service, service.pk), ()), labels.get((Operator, operator.pk), ())),
                available=service.pk in offers,
                summary=Truncator(service.description).chars(110),
                kind=f"{operator.name} · {operator.get_municipality_display()}",
            )
        return cards


def _service_qs_for_cards(ids) -> QuerySet[Service]:
    """Every asked service whatever its state (unavailable ones must come back as such)."""
    first_photo = OperatorPhoto.objects.filter(operator=OuterRef("operator_id")).order_by("position", "pk")
    return (
        Service.objects.filter(pk__in=list(ids))
        .select_related("operator")
        .annotate(first_photo=Subquery(first_photo.values("image")[:1]))
    )


def _search_q(query: str) -> Q:
    """Every word in the service's name or description (any language) or its operator's name."""
    condition = Q()
    for word in query.split()[:6]:
        word_q = Q(operator__name__icontains=word)
        for code, _name in settings.LANGUAGES:
            word_q |= Q(**{f"name_{code}__icontains": word}) | Q(**{f"description_{code}__icontains": word})
        condition &= word_q
    return condition


def _round_robin(services: list[Service], per_operator: int, limit: int) -> list[Service]:
    """First service of each operator, then the second…: an area page shows many operators."""
    by_operator: dict[int, list[Service]] = defaultdict(list)
    for service in services:
        if len(by_operator[service.operator_id]) < per_operator:
            by_operator[service.operator_id].append(service)
    picked = []
    for rank in range(per_operator):
        picked += [items[rank] for items in by_operator.values() if len(items) > rank]
    return picked[:limit]


class ServiceOfferProvider:
    key = "service"
    label = _("Local service")

    def cards(self, *, ids, language):
        return service_cards(list(_service_qs_for_cards(ids)), language)

    def choices(self):
        return [(s.pk, f"{s.name} ({s.operator.name})") for s in service_qs_public()]

    def chooser_rows(self, *, language):
        """The public services with their operator, kind, areas and labels (their own and their
        operator's); sellable when they have dates and prices ahead. A fixed number of queries."""
        from cms.offers import OfferChoice

        with translation.override(language):
            services = list(service_qs_public())
            offers = service_offers(services=services)
            labels = _labels([*services, *{s.operator_id: s.operator for s in services}.values()])
            return [
                OfferChoice(
                    key=f"service:{service.pk}",
                    title=service.name,
                    provider_label=str(self.label),
                    detail=f"{service.operator.name} · {service.operator.get_municipality_display()}",
                    areas=municipality_areas(service.operator.municipality),
                    kinds=((service.kind, str(service.get_kind_display())),),
                    labels=_scheme_pairs(
                        _merge_labels(
                            labels.get((Service, service.pk), ()), labels.get((Operator, service.operator_id), ())
                        )
                    ),
                    sellable=service.pk in offers,
                )
                for service in services
            ]

    def cards_for_area(self, *, area_code, language, limit=12):
        municipalities = area_municipalities(area_code)
        if not municipalities:
            return []
        services = service_qs_public().filter(operator__municipality__in=municipalities)[: limit * 10]
        # The registry cuts the providers' cards at `limit` in registration order: leave a third to the
        # packages (registered after operators), which would otherwise never reach a busy area's page.
        picked = _round_robin(list(services), PER_OPERATOR_ON_AREA_PAGES, limit - limit // 3)
        cards = service_cards(picked, language)
        return [cards[s.pk] for s in picked]

    def map_features(self, *, language, area_code=""):
        return []  # the operator provider places the operators; services share their points

    def search(self, *, query, language, area_code="", limit=12):
        if not query.strip():
            return []
        with translation.override(language):
            services = service_qs_public().filter(_search_q(query))
            if area_code:
                services = services.filter(operator__municipality__in=area_municipalities(area_code))
            picked = list(services[:limit])
            cards = service_cards(picked, language)
            return [cards[s.pk] for s in picked]


class OperatorOfferProvider:
    key = "operator"
    label = _("Local operator")

    def cards(self, *, ids, language):
        from cms.offers import OfferCard

        first_photo = OperatorPhoto.objects.filter(operator=OuterRef("pk")).order_by("position", "pk")
        operators = list(
            Operator.objects.filter(pk__in=list(ids)).annotate(first_photo=Subquery(first_photo.values("image")[:1]))
        )
        approved = [o for o in operators if o.status == Operator.Status.APPROVED]
        services = list(service_qs_public().filter(operator__in=approved))
        with translation.override(language):
            offers = service_offers(services=services)
            labels = _labels(approved)
            cheapest: dict[int, object] = {}
            for service in services:
                price = offers[service.pk].price_from
                if price is not None and (
                    cheapest.get(service.operator_id) is None or price < cheapest[service.operator_id]
                ):
                    cheapest[service.operator_id] = price
            return {
                operator.pk: OfferCard(
                    key=f"operator:{operator.pk}",
                    title=operator.name,
                    url=operator_url(operator),
                    image_url=_photo_url(operator.first_photo),
                    image_name=operator.first_photo or "",
                    price_from=cheapest.get(operator.pk),
                    labels=labels.get((Operator, operator.pk), ()),
                    available=operator.status == Operator.Status.APPROVED,
                    summary=Truncator(operator.description).chars(120),
                    kind=f"{operator.get_kind_display()} · {operator.get_municipality_display()}",
                )
                for operator in operators
            }

    def choices(self):
        return list(operator_qs_public().values_list("pk", "name"))

    def chooser_rows(self, *, language):
        """The approved operators with their kind, areas and labels, in a fixed number of queries."""
        from cms.offers import OfferChoice

        with translation.override(language):
            operators = list(operator_qs_public().order_by("name", "pk"))
            labels = _labels(operators)
            return [
                OfferChoice(
                    key=f"operator:{operator.pk}",
                    title=operator.name,
                    provider_label=str(self.label),
                    detail=f"{operator.get_kind_display()} · {operator.get_municipality_display()}",
                    areas=municipality_areas(operator.municipality),
                    kinds=((operator.kind, str(operator.get_kind_display())),),
                    labels=_scheme_pairs(labels.get((Operator, operator.pk), ())),
                )
                for operator in operators
            ]

    def cards_for_area(self, *, area_code, language, limit=12):
        return []  # the service provider fills area pages with the operators' services

    def map_features(self, *, language, area_code=""):
        """Approved operators with coordinates, in one query; with `area_code`, those whose municipality
        belongs to that area (`area_municipalities`: none for an unknown code)."""
        from cms.offers import MapFeature

        operators = operator_qs_public().filter(latitude__isnull=False, longitude__isnull=False)
        if area_code:
            operators = operators.filter(municipality__in=area_municipalities(area_code))
        with translation.override(language):
            return [
                MapFeature(
                    id=f"operator:{operator.pk}",
                    title=operator.name,
                    lat=float(operator.latitude),
                    lng=float(operator.longitude),
                    url=operator_url(operator),
                    kind="operator",
                    kind_label=f"{operator.get_kind_display()} · {operator.get_municipality_display()}",
                    properties={
                        "operator_kind": operator.kind,
                        "municipality": operator.municipality,
                        "area_code": municipality_area_code(operator.municipality),
                    },
                )
                for operator in operators.order_by("name", "pk")
            ]

    def search(self, *, query, language, area_code="", limit=12):
        return []  # services carry their operator's name: searching it finds them
