"""The offer chooser of collections: Wagtail's chooser (a modal with search, filters and a table) over
every offer provider's offers (cms/offers.py), instead of one flat list of every offer.

Offers are not one model (packages, services, operators, and whatever a later app registers), so the
chooser lists the providers' `OfferChoice` rows rather than a queryset: Wagtail's generic chooser views
paginate any sequence; only the object lookup, the ordering and the filtering (which Wagtail does on
querysets) are ours. Pages keep storing the reference strings ("package:12") they always stored: the
block's value does not change shape, so existing collections need no data migration.

The rows are computed per request in a fixed number of queries per provider and filtered in Python:
enough for the destination's few thousand offers at most.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from .offers import OfferChoice, offer_choice_get, offer_chooser_rows, offer_providers

# Who may open the chooser: whoever may edit collections (DMC staff have "cms.*", marketplace.core.roles).
CHOOSER_PERMISSION = "cms.change_collectionpage"


def _options(rows: list[OfferChoice], attribute: str) -> list[tuple[str, str]]:
    """The (code, label) pairs found on the rows, sorted by label, for a filter's choices."""
    found = {code: label for row in rows for code, label in getattr(row, attribute)}
    return sorted(found.items(), key=lambda item: item[1].casefold())


class OfferFilterForm(BaseFilterForm):
    """Search words, then what kind of offer, where, what kind of place or theme, which label. The
    choices are those present among the offers, so no filter leads to an empty list by construction."""

    q = forms.CharField(
        label=_("Search term"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Search offers")})
    )
    provider = forms.ChoiceField(label=_("Offer type"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    kind = forms.ChoiceField(label=_("Kind or theme"), required=False)
    label = forms.ChoiceField(label=_("Certified label"), required=False)
    sellable = forms.BooleanField(label=_("Only offers for sale"), required=False)

    def __init__(self, *args, rows: list[OfferChoice], **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["provider"].choices = every + [(p.key, str(p.label)) for p in offer_providers()]
        self.fields["area"].choices = every + _options(rows, "areas")
        self.fields["kind"].choices = every + _options(rows, "kinds")
        self.fields["label"].choices = every + _options(rows, "labels")

    def filter(self, objects: list[OfferChoice]) -> list[OfferChoice]:
        data = self.cleaned_data
        words = (data.get("q") or "").casefold().split()
        if words:
            self.is_searching = True
            self.search_query = data["q"]
            objects = [o for o in objects if all(w in f"{o.title} {o.detail}".casefold() for w in words)]
        for name, attribute in (("area", "areas"), ("kind", "kinds"), ("label", "labels")):
            if data.get(name):
                objects = [o for o in objects if data[name] in {code for code, _label in getattr(o, attribute)}]
        if data.get("provider"):
            objects = [o for o in objects if o.provider == data["provider"]]
        if data.get("sellable"):
            objects = [o for o in objects if o.sellable]
        return objects


class OfferChooserMixin:
    """What the chooser's listing views do differently for rows that are not a queryset."""

    filter_form_class = OfferFilterForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHOOSER_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def rows(self) -> list[OfferChoice]:
        return offer_chooser_rows(language=translation.get_language())

    def get_object_list(self):
        return self.rows

    def apply_object_list_ordering(self, objects):
        return sorted(objects, key=lambda row: (row.provider_label, row.title.casefold(), row.key))

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET, rows=self.rows)

    def filter_object_list(self, objects):
        return self.filter_form.filter(objects) if self.filter_form.is_valid() else objects

    def can_create(self):
        return False  # offers are created where they are sold (operator area, package builder)

    @property
    def columns(self):
        return [
            self.title_column,
            Column("provider_label", label=_("Type")),
            Column("detail", label=_("Where / what")),
            Column("labels", label=_("Labels"), accessor=lambda row: ", ".join(name for _slug, name in row.labels)),
            StatusTagColumn(
                "sellable",
                label=_("Status"),
                accessor=lambda row: _("for sale") if row.sellable else _("not for sale"),
                primary=lambda row: row.sellable,
            ),
        ]


class OfferChooseView(OfferChooserMixin, chooser_views.ChooseView):
    pass


class OfferChooseResultsView(OfferChooserMixin, chooser_views.ChooseResultsView):
    pass


class OfferChosenView(chooser_views.ChosenView):
    """Answers the chosen offer's reference and title to the widget (the modal's "chosen" step)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHOOSER_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, pk):
        row = offer_choice_get(pk, language=translation.get_language())
        if row is None:
            raise ObjectDoesNotExist(pk)
        return row

    def get_display_title(self, instance):
        return offer_display_title(instance)

    def get_edit_item_url(self, instance):
        return None  # offers are edited where they are sold, not from a page


def offer_display_title(row: OfferChoice) -> str:
    return f"{row.provider_label} · {row.title}" if row.provider_label else row.title


class OfferChooserWidget(BaseChooser):
    """The chooser button of one offer in the page editor; the hidden input holds the reference."""

    choose_one_text = _("Choose an offer")
    choose_another_text = _("Choose another offer")
    clear_choice_text = _("Clear choice")
    show_edit_link = False
    icon = "tag"
    chooser_modal_url_name = "offer_chooser:choose"

    def get_value_data(self, value):
        if not value:
            return None
        row = offer_choice_get(str(value), language=translation.get_language())
        if row is None:  # a vanished offer: the reference stays until the editor clears or replaces it
            return {"id": str(value), "title": _("Offer no longer available (%(ref)s)") % {"ref": value}}
        title = offer_display_title(row)
        if not row.sellable:
            title = _("%(offer)s (not for sale)") % {"offer": title}
        return {"id": row.key, "title": title, "edit_url": ""}


class OfferChooserViewSet(ChooserViewSet):
    """Registered from wagtail_hooks as "offer_chooser" (URLs under /admin/offer_chooser/)."""

    icon = "tag"
    choose_one_text = _("Choose an offer")
    choose_another_text = _("Choose another offer")
    page_title = _("Choose an offer")
    per_page = 20
    choose_view_class = OfferChooseView
    choose_results_view_class = OfferChooseResultsView
    chosen_view_class = OfferChosenView
    register_widget = False  # no model field to replace: the block uses OfferChooserWidget itself

    def get_urlpatterns(self):
        # No creation form and no multiple choice (one offer per block): only list, results and chosen.
        return [p for p in super().get_urlpatterns() if p.name in ("choose", "choose_results", "chosen")]

    def on_register(self):
        ViewSet.on_register(self)  # ChooserViewSet's would resolve `model`, which offers do not have
