"""The portal's forms: the grid's filters, a booking, an amendment, the bookings search."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.core.countries import country_choices
from marketplace.core.dates import BoundedDateField, local_today
from operators.forms import BootstrapMixin
from operators.models import Municipality, Service
from packages.forms import PartyForm
from packages.models import Theme

from .models import TradeBooking

WEEKS = [(2, _("2 weeks")), (4, _("4 weeks")), (8, _("8 weeks"))]


class GridForm(BootstrapMixin, forms.Form):
    start = BoundedDateField(label=_("From"), required=False)
    weeks = forms.TypedChoiceField(label=_("Show"), choices=WEEKS, coerce=int, required=False, initial=2)
    adults = forms.IntegerField(label=_("Prices for adults"), min_value=1, max_value=20, required=False, initial=2)
    area = forms.ChoiceField(label=_("Area"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    label = forms.ChoiceField(label=_("Certified label"), required=False)

    def __init__(self, *args, schemes=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["area"].choices = everything + list(Municipality.choices)
        self.fields["kind"].choices = everything + [("package", _("Packages"))] + list(Service.Kind.choices)
        self.fields["theme"].choices = everything + list(Theme.choices)
        self.fields["label"].choices = everything + [(s.slug, s.name) for s in schemes]

    def value(self, name, default):
        if not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def guest_country_choices() -> list[tuple[str, str]]:
    """The countries in the partner's language, after an empty choice: the partner's own country counts then."""
    return [("", "—"), *country_choices()]


class TravellersMixin(forms.Form):
    lead_first_name = forms.CharField(label=_("Lead traveller's first name"), max_length=100)
    lead_last_name = forms.CharField(label=_("Lead traveller's last name"), max_length=100)
    lead_email = forms.EmailField(label=_("Lead traveller's e-mail"), required=False)
    lead_phone = forms.CharField(label=_("Lead traveller's phone"), max_length=40, required=False)
    travellers = forms.CharField(
        label=_("Other travellers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line."), max_length=2000,
    )  # fmt: skip
    guest_country = forms.ChoiceField(
        label=_("Guests' country of residence"), required=False, choices=guest_country_choices,
        help_text=_("Where the travellers live, for the destination's statistics; empty: your company's country."),
    )  # fmt: skip
    partner_reference = forms.CharField(label=_("Your reference"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def clean_travellers(self) -> list[str]:
        names = _lines(self.cleaned_data.get("travellers"))
        if any(len(n) > 200 for n in names):
            raise forms.ValidationError(_("A name is at most 200 characters long."))
        return names


class BookingForm(BootstrapMixin, PartyForm, TravellersMixin):
    """A booking on account. `departures`: the service's departure times that day (a choice then)."""

    date = BoundedDateField(label=_("Date"))
    start_time = forms.TypedChoiceField(label=_("Departure"), required=False, coerce=dt.time.fromisoformat)

    def __init__(self, *args, departures=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["month"]
        self.fields["start_time"].choices = [(t.isoformat(), t.strftime("%H:%M")) for t in departures]
        if not departures:
            del self.fields["start_time"]
        else:
            self.fields["start_time"].required = True
        if not self.fields["extra"].choices:
            del self.fields["extra"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < local_today():
            raise forms.ValidationError(_("This date is in the past."))
        return day


class AmendForm(BootstrapMixin, PartyForm, TravellersMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("month", "date", "extra"):
            del self.fields[name]


class BookingSearchForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Code, reference or traveller"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    date_from = BoundedDateField(label=_("Travelling from"), required=False)
    date_to = BoundedDateField(label=_("to"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(TradeBooking.Status.choices)
