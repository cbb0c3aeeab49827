from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

from cms.fragments import FRAGMENTS, HEADER, fragment_render
from marketplace.core.json_ld import json_ld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def page_json_ld(context, page):
    """The page's schema.org entity (PageMetadataMixin.json_ld) as a JSON-LD script."""
    return json_ld_script(page.json_ld(context.get("request")))


@register.simple_tag(takes_context=True)
def faq_json_ld(context, page):
    """A FAQPage entity when the body has FAQ blocks (Google shows them as rich results)."""
    body = getattr(page, "body", None) or []
    if isinstance(body, str):  # a rich-text body (LegalPage) holds no blocks
        body = []
    questions = [
        {
            "@type": "Question",
            "name": item["question"],
            "acceptedAnswer": {"@type": "Answer", "text": str(item["answer"])},
        }
        for block in body
        if block.block_type == "faq"
        for item in block.value["items"]
    ]
    if not questions:
        return ""
    return json_ld_script({"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions})


@register.simple_tag(takes_context=True)
def map_assets(context):
    """Leaflet's stylesheet and scripts, deferred, where a page draws its first map (cms/includes/map.html):
    pages without a map load none of them. Once per request: a second map on the page reuses them."""
    request = getattr(context, "request", None) or context.get("request")
    if request is not None:
        if getattr(request, "_cms_map_assets", False):
            return ""
        request._cms_map_assets = True
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer></script><script src="{}" defer></script>',
        static("leaflet/leaflet.css"),
        static("leaflet/leaflet.js"),
        static("cms/maps.js"),
    )


@register.inclusion_tag("cms/includes/map.html")
def leaflet_points(points, map_id="map", zoom=None, height=420, fit=True, line=False):
    """A Leaflet map of points [{title, lat, lng, url}]; tiles from settings.MAP_TILE_URL (none if empty)."""
    return {
        "map_id": map_id,
        "data_id": f"{map_id}-data",
        "points": [p for p in points if p.get("lat") is not None and p.get("lng") is not None],
        "zoom": zoom or 12,
        "height": height,
        "fit": fit,
        "line": line,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": settings.MAP_DEFAULT_CENTER,
    }


@register.inclusion_tag("cms/includes/map.html")
def leaflet_geojson(url, map_id="map", zoom=None, height=420, lat=None, lng=None):
    """A Leaflet map whose script loads its points from a GeoJSON URL (`cms:points-geojson?area=…`), so
    the page does not grow with the number of points; centred on `lat`, `lng` until they arrive."""
    context = leaflet_points([], map_id=map_id, zoom=zoom, height=height)
    context["geojson_url"] = url
    if lat is not None and lng is not None:
        context["center"] = (lat, lng)
    return context


@register.filter
def as_points(pages):
    """Pages with lat/lng -> map points."""
    return [{"title": p.title, "lat": p.lat, "lng": p.lng, "url": p.url} for p in pages if getattr(p, "lat", None)]


@register.filter
def as_points_one(page):
    return as_points([page])


class PageFragmentNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        return fragment_render(context.get("request"), self.name, lambda: self.nodelist.render(context))


@register.tag
def pagefragment(parser, token):
    """`{% pagefragment "content" %}…{% endpagefragment %}`: a part of a destination page that is the same
    for every visitor, cached by cms/fragments.py. Only the names in FRAGMENTS exist: when all of them are
    cached the page's context is not built, so everything that needs it must sit inside one of them
    (HEADER, the site header, needs none of it)."""
    bits = token.split_contents()
    name = bits[1].strip("\"'") if len(bits) == 2 else None
    if name not in (*FRAGMENTS, HEADER):
        raise template.TemplateSyntaxError(f"{bits[0]} takes one of {', '.join((*FRAGMENTS, HEADER))}")
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    return PageFragmentNode(name, nodelist)


@register.simple_tag(takes_context=True)
def company_identity(context):
    """The site's company identity (cms/legal.py), for the footer and the legal pages."""
    from cms.legal import company_identity as identity

    return identity(context.get("request"))
