from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import AreaPage, EventPage, Theme
from .selectors import area_get_by_code


class BootstrapFormMixin:
    def _style(self):
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class EventFilterForm(BootstrapFormMixin, forms.Form):
    """Filters of the events listing (GET): area, category, month."""

    area = forms.ModelChoiceField(
        queryset=AreaPage.objects.none(), required=False, label=_("Area"), empty_label=_("All areas")
    )
    category = forms.ChoiceField(required=False, label=_("Category"))
    month = forms.ChoiceField(required=False, label=_("Month"))

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = AreaPage.objects.live().filter(locale=locale).order_by("path")
        self.fields["category"].choices = [("", _("All categories")), *EventPage.Category.choices]
        today = timezone.localdate()
        months = []
        for i in range(12):
            year, month = today.year + (today.month - 1 + i) // 12, (today.month - 1 + i) % 12 + 1
            months.append((f"{year}-{month:02d}", date_format(today.replace(year=year, month=month, day=1), "F Y")))
        self.fields["month"].choices = [("", _("Any month")), *months]
        self._style()


class SearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    area = forms.ChoiceField(required=False, label=_("Area"))
    theme = forms.ChoiceField(required=False, label=_("Theme"), choices=[("", _("All themes")), *Theme.choices])
    label = forms.ChoiceField(required=False, label=_("Quality label"))

    def __init__(self, *args, locale, **kwargs):
        from certifications.selectors import scheme_qs_filterable

        super().__init__(*args, **kwargs)
        areas = AreaPage.objects.live().filter(locale=locale).order_by("path").values_list("area_code", "title")
        self.fields["area"].choices = [("", _("All areas")), *areas]
        schemes = scheme_qs_filterable().values_list("slug", "name")
        self.fields["label"].choices = [("", _("Any label")), *((slug, name) for slug, name in schemes)]
        self._style()


class MapFilterForm(forms.Form):
    """The map endpoint's and the places list's filter (GET): `area`, an `AreaPage.area_code` ("lucca").

    The code, not a page id: it is the same in every language and readable in URLs other systems keep.
    `cleaned_data["area"]` is the area page in the visitor's language (or another, if not translated),
    None when no filter is asked; an unknown or malformed code is an error, never "everything".
    """

    area = forms.SlugField(required=False, max_length=40, label=_("Area"))

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale = locale

    def clean_area(self):
        code = self.cleaned_data["area"]
        if not code:
            return None
        area = area_get_by_code(area_code=code, locale=self.locale)
        if area is None:
            raise ValidationError(_("No area has the code “%(code)s”."), code="unknown", params={"code": code})
        return area
