"""Views outside the page tree: search, GeoJSON, robots.txt. Thin: selectors and the registry do the work."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from .forms import SearchForm
from .languages import content_locale
from .models import AreaPage
from .offers import offer_map_features, offer_search
from .selectors import poi_list_for_map


@require_GET
def search(request):
    """Search the destination pages in the visitor's language, filtered by area and theme."""
    locale = content_locale(request)
    form = SearchForm(request.GET or None, locale=locale)
    results, query, offers = [], "", []
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        area, theme = form.cleaned_data.get("area"), form.cleaned_data.get("theme")
        label = form.cleaned_data.get("label")
        found = Page.objects.live().public().filter(locale=locale).exclude(depth__lte=1).search(query)[:200]
        pages = [p.specific for p in found]  # Wagtail's search results are base Pages
        if theme:
            pages = [p for p in pages if getattr(p, "theme", "") == theme]
        if area:
            pages = [p for p in pages if area in getattr(p, "area_codes", [])]
        offers = offer_search(query=query, language=locale.language_code, area_code=area or "")
        if label:
            # Labels belong to offers (operators, services, packages), never to editorial pages; the
            # providers' cards carry exactly the labels shown today, so filter on those.
            pages = []
            offers = [card for card in offers if any(badge.slug == label for badge in card.labels)]
        results = Paginator(pages, 20).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "cms/search.html",
        {"form": form, "query": query, "results": results, "offers": offers},
    )


@require_GET
def points_geojson(request):
    """Every point of the destination as GeoJSON (RFC 7946) for the regional digital ecosystem to reuse:
    areas and points of interest here; operators and packages' start points from the offer providers."""
    locale = content_locale(request)
    features = []

    def feature(id_, title, lng, lat, url, kind, **props):
        return {
            "type": "Feature",
            "id": id_,
            "geometry": {"type": "Point", "coordinates": [lng, lat]},
            "properties": {
                "title": title,
                "url": request.build_absolute_uri(url) if url else "",
                "kind": kind,
                **props,
            },
        }

    areas = AreaPage.objects.live().public().filter(locale=locale, lat__isnull=False).defer_streamfields()
    for area in areas:
        features.append(
            feature(
                f"area:{area.area_code}",
                area.title,
                area.lng,
                area.lat,
                area.get_url(request),
                "area",
                area_code=area.area_code,
            )
        )
    for poi in poi_list_for_map(locale=locale):
        features.append(
            feature(
                f"poi:{poi.translation_key}",
                poi.title,
                poi.lng,
                poi.lat,
                poi.get_url(request),
                "point_of_interest",
                category=poi.kind,
                summary=poi.summary,
            )
        )
    for point in offer_map_features(language=locale.language_code):
        features.append(feature(point.id, point.title, point.lng, point.lat, point.url, point.kind, **point.properties))
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        *[f"Disallow: /{code}/shop/basket/" for code, _ in settings.LANGUAGES],
        *[f"Disallow: /{code}/shop/checkout/" for code, _ in settings.LANGUAGES],
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
