"""Wagtail admin: an Italian page says which served languages it has no translation in yet.

wagtail-localize's "Translate" action (the page's ⋮ menu) starts the missing ones; this note is what tells
the editor there are some. Registered from CmsConfig.ready() (cms/wagtail_hooks.py belongs to the offers'
warnings).
"""

from django.contrib import messages
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from wagtail import hooks

from .languages import missing_translations


@hooks.register("before_edit_page")
def page_warn_missing_translations(request, page):
    if request.method != "GET":
        return None
    missing = missing_translations(page)
    if missing:
        names = get_text_list([locale.get_display_name() for locale in missing], _("and"))
        messages.info(request, _("Not translated yet into: %(languages)s.") % {"languages": names})
    return None
