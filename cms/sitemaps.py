"""/sitemap.xml: the destination pages, the packages on sale, and the operators' and services' public pages,
each URL in every language the site serves with its hreflang alternates (xhtml:link) and x-default, all
on the public origin (settings.SITE_URL, never the request's host).

What is listed is what the public views show, by their own selectors: approved operators and active
services of approved operators (operators/public_views.py), packages the catalogue lists (published,
with a product and a price: packages.selectors.package_qs_catalogue), live and public pages.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Q
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from marketplace.core.languages import site_language_codes
from marketplace.core.origin import public_origin


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap lists only the site root's tree, i.e. one language: this lists every translation
    of the home page's tree, each URL with its hreflang alternates and x-default
    (PageMetadataMixin.get_sitemap_urls, on the public origin: PageMetadataMixin.get_url_parts)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        homes = root.get_translations(inclusive=True)
        in_any_tree = Q()
        for home in homes:
            in_any_tree |= Q(path__startswith=home.path)
        return Page.objects.filter(in_any_tree).live().public().order_by("path").defer_streamfields().specific()


class PublicSitemap(DjangoSitemap):
    """Django's i18n sitemap (one URL per served language with its alternates, the same xhtml:link format
    as the pages'), with the public origin in place of the request's host, and x-default the Italian URL
    as on the pages (Django's x_default drops the language prefix, which our default language keeps)."""

    i18n = True
    alternates = True

    def _languages(self):
        return site_language_codes()  # read per request: a test may switch languages

    def get_protocol(self, protocol=None):
        return urlsplit(public_origin()).scheme or "https"

    def get_domain(self, site=None):
        origin = urlsplit(public_origin())
        return origin.netloc + origin.path  # Django writes f"{protocol}://{domain}{path}"

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            default = next((a["location"] for a in url["alternates"] if a["lang_code"] == settings.LANGUAGE_CODE), None)
            if default:
                url["alternates"].append({"lang_code": "x-default", "location": default})
        return urls


class PackageSitemap(PublicSitemap):
    """Packages and services sold alone, as the catalogue lists them (its page: Oscar's product page)."""

    def items(self):
        from packages.selectors import package_qs_catalogue

        return package_qs_catalogue(kind="all").order_by("pk")

    def location(self, item):
        return item.get_absolute_url()


class OperatorSitemap(PublicSitemap):
    """Approved operators' public pages (/<lang>/local/<slug>/)."""

    def items(self):
        from operators.selectors import operator_qs_public

        return operator_qs_public().order_by("pk").only("pk", "slug")

    def location(self, item):
        return reverse("operators-public:operator", kwargs={"slug": item.slug})


class ServiceSitemap(PublicSitemap):
    """Services' public pages (/<lang>/local/<operator>/<pk>/): active services of approved operators."""

    def items(self):
        from operators.selectors import service_qs_public

        return service_qs_public().order_by("pk")

    def location(self, item):
        return reverse("operators-public:service", kwargs={"slug": item.operator.slug, "pk": item.pk})


class StaticViewSitemap(PublicSitemap):
    """Pages of views outside the page tree that search engines should find (by URL name): the open data."""

    def items(self):
        return ["opendata:index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": MultilingualSitemap,
    "packages": PackageSitemap,
    "operators": OperatorSitemap,
    "services": ServiceSitemap,
    "static": StaticViewSitemap,
}
