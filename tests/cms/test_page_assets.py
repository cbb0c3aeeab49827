"""Each page loads only the styles and scripts it uses (issue #17): Oscar's stylesheet trimmed at build time
(scripts/build_css.sh, committed), no jQuery or Bootstrap script on the destination pages, Leaflet once and
deferred where a map is drawn and not at all elsewhere; Oscar's own pages keep jQuery, deferred."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def _scripts(html: str) -> list[tuple[str, bool]]:
    """(src, deferred) of every external script, in page order."""
    return [(src, " defer" in tag) for tag, src in re.findall(r'(<script src="([^"]+)"[^>]*>)', html)]


def test_a_destination_page_with_a_map_loads_leaflet_once_deferred_and_no_jquery(client, site_tree):
    html = client.get(site_tree["area"].url).content.decode()
    assert _stylesheets(html)[:2] == ["/static/css/oscar-public.css", "/static/css/site.css"]
    assert "oscar/css/styles.css" not in html
    scripts = _scripts(html)
    assert [src for src, _ in scripts] == ["/static/leaflet/leaflet.js", "/static/cms/maps.js", "/static/js/site.js"]
    assert all(deferred for _, deferred in scripts)
    assert html.count("leaflet/leaflet.css") == 1
    assert "jquery" not in html.lower() and "bootstrap" not in html and "$(function" not in html


def test_a_destination_page_without_a_map_loads_no_leaflet(client, site_tree):
    html = client.get(site_tree["article"].url).content.decode()
    assert 'class="cms-map"' not in html
    assert "leaflet" not in html and "maps.js" not in html
    assert _scripts(html) == [("/static/js/site.js", True)]


def test_two_maps_on_a_page_share_one_copy_of_leaflet():
    request = RequestFactory().get("/")
    template = Template(
        "{% load cms_tags %}{% leaflet_points points map_id='one' %}{% leaflet_points points map_id='two' %}"
    )
    points = [{"title": "Lucca", "lat": 43.84, "lng": 10.5, "url": ""}]
    html = template.render(RequestContext(request, {"points": points}))
    assert html.count('class="cms-map"') == 2
    assert html.count("leaflet/leaflet.js") == 1 and html.count("cms/maps.js") == 1


def test_the_catalogue_and_a_package_page_load_no_jquery(client, site_tree):
    with translation.override("en"):
        html = client.get(reverse("catalogue:index")).content.decode()
    assert "/static/css/oscar-public.css" in _stylesheets(html)
    assert _scripts(html) == [("/static/js/site.js", True)]
    assert "$(function" not in html and "oscar.init" not in html


def test_oscar_pages_keep_jquery_bootstrap_and_their_onbodyload_deferred(client, site_tree):
    with translation.override("en"):
        html = client.get(reverse("basket:summary")).content.decode()
    assert "/static/css/oscar-shop.css" in _stylesheets(html)
    srcs = [src for src, _ in _scripts(html)]
    assert srcs.index("/static/oscar/js/jquery/jquery.min.js") < srcs.index("/static/oscar/js/oscar/ui.js")
    assert "/static/oscar/js/bootstrap4/bootstrap.bundle.min.js" in srcs
    assert all(deferred for _, deferred in _scripts(html))
    # The inline script (with the request's nonce) waits for the deferred scripts before oscar.init().
    inline = re.search(r"<script nonce=\"[^\"]+\">(.*?)</script>", html, re.S).group(1)
    assert "DOMContentLoaded" in inline and "oscar.init()" in inline


def test_the_public_pages_render_blocking_css_stays_small():
    """Bootstrap, Oscar and Font Awesome trimmed to what the public templates use, plus the site's own."""
    sizes = {name: (STATIC / name).stat().st_size for name in ("css/oscar-public.css", "css/site.css", "cms/cms.css")}
    assert sum(sizes.values()) < 50_000, sizes  # Oscar's whole styles.css alone was 283 KB
    assert (STATIC / "css/oscar-shop.css").stat().st_size < 80_000
