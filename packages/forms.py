"""The party picker: who travels and when. Used by the package page (GET) and add-to-basket (POST)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import BoundedDateField, MonthField
from operators.pricing import Party

MAX_PARTY = 20


class PartyForm(forms.Form):
    date = BoundedDateField(label=_("Departure"), required=False)
    adults = forms.IntegerField(label=_("Adults"), min_value=1, max_value=MAX_PARTY, initial=2)
    children_ages = forms.CharField(
        label=_("Children's ages"), required=False, max_length=60, help_text=_("e.g. 4, 9 (empty: no children)")
    )
    infants = forms.IntegerField(label=_("Infants (0–2)"), min_value=0, max_value=10, initial=0, required=False)
    month = MonthField(required=False)
    # A single service sold alone with several departures a day: the one chosen (empty: the first with
    # room). Packages assembled by staff pin their own times and refuse it (services.package_basket_add).
    start_time = forms.TimeField(label=_("Departure time"), required=False, input_formats=["%H:%M", "%H:%M:%S"])
    extra = forms.TypedMultipleChoiceField(
        label=_("Optional extras"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, extras=(), **kwargs):
        """`extras`: the package's optional components, the only ids `extra` accepts."""
        super().__init__(*args, **kwargs)
        self.fields["extra"].choices = [(c.pk, c.service.name) for c in extras]

    def clean_children_ages(self) -> tuple[int, ...]:
        raw = (self.cleaned_data.get("children_ages") or "").replace(";", ",")
        ages = []
        for bit in raw.split(","):
            bit = bit.strip()
            if not bit:
                continue
            if not bit.isdigit() or int(bit) > 17:
                raise forms.ValidationError(_("Give each child's age as a number from 0 to 17, separated by commas."))
            ages.append(int(bit))
        return tuple(ages)

    def clean(self):
        data = super().clean()
        size = (data.get("adults") or 0) + len(data.get("children_ages") or ()) + (data.get("infants") or 0)
        if size > MAX_PARTY:
            raise forms.ValidationError(_("For groups over %(n)d people please contact us.") % {"n": MAX_PARTY})
        return data

    def extras(self) -> tuple[int, ...]:
        """The ticked optional extras (component ids), sorted."""
        return tuple(sorted(set(self.cleaned_data.get("extra") or ())))

    def party(self) -> Party:
        data = self.cleaned_data
        return Party(
            adults=data["adults"], children_ages=data.get("children_ages") or (), infants=data.get("infants") or 0
        )

    def month_start(self, default: dt.date) -> dt.date:
        month = self.cleaned_data.get("month") if self.is_valid() else None
        return month or default.replace(day=1)


class AddPackageForm(PartyForm):
    date = BoundedDateField(label=_("Departure"))


class PackageCatalogueForm(forms.Form):
    """The catalogue's filters (GET). Unknown values are field errors and filter nothing."""

    kind = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Packages")), ("single", _("Single experiences and stays")), ("all", _("Everything"))],
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    # A CharField: an active label no package carries today (it lapsed since the link was shared)
    # filters everything out instead of being an error that would show every package.
    label = forms.CharField(label=_("Quality label"), required=False, max_length=100, widget=forms.Select)
    duration = forms.ChoiceField(
        label=_("Duration"),
        required=False,
        choices=[("", _("Any length")), ("1", _("One day")), ("2-3", _("2–3 days")), ("4+", _("4 days or more"))],
    )
    max_price = forms.DecimalField(
        label=_("Up to (€, 2 adults)"), required=False, min_value=0, max_digits=8, decimal_places=0,
        widget=forms.NumberInput(attrs={"step": 50, "placeholder": "€"}),
    )  # fmt: skip
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Name (A–Z)")), ("price", _("Price: lowest first")), ("-price", _("Price: highest first")),
                 ("duration", _("Duration"))],
    )  # fmt: skip

    def __init__(self, *args, areas, schemes, **kwargs):
        from .models import Theme

        super().__init__(*args, **kwargs)
        self.schemes = {scheme.slug: scheme for scheme in schemes}
        self.fields["area"].choices = [("", _("Everywhere")), *areas]
        self.fields["theme"].choices = [("", _("Any theme")), *Theme.choices]
        self.fields["label"].widget.choices = [("", _("Any label"))] + [(s.slug, s.name) for s in self.schemes.values()]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean_label(self) -> str:
        from certifications.selectors import scheme_from_filter

        slug = self.cleaned_data.get("label") or ""
        if slug and slug not in self.schemes:
            scheme = scheme_from_filter(slug=slug)
            if scheme is None:
                raise forms.ValidationError(_("Unknown label."))
            self.schemes[slug] = scheme
        return slug

    def filters(self) -> dict:
        """Keyword arguments for `package_qs_catalogue` from the valid fields only."""
        self.is_valid()  # invalid fields are left out of cleaned_data: they filter nothing
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        label = data.pop("label", None)
        if label:
            data["scheme"] = self.schemes[label]
        return data


class OrderCancelForm(forms.Form):
    """Cancelling cannot be undone: the customer ticks that they have read the refund the page states,
    so a stray click on the button alone changes nothing."""

    confirm = forms.BooleanField(
        label=_("I understand the refund stated above and want to cancel this booking."),
        error_messages={"required": _("Nothing has been cancelled: tick the box to confirm the cancellation.")},
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order


class OrderCancelConfirmForm(OrderCancelForm):
    """Who opens the signed cancel link proves they are the traveller: the link travels in emails that
    get forwarded, so it alone must not cancel an order."""

    field_order = ["who", "confirm"]

    who = forms.CharField(
        label=_("Lead traveller's surname or the order's email"),
        max_length=254,
        help_text=_("As given when booking."),
    )

    def clean_who(self) -> str:
        given = self.cleaned_data["who"].strip().casefold()
        travellers = getattr(self.order, "travellers", None)
        expected = {(self.order.email or "").strip().casefold()}
        if travellers is not None:
            expected.add(travellers.lead_last_name.strip().casefold())
        if not given or given not in expected - {""}:
            raise forms.ValidationError(_("This is not the lead traveller's surname nor the order's email."))
        return given
