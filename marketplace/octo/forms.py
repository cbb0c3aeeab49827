"""Forms of the API keys and webhooks pages (portal and admin). They parse; keys.py and webhooks.py write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from operators.forms import BootstrapMixin

from .models import Webhook


def form_add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: per field when it names one, else on the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ApiKeyForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Which system uses it, e.g. 'Production'."))
    test_mode = forms.BooleanField(
        label=_("Test mode"), required=False, help_text=_("Bookings made with a test key are marked as tests.")
    )


class WebhookForm(BootstrapMixin, forms.Form):
    url = forms.URLField(
        label=_("URL"), max_length=500, assume_scheme="https",
        help_text=_("Your system's HTTPS address that receives the bookings' changes."),
    )  # fmt: skip
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Webhook.Event.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event."),
    )  # fmt: skip
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
