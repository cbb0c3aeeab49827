"""Admin hooks: tell editors when a collection holds offers visitors no longer see."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks

from .offers import offer_choices


@hooks.register("before_edit_page")
def collection_warn_unavailable_offers(request, page):
    """Withdrawn or sold-out offers vanish from the public page by themselves; the editor should know."""
    specific = page.specific
    if request.method != "GET" or not hasattr(specific, "unavailable_offer_refs"):
        return None
    missing = specific.unavailable_offer_refs()
    if missing:
        labels = dict(offer_choices())
        names = ", ".join(labels.get(ref, ref) for ref in missing)
        messages.warning(
            request,
            _("Visitors do not see these offers of the collection (withdrawn, sold out or deleted): %(offers)s.")
            % {"offers": names},
        )
    return None
