"""Forms parse and validate input; the rules themselves are in services.py."""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import BoundedDateField

from .models import Scheme
from .selectors import scheme_qs_requestable
from .services import MAX_EVIDENCE_FILES
from .subjects import subject_from_key, subject_key, subject_model_choices, subjects_for_user
from .validators import sniff_evidence

GRANT_CHOICES_PER_MODEL = 1000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """One or more documents, each checked by content (validators.sniff_evidence)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/*"})
        )
        kwargs.setdefault("help_text", _("PDF or images (JPEG, PNG, WebP), at most 5 MB each, up to 5 files."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(
                _("Upload at most %(count)d documents at a time."), params={"count": MAX_EVIDENCE_FILES}
            )
        errors = []
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                sniff_evidence(upload)
            except ValidationError as exc:
                errors.extend(exc.error_list)
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class AwardRequestForm(forms.Form):
    """An operator asks for a label for itself or one of its services."""

    scheme = forms.ModelChoiceField(label=_("Label"), queryset=Scheme.objects.none())
    subject = forms.ChoiceField(label=_("For"))
    evidence = EvidenceField(label=_("Evidence"))
    note = forms.CharField(
        label=_("Note for the DMC"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Certificate number, issuing office, anything that helps us check."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = scheme_qs_requestable()
        self._subjects = {subject_key(subject): subject for subject in subjects_for_user(user=user)}
        self.fields["subject"].choices = [
            (key, f"{str(subject._meta.verbose_name).capitalize()}: {subject}")
            for key, subject in self._subjects.items()
        ]

    def clean_subject(self):
        # Only what the user acts for is a valid choice: another operator's key is refused here.
        subject = self._subjects.get(self.cleaned_data["subject"])
        if subject is None:
            raise ValidationError(_("Choose one of your own activities or services."))
        return subject

    def clean(self):
        cleaned = super().clean()
        scheme, subject = cleaned.get("scheme"), cleaned.get("subject")
        if scheme and subject and not scheme.is_awardable_to(type(subject)):
            self.add_error(
                "scheme",
                _("%(scheme)s cannot be awarded to a %(kind)s.")
                % {"scheme": scheme.name, "kind": subject._meta.verbose_name},
            )
        return cleaned


class EvidenceAddForm(forms.Form):
    evidence = EvidenceField(label=_("More evidence"))


# A certificate may have been issued years ago and last years: wider windows than a booking's.
AWARDED_WINDOW = {"past_years": 10, "future_years": 1}
EXPIRES_WINDOW = {"past_years": 10, "future_years": 10}


class AwardVerifyForm(forms.Form):
    awarded_on = BoundedDateField(label=_("Awarded on"), **AWARDED_WINDOW)
    expires_on = BoundedDateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Empty: the scheme's usual validity from the award date."),
        **EXPIRES_WINDOW,
    )
    reference = forms.CharField(label=_("Certificate number"), required=False, max_length=80)


class AwardReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AwardGrantForm(forms.Form):
    """Staff award a label directly to any allowed subject, chosen by kind and id."""

    scheme = forms.ModelChoiceField(label=_("Label"), queryset=Scheme.objects.none())
    subject = forms.ChoiceField(label=_("Holder"))
    awarded_on = BoundedDateField(label=_("Awarded on"), **AWARDED_WINDOW)
    expires_on = BoundedDateField(label=_("Expires on"), required=False, **EXPIRES_WINDOW)
    reference = forms.CharField(label=_("Certificate number"), required=False, max_length=80)
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = scheme_qs_requestable()
        choices = []
        for label, kind in subject_model_choices():
            model = apps.get_model(label)
            subjects = model._default_manager.all()[:GRANT_CHOICES_PER_MODEL]
            choices.append((kind, [(subject_key(subject), str(subject)) for subject in subjects]))
        self.fields["subject"].choices = [("", "---------"), *choices]

    def clean_subject(self):
        subject = subject_from_key(self.cleaned_data["subject"])
        if subject is None or subject._meta.label_lower not in dict(subject_model_choices()):
            raise ValidationError(_("No such holder."))
        return subject


class SchemeForm(forms.ModelForm):
    """Used by the admin: "awardable to" offers only the models allowed in settings."""

    awardable_to = forms.MultipleChoiceField(
        label=_("Awardable to"), choices=subject_model_choices, widget=forms.CheckboxSelectMultiple, required=True
    )
    issuer_url = forms.URLField(label=_("issuing body's website"), required=False, assume_scheme="https")
    criteria_url = forms.URLField(label=_("criteria link"), required=False, assume_scheme="https")

    class Meta:
        model = Scheme
        fields = [
            "name",
            "slug",
            "issuer",
            "issuer_url",
            "logo",
            "summary",
            "criteria",
            "criteria_url",
            "awardable_to",
            "expires",
            "validity_months",
            "verified_by",
            "is_active",
        ]
