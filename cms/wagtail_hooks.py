"""Admin hooks: tell editors when a collection holds offers visitors no longer see (on its edit page, and
on the admin's home in the "Needs you" panel), and the offer chooser of collections."""

from django.contrib import messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks

from marketplace.core.staff_todo import ITEMS_SHOWN, STAFF_TODO_HOOK, StaffTodo, StaffTodoItem

from .models import CollectionIndexPage, CollectionPage
from .offer_chooser import OfferChooserViewSet
from .offers import offer_choices, offer_refs_unavailable


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


@hooks.register(STAFF_TODO_HOOK)
def staff_todo_collections_with_unsellable_offers(request):
    """Live collections holding offers that no longer show (withdrawn, sold out, deleted): the offers of
    every collection are resolved together, one `cards()` call per provider, however many collections."""
    if not request.user.has_perm("cms.change_collectionpage"):
        return None
    collections = list(CollectionPage.objects.live().order_by("title", "pk"))
    refs = {ref for page in collections for ref in page.offer_refs()}
    unsellable = set(offer_refs_unavailable(refs=refs, language=translation.get_language()))
    index = CollectionIndexPage.objects.first()
    affected = [
        (page, sum(1 for ref in page.offer_refs() if ref in unsellable))
        for page in collections
        if unsellable.intersection(page.offer_refs())
    ]
    return StaffTodo(
        key="collections",
        title=gettext_lazy("Collections with offers no longer for sale"),
        count=len(affected),
        url=reverse("wagtailadmin_explore", args=[index.pk]) if index else reverse("wagtailadmin_explore_root"),
        items=[
            StaffTodoItem(
                text=page.title,
                url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                detail=ngettext("%(count)s offer hidden", "%(count)s offers hidden", count) % {"count": count},
            )
            for page, count in affected[:ITEMS_SHOWN]
        ],
        order=50,
    )


@hooks.register("register_admin_viewset")
def register_offer_chooser():
    return OfferChooserViewSet("offer_chooser", url_prefix="offer-chooser")
