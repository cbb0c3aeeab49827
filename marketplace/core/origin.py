"""The site's one public origin (settings.SITE_URL): every absolute link we write down starts here.

Canonical links, hreflang alternates, Open Graph, the sitemap, JSON-LD, feeds, emails and vouchers are read
by search engines, calendar apps and people away from the request that made them, so they are never built
from the request's Host (behind a proxy or on a test server that says `localhost` or an internal port).
"""

from django.conf import settings


def public_origin() -> str:
    """SITE_URL without its trailing slash: "https://www.example.com"."""
    return settings.SITE_URL.rstrip("/")


def public_url(url: str) -> str:
    """An absolute URL on the public origin for a path ("/en/…"); an absolute URL is returned unchanged."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return public_origin() + "/" + url.lstrip("/")
