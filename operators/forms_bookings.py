"""Forms of the operator's day: the bookings page's filters, the manifest's day and departure, the
check-in code. Bad input is a field error (never a 500): the page then shows its defaults."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import BoundedDateField, local_today

from .bookings import STATE_CHOICES, VIA_CHOICES, BookingFilters
from .checkin import MAX_CODE
from .forms import BootstrapMixin
from .selectors import operator_services


class _ServiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BookingFilterForm(BootstrapMixin, forms.Form):
    start = BoundedDateField(label=_("From"), required=False)
    end = BoundedDateField(label=_("To"), required=False)
    service = _ServiceChoice(label=_("Service"), queryset=None, required=False, empty_label=_("All services"))
    state = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *STATE_CHOICES])
    via = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("Every channel")), *VIA_CHOICES])
    q = forms.CharField(label=_("Guest or reference"), required=False, max_length=100)

    PAST_DAYS = 7
    AHEAD_DAYS = 90

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = operator_services(operator=operator)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("Name, order or reference")})

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data

    def filters(self) -> BookingFilters:
        """What to list: the valid filters, else a week ago to three months ahead."""
        data = self.cleaned_data if self.is_valid() else {}
        today = local_today()
        start = data.get("start") or (today - dt.timedelta(days=self.PAST_DAYS))
        end = data.get("end") or max(start, today) + dt.timedelta(days=self.AHEAD_DAYS)
        service = data.get("service")
        return BookingFilters(start=start, end=end, service_id=service.pk if service else None,
                              state=data.get("state") or "", via=data.get("via") or "",
                              query=(data.get("q") or "").strip())  # fmt: skip


class ManifestForm(BootstrapMixin, forms.Form):
    date = BoundedDateField(label=_("Day"), required=False)
    service = _ServiceChoice(label=_("Service"), queryset=None, required=False, empty_label=_("All services"))
    time = forms.TimeField(label=_("Departure"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = operator_services(operator=operator)

    def choice(self) -> tuple[dt.date, int | None, dt.time | None]:
        data = self.cleaned_data if self.is_valid() else {}
        service = data.get("service")
        return data.get("date") or local_today(), service.pk if service else None, data.get("time")


class CheckInForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Travel voucher code"), max_length=MAX_CODE,
                           help_text=_("The order number or the partner booking's code, or scan its QR code."))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters",
                                                 "spellcheck": "false", "inputmode": "text"})  # fmt: skip
