"""Forms of the operator area. They parse and validate input; the writes happen in services."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import BoundedDateField, local_today, weekday_names
from marketplace.core.languages import SiteLanguagesFormMixin, per_language

from .models import AvailabilityRule, Operator, OperatorMembership, PriceCategory, Season, Service
from .prices import price_categories, price_cell
from .services import PHOTO_MAX_BYTES, photo_validate
from .validators import normalize_partita_iva

WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
MAX_RULE_DAYS = 2 * 366
PERIOD_FIELDS = {"starts_on": BoundedDateField, "ends_on": BoundedDateField}  # a rule's or a season's dates
# The largest value each number of these forms accepts. Beyond them a typo (or a probe) reaches the
# database or overflows a date computation (a cut-off of 2**31 hours is 245,000 years).
MAX_PLACES = 9999
MAX_PRICE = 99999  # euros: beyond it a price is a typo
NUMBER_LIMITS = {
    "capacity": MAX_PLACES, "max_occupancy": 100, "min_party": 100, "max_party": 100,
    "cutoff_hours": 24 * 365, "duration_minutes": 60 * 24 * 31, "infant_max_age": 17, "child_max_age": 17,
}  # fmt: skip


class WeekdaysField(forms.MultipleChoiceField):
    """Checkboxes for weekdays, stored as a string of digits ("56" = Saturday and Sunday; "" = every day)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", WEEKDAY_CHOICES)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("None ticked: every day."))
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return list(value)
        return value

    def clean(self, value):
        return "".join(sorted(set(super().clean(value))))


class PartitaIvaField(forms.CharField):
    """The Partita IVA, normalised before any length check: typed with its IT prefix or with spaces it
    is longer than the 11 characters the column holds, yet valid."""

    def to_python(self, value):
        return normalize_partita_iva(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)  # the browser must let people type "IT 007 431 101 57"
        return attrs


