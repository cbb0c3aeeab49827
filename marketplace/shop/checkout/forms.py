from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.checkout.forms import GatewayForm as OscarGatewayForm
from oscar.apps.order.models import Order

from marketplace.bookings.models import OrderTravellers
from marketplace.core.countries import country_choices
from marketplace.payments.models import Payment


def column_length(model, name: str) -> int:
    """A column's max_length, so a form refuses what the database would refuse only at order placement
    (after the payment, with the places still held)."""
    return model._meta.get_field(name).max_length


phone_validator = RegexValidator(
    r"^\+?[0-9 ()./-]{6,30}$", _("Enter a phone number with its country code, e.g. +39 0583 123456.")
)


class GatewayForm(OscarGatewayForm):
    """Oscar's first checkout step; a guest's email must fit the order's and the payment's columns."""

    username = forms.EmailField(
        label=_("My email address is"),
        max_length=min(column_length(Order, "guest_email"), column_length(Payment, "guest_email")),
    )

    def clean(self):
        """Never tell whether an email has an account: a guest pays as a guest whatever the address, and
        "create an account" goes on to the sign-up, which answers every address the same way (Oscar
        answered "A user with that email address already exists", an account finder for anyone)."""
        if self.is_guest_checkout() or self.is_new_account_checkout():
            self.errors.pop("password", None)
            return self.cleaned_data
        return super().clean()


class TravellersForm(forms.Form):
    """What a tour needs instead of a shipping address: who travels and how to reach them on the day."""

    lead_first_name = forms.CharField(
        label=_("Lead traveller's first name"), max_length=column_length(OrderTravellers, "lead_first_name")
    )
    lead_last_name = forms.CharField(
        label=_("Lead traveller's last name"), max_length=column_length(OrderTravellers, "lead_last_name")
    )
    lead_phone = forms.CharField(
        label=_("Lead traveller's mobile phone"),
        max_length=column_length(OrderTravellers, "lead_phone"),
        validators=[phone_validator],
        help_text=_("We call this number only about this trip (meeting point, weather, changes)."),
    )
    country = forms.ChoiceField(
        label=_("Country of residence"),
        choices=country_choices,
        initial="IT",
        help_text=_("Where the lead traveller lives: the destination counts its guests by origin."),
    )
    other_travellers = forms.CharField(
        label=_("Other travellers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One full name per line. Leave empty if you travel alone."),
    )
    accept_policy = forms.BooleanField(
        label=_("I have read and accept the cancellation policy of what I am booking."),
        error_messages={"required": _("Please accept the cancellation policy to continue.")},
    )

    def __init__(self, *args, party=None, **kwargs):
        """`party`: the basket's travellers (packages.order_lines.BasketParty), None for a basket without
        packages; it says how many other names the operators need on their lists."""
        super().__init__(*args, **kwargs)
        self.party = party
        if party is not None and party.others_required:
            self.fields["other_travellers"].required = True
            self.fields["other_travellers"].help_text = ngettext(
                "One full name per line: the other traveller of your party of %(people)d.",
                "One full name per line: the other %(n)d travellers of your party of %(people)d.",
                party.others_required,
            ) % {"n": party.others_required, "people": party.people}
            if party.infants:
                self.fields["other_travellers"].help_text += " " + str(_("Infants may be named too."))
            self.fields["other_travellers"].error_messages["required"] = self.missing_names_message()

    def missing_names_message(self) -> str:
        party = self.party
        return ngettext(
            "Your party is %(people)d people: give the name of the other traveller (one per line).",
            "Your party is %(people)d people: give the names of the other %(n)d travellers, one per line.",
            party.others_required,
        ) % {"people": party.people, "n": party.others_required}

    def clean_other_travellers(self) -> list[str]:
        names = [" ".join(line.split()) for line in self.cleaned_data["other_travellers"].splitlines()]
        names = [name for name in names if name]
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError(_("A name can be at most 200 characters long."))
        if len(names) > 50:
            raise forms.ValidationError(_("At most 50 other travellers per order."))
        if self.party is not None and len(names) < self.party.others_required:
            raise forms.ValidationError(self.missing_names_message())
        return names
