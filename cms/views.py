"""Views outside the page tree: search, GeoJSON, robots.txt. Thin: selectors and the registry do the work."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from marketplace.core.json_ld import Crumb
from marketplace.core.origin import public_url

from .forms import MapFilterForm, SearchForm
from .languages import content_locale
from .offers import offer_search
from .selectors import map_feature_list

PLACES_PER_PAGE = 24


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
    """The destination's points as GeoJSON (RFC 7946) for the regional digital ecosystem to reuse, and
    what the area pages' maps load (`?area=<area code>`: that area's points only; see `map_feature_list`).

    Cacheable like the pages: stored by the page cache (cms/cache.py: purged by every publish and by
    operators' changes, keyed by the labels' version and the day), and `Cache-Control: public` for browsers
    and proxies for CMS_PAGE_CACHE_SECONDS. A bad filter is a 400 with a JSON body, never the whole map.
    """
    locale = content_locale(request)
    form = MapFilterForm(request.GET, locale=locale)
    if not form.is_valid():
        return JsonResponse(
            {"error": str(_("Invalid filter.")), "errors": form.errors.get_json_data()},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    features = map_feature_list(locale=locale, request=request, area=form.cleaned_data["area"])
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    patch_cache_control(response, public=True, max_age=settings.CMS_PAGE_CACHE_SECONDS)
    response.cms_cacheable = True
    return response


@require_GET
def place_list(request):
    """Everything an area's map shows, as a paginated list: the map for visitors without JavaScript (and
    screen readers), and the "all places" link of the area page, which shows only the first few."""
    locale = content_locale(request)
    form = MapFilterForm(request.GET, locale=locale)
    if not form.is_valid() or form.cleaned_data["area"] is None:
        raise Http404(_("No such area."))
    area = form.cleaned_data["area"]
    places = Paginator(map_feature_list(locale=locale, request=request, area=area), PLACES_PER_PAGE)
    # The area's trail, then this list (the visible breadcrumbs and their BreadcrumbList).
    crumbs = [
        *area.breadcrumbs(request),
        Crumb(_("Places"), f"{reverse('cms:places')}?{urlencode({'area': area.area_code})}"),
    ]
    response = TemplateResponse(
        request,
        "cms/place_list.html",
        {"area": area, "places": places.get_page(request.GET.get("page")), "crumbs": crumbs},
    )
    response.cms_cacheable = True
    return response


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        *[f"Disallow: /{code}/shop/basket/" for code, _name in settings.LANGUAGES],
        *[f"Disallow: /{code}/shop/checkout/" for code, _name in settings.LANGUAGES],
        f"Sitemap: {public_url(reverse('sitemap'))}",  # the public origin, whatever host asked
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def legal_redirect(request, kind: str):
    """The stable address of a legal text (`legal-terms`, `legal-privacy`): a redirect to its live page in
    the visitor's language. Without any such page (a new site, an unpublished text) the visitor gets the
    company's identity and contacts rather than a 404 in the middle of a checkout."""
    from .legal import company_identity, legal_page
    from .models import LegalKind

    page = legal_page(kind, request)
    if page is not None:
        return HttpResponseRedirect(page.get_url(request))
    response = TemplateResponse(
        request,
        "cms/legal_missing.html",
        {"title": LegalKind(kind).label, "company": company_identity(request)},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
