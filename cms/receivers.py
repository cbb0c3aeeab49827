"""Purge the page cache when pages change (connected in CmsConfig.ready)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import page_cache_clear


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_cache_purge_on_change(sender, **kwargs):
    page_cache_clear()


@receiver(post_delete)
def page_cache_purge_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_cache_clear()
