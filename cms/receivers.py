"""Purge the page cache when pages change (connected in CmsConfig.ready); also when a site, a locale or a
view restriction changes, which the cached pages and the per-process memo (cms/memo.py) depend on."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import page_cache_clear


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_cache_purge_on_change(sender, **kwargs):
    page_cache_clear()


@receiver(post_delete)
def page_cache_purge_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page | Site | Locale | PageViewRestriction):
        page_cache_clear()


@receiver(post_save, sender=Site)
@receiver(post_save, sender=Locale)
@receiver(post_save, sender=PageViewRestriction)
def page_cache_purge_on_setting_change(sender, **kwargs):
    page_cache_clear()


@receiver(post_save, sender="cms.CompanyIdentity")
def page_cache_purge_on_company_identity(sender, **kwargs):
    """Every page's footer shows the identity: cached pages and the memo (cms/legal.py) must let it go."""
    page_cache_clear()
