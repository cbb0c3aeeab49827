"""The site's own address, everywhere it is written down: settings.SITE_URL.

Wagtail builds a page's full URL from its Site row (hostname, port) and Oscar's and Django's emails
from django.contrib.sites' Site (domain); both start life with placeholders ("localhost", port 80 and
"example.com"). The pages' canonical, hreflang, Open Graph and sitemap URLs no longer depend on the row
(PageMetadataMixin.get_url_parts puts SITE_URL in its place on a one-site install), but the admin's
"view live" and site settings, and Django's Site for emails, still read them: `sites_sync` makes them
agree with SITE_URL. The demo loader always does, and after every migrate a row that still holds its
placeholder is set (a Site an editor has changed since is left alone).
"""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from wagtail.models import Site

PLACEHOLDERS = {("localhost", 80)}  # Wagtail's migration's default Site
DJANGO_PLACEHOLDERS = {"example.com"}  # django.contrib.sites' default


def site_address(url: str | None = None) -> tuple[str, int, str]:
    """(hostname, port, domain as host[:port]) of SITE_URL: "http://127.0.0.1:8123" → ("127.0.0.1", 8123, "127.0.0.1:8123")."""
    parts = urlsplit(url or settings.SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port, parts.netloc or "localhost"


def sites_sync(*, only_placeholders: bool = False) -> Site | None:
    """Give the default Wagtail Site and Django's SITE_ID Site the host and port of SITE_URL.

    `only_placeholders`: leave each row alone unless it still holds its placeholder (after migrate)."""
    hostname, port, domain = site_address()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        if not only_placeholders or (site.hostname, site.port) in PLACEHOLDERS:
            site.hostname, site.port = hostname, port
            site.save(update_fields=["hostname", "port"])
    django_site = DjangoSite.objects.filter(pk=settings.SITE_ID).first()
    if django_site is None:
        DjangoSite.objects.create(pk=settings.SITE_ID, domain=domain, name=settings.DMC_NAME)
    elif django_site.domain != domain and (not only_placeholders or django_site.domain in DJANGO_PLACEHOLDERS):
        django_site.domain, django_site.name = domain, settings.DMC_NAME
        django_site.save(update_fields=["domain", "name"])
    DjangoSite.objects.clear_cache()
    return site


def sites_sync_after_migrate(sender, app_config=None, **kwargs):
    """On the last app's turn: Wagtail's and django.contrib.sites' default rows exist by then."""
    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        sites_sync(only_placeholders=True)
