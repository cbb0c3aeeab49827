"""How packages appear in the destination pages: the cms's offer provider for packages.

Registered from PackagesConfig.ready() (cms.offers explains the contract: fixed query counts, texts in
the asked language, unavailable offers flagged). Cards carry the package's "from" price (kept by
package_sync_product) and link to its shop page; a package's start point on the maps is its first
component's operator.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.db.models import OuterRef, Q, Subquery, prefetch_related_objects
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from certifications.selectors import labels_for_subjects
from cms.offers import MapFeature, OfferCard, OfferChoice, OfferLabel, OfferProvider
from operators.models import PIANA_DI_LUCCA, Municipality
from operators.offers import municipality_areas

from .models import Package, PackageComponent, PackagePhoto, Theme
from .selectors import package_qs_catalogue
from .services import package_free_cancellation_days

CASENTINO = {code for code in Municipality.values if code not in PIANA_DI_LUCCA}
AREA_GROUPS = {"casentino": CASENTINO, "piana-di-lucca": set(PIANA_DI_LUCCA)}


def _areas(area_code: str) -> set[str]:
    return {str(code) for code in AREA_GROUPS.get(area_code, {area_code})}


class PackageOfferProvider(OfferProvider):
    key = "package"
    label = _("Package")

    def _queryset(self):
        first_photo = PackagePhoto.objects.filter(package=OuterRef("pk")).order_by("position", "pk").values("image")
        # Single services sold alone (automatic one-component packages) are offered by operators' own
        # "service" provider already: listing them here too would show every service twice.
        return (
            Package.objects.filter(single_service__isnull=True)
            .select_related("product")
            .annotate(first_photo=Subquery(first_photo[:1]))
        )

    def _with_cards(self, packages) -> list[tuple[Package, OfferCard]]:
        packages = list(packages)
        return list(zip(packages, self._cards(packages), strict=True))

    def _cards(self, packages) -> list[OfferCard]:
        """Cards with their labels and cancellation tiers, each read in one batch for all of them."""
        packages = list(packages)
        labels = labels_for_subjects(subjects=packages)
        prefetch_related_objects(packages, "cancellation_tiers")
        return [self._card(package, labels.get(package.pk, [])) for package in packages]

    def _card(self, package: Package, labels=()) -> OfferCard:
        url = package.product.get_absolute_url() if package.product_id else ""
        image_url = ""
        if package.first_photo:
            image_url = PackagePhoto(image=package.first_photo).image.url
        return OfferCard(
            key=f"{self.key}:{package.pk}",
            title=package.title,
            url=url,
            image_url=image_url,
            image_name=package.first_photo or "",
            price_from=package.price_from,
            available=package.is_published and package.price_from is not None and bool(url),
            summary=package.summary,
            kind=str(self.label),
            labels=OfferLabel.many_from(labels),
            free_cancellation_days=package_free_cancellation_days(tiers=package.cancellation_tiers.all()),
        )

    def cards(self, *, ids: Sequence[int], language: str) -> dict[int, OfferCard]:
        with translation.override(language):
            return {
                card_package.pk: card
                for card_package, card in self._with_cards(self._queryset().filter(pk__in=list(ids)))
            }

    def choices(self) -> list[tuple[int, str]]:
        packages = Package.objects.exclude(status=Package.Status.WITHDRAWN).filter(single_service__isnull=True)
        return [(p.pk, p.title) for p in packages.order_by("title")]

    def chooser_rows(self, *, language: str) -> list[OfferChoice]:
        """Packages not withdrawn, with their area, themes (the chooser's kinds) and labels; a draft or a
        package without a price is listed as not for sale. A fixed number of queries."""
        with translation.override(language):
            packages = list(self._queryset().exclude(status=Package.Status.WITHDRAWN).order_by("title", "pk"))
            labels = labels_for_subjects(subjects=packages)
            themes = dict(Theme.choices)
            return [
                OfferChoice(
                    key=f"{self.key}:{package.pk}",
                    title=package.title,
                    provider_label=str(self.label),
                    detail=package.get_area_display(),
                    areas=municipality_areas(package.area),
                    kinds=tuple(
                        (code, str(themes[code]))
                        for code in (raw.strip() for raw in package.themes.split(","))
                        if code in themes
                    ),
                    labels=tuple((label.scheme.slug, str(label.scheme.name)) for label in labels.get(package.pk, [])),
                    sellable=package.is_published and package.price_from is not None and bool(package.product_id),
                )
                for package in packages
            ]

    def cards_for_area(self, *, area_code: str, language: str, limit: int = 12) -> list[OfferCard]:
        with translation.override(language):
            rows = self._queryset().filter(
                status=Package.Status.PUBLISHED, price_from__isnull=False, area__in=_areas(area_code)
            )
            return self._cards(rows.order_by("price_from", "pk")[:limit])

    def search(self, *, query: str, language: str, area_code: str = "", limit: int = 12) -> list[OfferCard]:
        query = (query or "").strip()
        if not query:
            return []
        with translation.override(language):
            rows = self._queryset().filter(
                Q(title__icontains=query) | Q(summary__icontains=query) | Q(description__icontains=query),
                status=Package.Status.PUBLISHED,
            )
            if area_code:
                rows = rows.filter(area__in=_areas(area_code))
            return self._cards(rows.order_by("title")[:limit])

    def map_features(self, *, language: str, area_code: str = "") -> list[MapFeature]:
        """Published packages at their start point (the first component's operator), in one query; with
        `area_code`, the packages starting in that area (`Package.area` is the starting municipality)."""
        first = PackageComponent.objects.filter(package=OuterRef("pk")).order_by("day", "position", "pk")
        rows = (
            self._queryset()
            .filter(status=Package.Status.PUBLISHED)
            .annotate(
                lat=Subquery(first.values("service__operator__latitude")[:1]),
                lng=Subquery(first.values("service__operator__longitude")[:1]),
            )
        )
        if area_code:
            rows = rows.filter(area__in=_areas(area_code))
        with translation.override(language):
            return [
                MapFeature(
                    id=f"package:{p.pk}",
                    title=p.title,
                    lat=float(p.lat),
                    lng=float(p.lng),
                    url=p.product.get_absolute_url() if p.product_id else "",
                    kind=self.key,
                    kind_label=str(self.label),
                )  # fmt: skip
                for p in rows.order_by("title", "pk")
                if p.lat is not None and p.lng is not None
            ]

    def area_listing_link(self, *, area_code: str) -> tuple[str, str] | None:
        """The shop's catalogue filtered by the area (it takes the same codes and groups), when the area has
        packages there: the catalogue offers only areas with packages and ignores any other (one query)."""
        if not package_qs_catalogue(area=area_code).exists():
            return None
        return _(
            "All packages of this area in the catalogue"
        ), f"{reverse('package-catalogue')}?{urlencode({'area': area_code})}"