class PhotoField(forms.ImageField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            photo_validate(upload)
        return upload


class BootstrapMixin:
    """Bootstrap 4 classes on every widget, so templates can render fields in a loop; every number field
    named in NUMBER_LIMITS gets its maximum (a field error, and the browser's `max`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in NUMBER_LIMITS and isinstance(field, forms.IntegerField):
                field.max_value = NUMBER_LIMITS[name]
                field.validators.append(MaxValueValidator(field.max_value))
                field.widget.attrs["max"] = field.max_value
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            if isinstance(widget, forms.ClearableFileInput):
                widget.attrs.setdefault("class", "form-control-file")
            else:
                widget.attrs.setdefault("class", "form-control")


OPERATOR_FIELDS = [
    "name", "kind", "municipality", "address", "latitude", "longitude", "email", "phone", "website",
    *per_language("description"),
]  # fmt: skip
# Texts kept per language: every column is listed, SiteLanguagesFormMixin shows the languages the site serves.
LANGUAGE_LABELS = {
    "name_it": _("Name (Italian)"),
    "name_en": _("Name (English)"),
    "name_fr": _("Name (French)"),
    "name_de": _("Name (German)"),
    "description_it": _("Description (Italian)"),
    "description_en": _("Description (English)"),
    "description_fr": _("Description (French)"),
    "description_de": _("Description (German)"),
}


def description_widgets(rows: int) -> dict:
    return {name: forms.Textarea(attrs={"rows": rows}) for name in per_language("description")}


def photo_help_text() -> str:
    """Formatted per request: `_(...) % {...}` at class level would freeze the text in the import-time language."""
    return gettext("JPEG, PNG or WebP, at most %(mb)d MB.") % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)}


class OperatorSignupForm(SiteLanguagesFormMixin, BootstrapMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    photo = PhotoField(
        label=_("Photo"), required=False,
        help_text=lazy(photo_help_text, str)(),
    )  # fmt: skip

    class Meta:
        model = Operator
        fields = ["name", "vat_number", *OPERATOR_FIELDS[1:]]
        labels = LANGUAGE_LABELS
        widgets = description_widgets(rows=4)
        field_classes = {"vat_number": PartitaIvaField}


class OperatorProfileForm(SiteLanguagesFormMixin, BootstrapMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Operator
        fields = OPERATOR_FIELDS
        labels = OperatorSignupForm.Meta.labels
        widgets = OperatorSignupForm.Meta.widgets


class PhotoForm(BootstrapMixin, forms.Form):
    image = PhotoField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class ServiceForm(SiteLanguagesFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            *per_language("name", "description"), "kind", "capacity_model", "max_occupancy",
            "min_party", "max_party", "cutoff_hours", "duration_minutes", "languages", "meeting_point",
            "infants_take_place", "infant_max_age", "child_max_age", "on_request", "is_active",
        ]  # fmt: skip
        labels = LANGUAGE_LABELS
        widgets = description_widgets(rows=3)

    def __init__(self, *args, may_sell: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_it"].required = True
        if not may_sell:  # a pending operator prepares its services; they go on sale once it is approved
            self.initial["is_active"] = False
            self.fields["is_active"].disabled = True
            self.fields["is_active"].help_text = _("Your services can go on sale once the DMC staff have approved you.")

    def clean(self):
        data = super().clean()
        if data.get("capacity_model") == Service.CapacityModel.PER_UNIT and not data.get("max_occupancy"):
            self.add_error("max_occupancy", _("Per-unit services need the number of people per unit."))
        if data.get("max_party") and data.get("min_party") and data["max_party"] < data["min_party"]:
            self.add_error("max_party", _("The maximum party cannot be smaller than the minimum."))
        model = data.get("capacity_model")
        if self.instance.pk and model and model != self.instance.capacity_model and self.instance.slots.exists():
            if Service.CapacityModel.FREESALE in (model, self.instance.capacity_model):
                self.add_error(
                    "capacity_model",
                    _("This service already has dates: it cannot switch between freesale and limited places."),
                )
        if data.get("child_max_age") is not None and data.get("infant_max_age") is not None:
            if data["child_max_age"] <= data["infant_max_age"]:
                self.add_error("child_max_age", _("Children must be older than infants."))
        return data


class SeasonForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Season
        fields = ["name", "starts_on", "ends_on"]
        field_classes = PERIOD_FIELDS

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The season ends before it starts."))
        return data


class SeasonPricesForm(forms.Form):
    """A season's price grid (operators.prices): one optional amount per category and weekday set.

    An empty cell means "no price" (it deletes one). Each cell is its own field, so a wrong one gets
    its own error beside it; `prices()` gives what season_prices_save takes."""

    def __init__(self, *args, season: Season, columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.season = season
        self.columns = columns
        used = set(season.rates.values_list("category", flat=True))
        categories = price_categories(service=season.service)
        self.categories = categories + sorted(used - set(categories))
        current = {(r.category, r.weekdays): r.amount for r in season.rates.all()}
        self.cells = {}
        labels = dict(PriceCategory.choices)
        for category in self.categories:
            for weekdays, column in zip(columns, self.column_labels(), strict=True):
                name = price_cell(category, weekdays)
                self.fields[name] = forms.DecimalField(
                    label=f"{labels.get(category, category)}, {column}", required=False, min_value=0, max_value=MAX_PRICE, max_digits=10, decimal_places=2,
                    initial=current.get((category, weekdays)),
                    widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal",
                                                    "class": "form-control form-control-sm price-cell"}),
                )  # fmt: skip
                self.cells[name] = (category, weekdays)

    def rows(self):
        """(category label, [bound field per column]) for the template."""
        labels = dict(PriceCategory.choices)
        return [
            (labels.get(category, category), [self[price_cell(category, w)] for w in self.columns])
            for category in self.categories
        ]

    def column_labels(self) -> list[str]:
        return [weekday_names(w) if w else gettext("Every day") for w in self.columns]

    def prices(self) -> dict:
        return {self.cells[name]: self.cleaned_data.get(name) for name in self.cells}


class AddPriceColumnForm(forms.Form):
    """A GET form on the grid: a column of prices for some weekdays only (a weekend surcharge)."""

    add = WeekdaysField(label=_("Add a column of prices only for"), help_text="")


class SeasonCopyForm(BootstrapMixin, forms.Form):
    percent = forms.DecimalField(
        label=_("Change of every price (%)"), max_digits=5, decimal_places=2, min_value=-90, max_value=200,
        initial=0, help_text=_("e.g. 5 for +5%, -10 for -10%; prices are rounded to the cent."),
    )  # fmt: skip


def parse_start_times(value: str) -> str:
    times = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            times.append(dt.time.fromisoformat(part if len(part) > 2 else f"{part}:00"))
        except ValueError as exc:
            raise ValidationError(_("“%(value)s” is not a time like 10:00.") % {"value": part}) from exc
    return ",".join(t.strftime("%H:%M") for t in sorted(set(times)))


class RuleForm(BootstrapMixin, forms.ModelForm):
    weekdays = WeekdaysField(label=_("Weekdays"))

    class Meta:
        model = AvailabilityRule
        fields = ["starts_on", "ends_on", "weekdays", "start_times", "capacity"]
        field_classes = PERIOD_FIELDS

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service

    def clean_start_times(self):
        return parse_start_times(self.cleaned_data["start_times"])

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            if end < start:
                self.add_error("ends_on", _("The period ends before it starts."))
            elif (end - start).days > MAX_RULE_DAYS:
                self.add_error("ends_on", _("A rule covers at most two years."))
            elif end < local_today():
                self.add_error("ends_on", _("This period is over: a rule creates dates from today on."))
        if not self.service.is_freesale and not data.get("capacity"):
            self.add_error("capacity", _("Give the number of places (only freesale services have no limit)."))
        return data


class DayForm(BootstrapMixin, forms.Form):
    ACTIONS = [("close", _("Close")), ("open", _("Re-open")), ("capacity", _("Set capacity"))]
    action = forms.ChoiceField(choices=ACTIONS)
    capacity = forms.IntegerField(min_value=0, required=False)
    slot = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("action") == "capacity" and data.get("capacity") is None:
            self.add_error("capacity", _("Give the new number of places."))
        return data


class ICalImportForm(BootstrapMixin, forms.Form):
    url = forms.URLField(label=_("iCal URL"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("or an .ics file"), required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            raise ValidationError(_("Give either the calendar's URL or its file."))
        upload = data.get("file")
        if upload and upload.size > 2 * 1024 * 1024:
            self.add_error("file", _("The calendar file is too large (2 MB at most)."))
        return data


class OperatorDecisionForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s.value, s.label) for s in (Operator.Status.APPROVED, Operator.Status.SUSPENDED, Operator.Status.REJECTED)
        ],
    )
    reason = forms.CharField(
        label=_("Reason (sent to the operator)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MemberForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=OperatorMembership.Role.choices,
                             initial=OperatorMembership.Role.STAFF)  # fmt: skip


class RequestDecisionForm(forms.Form):
    """The operator's answer to an on-request booking: a decline needs a reason the partner reads."""

    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason (for a decline)"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tell the partner why you decline."))
        return data
