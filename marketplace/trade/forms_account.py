"""Forms of the partner's sign-up and users pages. They parse and validate; the writes happen in trade.partners."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.core.countries import country_choices
from operators.forms import BootstrapMixin

from .models import PartnerMembership, TradePartner
from .partners import tax_id_normalize

PARTNER_FIELDS = [
    "legal_name", "country", "tax_id", "address", "licence_number", "billing_email", "contact_name", "phone",
    "website",
]  # fmt: skip


class CountryField(forms.ChoiceField):
    """A select of ISO 3166 codes named in the visitor's language (the choices are computed per form)."""

    def __init__(self, **kwargs):
        for key in ("max_length", "empty_value"):
            kwargs.pop(key, None)
        super().__init__(choices=country_choices, **kwargs)


class TaxIdFormMixin:
    """The tax id is judged against the country (stdnum for EU VAT numbers), so it is cleaned after both."""

    def clean(self):
        data = super().clean()
        country, tax_id = data.get("country"), data.get("tax_id")
        if country and tax_id:
            try:
                data["tax_id"] = tax_id_normalize(country=country, value=tax_id)
            except ValidationError as error:
                self.add_error("tax_id", error)
        return data


class PartnerSignupForm(TaxIdFormMixin, BootstrapMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = TradePartner
        fields = PARTNER_FIELDS
        field_classes = {"country": CountryField}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"country": _("Where the company is registered.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_id"].widget.attrs.pop("maxlength", None)  # typed with spaces, then compacted

    def clean(self):
        data = super().clean()
        tax_id = data.get("tax_id")
        if tax_id and not self.has_error("tax_id"):
            taken = TradePartner.objects.filter(tax_id__iexact=tax_id).exclude(status=TradePartner.Status.REJECTED)
            if taken.exists():
                self.add_error("tax_id", _("A trade partner with this VAT number or tax id is already registered."))
        return data


class PartnerInviteForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=PartnerMembership.Role.choices,
                             initial=PartnerMembership.Role.BOOKER)  # fmt: skip
