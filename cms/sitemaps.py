from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap lists only the site root's tree, i.e. one language: this lists every translation
    of the home page's tree, each URL with its hreflang alternates (PageMetadataMixin.get_sitemap_urls)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        homes = root.get_translations(inclusive=True)
        in_any_tree = Q()
        for home in homes:
            in_any_tree |= Q(path__startswith=home.path)
        return Page.objects.filter(in_any_tree).live().public().order_by("path").defer_streamfields().specific()
