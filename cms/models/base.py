"""What every destination page shares: listing image and summary, theme, SEO/social metadata, sitemap
alternates in every language, schema.org JSON-LD, and the flag that lets the page cache keep its response."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from cms.languages import fallback_url_language, languages_without_pages, page_alternates
from marketplace.core.json_ld import Crumb
from marketplace.core.origin import public_origin, public_url


class Theme(models.TextChoices):
    HERITAGE = "heritage", _("Art and heritage")
    NATURE = "nature", _("Nature and outdoors")
    FOOD_WINE = "food-wine", _("Food and wine")
    SPIRITUALITY = "spirituality", _("Spirituality and pilgrim routes")
    VILLAS = "villas", _("Villas and gardens")
    CRAFTS = "crafts", _("Crafts and traditions")
    FAMILY = "family", _("Families")


class PageMetadataMixin:
    """Methods for every page, HomePage included (which predates DestinationPage's fields)."""

    def get_summary(self) -> str:
        return self.search_description or getattr(self, "summary", "") or ""

    def get_social_image(self):
        return getattr(self, "image", None)

    def get_url_parts(self, request=None):
        """Wagtail's URL, except that
        - on a site with one Wagtail Site, the root URL is the public origin (settings.SITE_URL), whatever
          the Site row's hostname and port say (the placeholder http://localhost/ until `sites_sync`, or
          a stale port): canonical, hreflang, Open Graph and sitemap URLs are all page.get_full_url. With
          several Sites each keeps its own hostname, its editors' business.
        - a default-language page served to a language with no pages of its own (cms/languages.py) is
          linked under the visitor's prefix, so /fr/ visitors stay in French."""
        parts = super().get_url_parts(request)
        if parts is None or parts[2] is None:
            return parts
        site_id, root_url, page_path = parts
        if len({root.site_id for root in self._get_site_root_paths(request)}) == 1:
            root_url = public_origin()
        language = fallback_url_language(self, request)
        if language is None:
            return site_id, root_url, page_path
        own_prefix = f"/{settings.LANGUAGE_CODE}/"  # only default-language pages are served in others' place
        if page_path.startswith(own_prefix):
            page_path = f"/{language}/{page_path[len(own_prefix) :]}"
        return site_id, root_url, page_path

    def breadcrumb_ancestors(self):
        """Ancestors as deferred specific pages (no extra query), whose links follow the visitor's language."""
        return self.get_ancestors().specific(defer=True)

    def breadcrumbs(self, request=None) -> list[Crumb]:
        """The page's trail, Home (the site's home page) first and the page itself last: what the visible
        breadcrumbs show and the BreadcrumbList says (templates/includes/breadcrumbs.html)."""
        crumbs = []
        for ancestor in self.breadcrumb_ancestors():
            if ancestor.is_root():
                continue
            name = translation.gettext("Home") if not crumbs else ancestor.title
            crumbs.append(Crumb(name, ancestor.get_url(request)))
        crumbs.append(Crumb(self.title, self.get_url(request)))
        return crumbs

    def get_sitemap_urls(self, request=None):
        """One entry per language the page can be read in (its translations, and the languages that have no
        pages yet for a default-language page), each with xhtml:link alternates to all of them (hreflang)."""
        alternates = [{"lang_code": code, "location": url} for code, url in page_alternates(self, request)]
        default = next((a["location"] for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None)
        if default:  # the same x-default as the page's <link rel="alternate"> (site_tags.hreflang_links)
            alternates.append({"lang_code": "x-default", "location": default})
        own = self.locale.language_code
        languages = [own, *(code for code in languages_without_pages(self, request) if own == settings.LANGUAGE_CODE)]
        urls = []
        for code in languages:
            # The sitemap is served outside the language prefixes: each URL is built in its own language.
            with translation.override(code):
                for url in super().get_sitemap_urls(request):
                    urls.append({**url, "alternates": alternates})
        return urls

    def json_ld(self, request=None) -> dict:
        """schema.org description of the page; page types override `json_ld_type` and `json_ld_extra`."""
        data = {
            "@context": "https://schema.org",
            "@type": self.json_ld_type,
            "name": self.title,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
        }
        summary = self.get_summary()
        if summary:
            data["description"] = summary
        image = self.get_social_image()
        if image is not None:
            data["image"] = public_url(image.get_rendition("fill-1200x630").url)
        data.update(self.json_ld_extra(request))
        return data

    json_ld_type = "WebPage"

    def json_ld_extra(self, request=None) -> dict:
        return {}

    @property
    def localized(self):
        """Wagtail's (the live translation in the active language, or the page itself), remembered per
        process (cms/memo.py): Wagtail asks it of the site's root page on every request."""
        from wagtail.coreutils import get_supported_content_language_variant

        from cms.memo import locale_for_language, memo_on, memoized, page_at_url_path

        if not memo_on():
            return super().localized
        try:
            locale = locale_for_language(get_supported_content_language_variant(translation.get_language()))
        except LookupError:
            return self
        if locale is None or locale.id == self.locale_id:
            return self

        def translation_url_path():
            translated = super(PageMetadataMixin, self).localized
            return None if translated.pk == self.pk else translated.url_path

        url_path = memoized(("localized", self.pk, locale.id), translation_url_path)
        return (page_at_url_path(url_path) if url_path else None) or self

    def route(self, request, path_components):
        """Wagtail's, but a page below this one comes from its url_path, remembered per process (cms/memo.py):
        no query, where Wagtail takes two per level. A path that goes on into a routable page's own routes
        (an itinerary's gpx/) matches no url_path and takes Wagtail's way."""
        if path_components:
            from cms.memo import page_at_url_path

            page = page_at_url_path(self.url_path + "/".join(path_components) + "/")
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_view_restrictions(self):
        """Wagtail's, without the two queries when the site has no view restriction at all (remembered,
        cms/memo.py; adding or removing one bumps the page generation)."""
        from wagtail.models import PageViewRestriction

        from cms.memo import any_view_restrictions

        if not any_view_restrictions():
            none = PageViewRestriction.objects.none()
            none._result_cache = []  # evaluated already: iterating it compiles no SQL (clones still can)
            return none
        return super().get_view_restrictions()

    def serve(self, request, *args, **kwargs):
        """Wagtail's Page.serve, through the page fragments (cms/fragments.py)."""
        request.is_preview = False
        return self.render_cached(request, *args, **kwargs)

    def render_cached(self, request, *args, **kwargs):
        """The page's response from its cached fragments where it can, flagged for the page cache:
        only real page views of anonymous visitors are stored (cms/cache.py decides the rest)."""
        from cms.fragments import page_response

        template = self.get_template(request, *args, **kwargs)
        response = page_response(self, request, template, lambda: self.get_context(request, *args, **kwargs))
        response.cms_cacheable = not getattr(request, "is_preview", False)
        return response


class DestinationPage(PageMetadataMixin, Page):
    """Abstract base of the destination's pages (everything but the home page)."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"), blank=True, max_length=400, help_text=_("Shown on cards, in search results and when shared.")
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("summary"), FieldPanel("image"), FieldPanel("theme")], heading=_("Card")),
    ]
    api_fields = [APIField("summary"), APIField("image"), APIField("theme")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("theme"),
    ]

    class Meta:
        abstract = True


class GeoMixin(models.Model):
    """A place on the map (WGS84 degrees)."""

    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)

    geo_panels = [MultiFieldPanel([FieldPanel("lat"), FieldPanel("lng")], heading=_("Position on the map"))]

    class Meta:
        abstract = True

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None

    def json_ld_geo(self) -> dict:
        if not self.has_location:
            return {}
        return {"geo": {"@type": "GeoCoordinates", "latitude": self.lat, "longitude": self.lng}}


def listing_queryset(model, *, parent=None, locale=None):
    """Live pages of `model` with their image and its renditions prefetched: constant queries per listing."""
    qs = model.objects.live().public().select_related("image").prefetch_related("image__renditions")
    if parent is not None:
        qs = qs.child_of(parent)
    if locale is not None:
        qs = qs.filter(locale=locale)
    return qs
