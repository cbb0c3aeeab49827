"""The partner portal's forms: parse and validate what a person typed; the rules stay in the services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from operators.models import Municipality, Service
from operators.pricing import Party
from packages.models import Theme

from .grid import GRID_WEEKS
from .models import TradeBooking

MAX_PARTY = 30


def parse_ages(value: str) -> tuple[int, ...]:
    """'5, 8' → (5, 8); raises ValidationError on anything else."""
    ages = []
    for bit in (value or "").replace(";", ",").split(","):
        bit = bit.strip()
        if not bit:
            continue
        if not bit.isdigit() or int(bit) > 17:
            raise forms.ValidationError(_("Give the children's ages as numbers from 0 to 17, separated by commas."))
        ages.append(int(bit))
    return tuple(ages)


class StyledForm(forms.Form):
    """Bootstrap's classes on every widget, as the site's other forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "custom-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class PartyFields(StyledForm):
    adults = forms.IntegerField(label=_("Adults"), min_value=0, max_value=MAX_PARTY, initial=2)
    children_ages = forms.CharField(
        label=_("Children's ages"), required=False, max_length=100, help_text=_("e.g. 5, 8 (empty: no children)")
    )
    infants = forms.IntegerField(label=_("Infants"), min_value=0, max_value=MAX_PARTY, initial=0, required=False)

    def clean_children_ages(self):
        return parse_ages(self.cleaned_data.get("children_ages", ""))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        party = Party(
            adults=data.get("adults") or 0,
            children_ages=data.get("children_ages") or (),
            infants=data.get("infants") or 0,
        )
        if party.size == 0 or party.adults + len(party.children_ages) == 0:
            raise forms.ValidationError(_("The party needs at least one adult or child."))
        if party.size > MAX_PARTY:
            raise forms.ValidationError(_("At most %(n)d travellers per booking.") % {"n": MAX_PARTY})
        data["party"] = party
        return data


class GridForm(PartyFields):
    """The grid's query string: every field optional, bad values are field errors and defaults apply."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.TypedChoiceField(
        label=_("Weeks"), choices=[(w, w) for w in GRID_WEEKS], coerce=int, required=False, empty_value=2
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    label = forms.ChoiceField(label=_("Certified label"), required=False)

    def __init__(self, *args, schemes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adults"].required = False
        anything = [("", _("Any"))]
        self.fields["area"].choices = anything + list(Municipality.choices)
        self.fields["kind"].choices = anything + [("package", _("Package"))] + list(Service.Kind.choices)
        self.fields["theme"].choices = anything + list(Theme.choices)
        self.fields["label"].choices = anything + [(s.slug, s.name) for s in schemes]

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start is not None and not (dt.date(2000, 1, 1) <= start <= dt.date(2100, 1, 1)):
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return start

    def clean(self):
        if self.data.get("adults") in (None, ""):
            self.cleaned_data["adults"] = 2
        return super().clean()


class BookingForm(PartyFields):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.ChoiceField(label=_("Departure"), required=False)
    extras = forms.MultipleChoiceField(label=_("Optional extras"), required=False, widget=forms.CheckboxSelectMultiple)
    lead_first_name = forms.CharField(label=_("Lead traveller's first name"), max_length=100)
    lead_last_name = forms.CharField(label=_("Lead traveller's last name"), max_length=100)
    lead_email = forms.EmailField(label=_("Lead traveller's e-mail"), required=False)
    lead_phone = forms.CharField(label=_("Lead traveller's phone"), max_length=40, required=False)
    travellers = forms.CharField(
        label=_("Other travellers"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One full name per line."),
    )  # fmt: skip
    partner_reference = forms.CharField(label=_("Your reference"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, start_times=(), extras=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_time"].choices = [(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in start_times]
        self.fields["start_time"].required = len(start_times) > 1
        if not start_times:
            del self.fields["start_time"]
        self.fields["extras"].choices = [(str(c.pk), c.service.name) for c in extras]
        if not extras:
            del self.fields["extras"]

    def clean_on(self):
        on = self.cleaned_data["on"]
        if not (dt.date(2000, 1, 1) <= on <= dt.date(2100, 1, 1)):
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return on

    def clean_start_time(self):
        value = self.cleaned_data.get("start_time")
        return dt.datetime.strptime(value, "%H:%M").time() if value else None

    def clean_extras(self):
        return tuple(int(x) for x in self.cleaned_data.get("extras") or ())

    def clean_travellers(self):
        return tuple(line.strip() for line in self.cleaned_data.get("travellers", "").splitlines() if line.strip())


class AmendForm(PartyFields):
    lead_first_name = forms.CharField(label=_("Lead traveller's first name"), max_length=100)
    lead_last_name = forms.CharField(label=_("Lead traveller's last name"), max_length=100)
    travellers = forms.CharField(
        label=_("Other travellers"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One full name per line."),
    )  # fmt: skip
    partner_reference = forms.CharField(label=_("Your reference"), max_length=100, required=False)

    def clean_travellers(self):
        return [line.strip() for line in self.cleaned_data.get("travellers", "").splitlines() if line.strip()]


class BookingSearchForm(StyledForm):
    q = forms.CharField(label=_("Code, your reference or traveller"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Travel from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Travel to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any"))] + list(TradeBooking.Status.choices)


class MonthForm(StyledForm):
    month = forms.CharField(
        label=_("Month"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )

    def clean_month(self):
        value = self.cleaned_data.get("month")
        if not value:
            return None
        try:
            month = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Choose a month as YYYY-MM.")) from None
        if not (2000 <= month.year <= 2100):
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return month
