"""The staff's forms in Wagtail's admin: partners' details, decisions, contracts with their net prices and
cancellation tiers, allotments, a booking's cancellation. They validate; the writes with rules behind them
(status, allotments, cancellations) go through the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from operators.forms import WeekdaysField
from operators.models import Service

from .forms_account import CountryField, TaxIdFormMixin
from .models import Allotment, Contract, ContractCancellationTier, ContractNetPrice, TradePartner

PARTNER_ADMIN_FIELDS = [
    "legal_name", "country", "tax_id", "address", "licence_number", "billing_email", "contact_name", "phone",
    "website",
]  # fmt: skip


class TradePartnerAdminForm(TaxIdFormMixin, WagtailAdminModelForm):
    """The company's details; its status changes only through the decision (reason, e-mail, who and when)."""

    country = CountryField(label=_("country"))
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = TradePartner
        fields = PARTNER_ADMIN_FIELDS


class PartnerDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s.value, s.label)
            for s in (TradePartner.Status.APPROVED, TradePartner.Status.SUSPENDED, TradePartner.Status.REJECTED)
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the partner)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Needed to suspend or reject."),
    )


class NetPriceForm(forms.ModelForm):
    class Meta:
        model = ContractNetPrice
        fields = ["package", "service", "starts_on", "ends_on", "category", "amount"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if bool(data.get("package")) == bool(data.get("service")):
            raise ValidationError(_("Choose either a package or a service for each net price."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The season ends before it starts."))
        return data


class TierForm(forms.ModelForm):
    class Meta:
        model = ContractCancellationTier
        fields = ["days_before", "refund_percent"]


NetPriceFormSet = forms.inlineformset_factory(Contract, ContractNetPrice, form=NetPriceForm, extra=3, can_delete=True)
TierFormSet = forms.inlineformset_factory(Contract, ContractCancellationTier, form=TierForm, extra=3, can_delete=True)


class ContractAdminForm(WagtailAdminModelForm):
    """A contract with its net prices and cancellation tiers as inline tables (plain Django inline formsets:
    Wagtail's InlinePanel needs modelcluster's ParentalKey, which the trade models do not use, as
    packages.admin explains for the packages' own tiers).

    Contracts of one partner never overlap in time on the same product: `trade.contracts.contract_overlaps`
    names the ones in the way, as a form error."""

    child_formset_classes = {"net_prices": NetPriceFormSet, "cancellation_tiers": TierFormSet}

    class Meta:
        model = Contract
        fields = [
            "partner", "name", "valid_from", "valid_to", "scope", "packages", "operators", "services",
            "rate_kind", "commission_percent", "payment_terms", "credit_limit", "general_sale",
            "amendments_allowed",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.child_formsets = {
            name: formset_class(
                self.data if self.is_bound else None,
                self.files if self.is_bound else None,
                instance=self.instance,
                prefix=name,
            )  # fmt: skip
            for name, formset_class in self.child_formset_classes.items()
        }

    def is_valid(self):
        form_valid = super().is_valid()
        formsets_valid = all(formset.is_valid() for formset in self.child_formsets.values())
        return form_valid and formsets_valid

    @property
    def media(self):
        media = super().media
        for formset in self.child_formsets.values():
            media += formset.media
        return media

    def _live_net_prices(self) -> list[dict]:
        formset = self.child_formsets["net_prices"]
        rows = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data and not data.get("DELETE"):
                rows.append(data)
        return rows

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The contract ends before it starts."))
        if data.get("rate_kind") == Contract.RateKind.COMMISSION and data.get("commission_percent") is None:
            self.add_error("commission_percent", _("Give the commission of a commission contract."))
        if data.get("payment_terms") == Contract.PaymentTerms.PREPAYMENT and data.get("credit_limit") is not None:
            self.add_error("credit_limit", _("A credit limit applies to contracts on account only."))
        chosen = [data.get(name) for name in ("packages", "operators", "services")]
        if data.get("scope") == Contract.Scope.CHOSEN and not any(chosen):
            self.add_error("packages", _("Choose the packages, operators or services the contract covers."))
        if self.errors:
            return data
        self.child_formsets["net_prices"].is_valid()
        if data.get("rate_kind") == Contract.RateKind.COMMISSION and self._live_net_prices():
            raise ValidationError(_("Net prices belong to net-rate contracts: empty their rows or choose net prices."))
        if data.get("rate_kind") == Contract.RateKind.NET:
            if not self._live_net_prices():
                raise ValidationError(
                    _("A net-rate contract needs its net prices (one row per product, season and category).")
                )
        self._check_overlaps(data)
        return data

    def _check_overlaps(self, data) -> None:
        from .contracts import contract_overlaps

        probe = Contract(
            pk=self.instance.pk, partner=data["partner"], name=data.get("name", ""), valid_from=data["valid_from"],
            valid_to=data["valid_to"], scope=data["scope"], rate_kind=data.get("rate_kind"),
        )  # fmt: skip
        scoped = data["scope"] == Contract.Scope.CHOSEN
        empty = {"packages": [], "operators": [], "services": []}
        chosen = {name: list(data.get(name) or []) for name in empty} if scoped else empty
        overlaps = contract_overlaps(contract=probe, **chosen)
        if overlaps:
            names = ", ".join(f"{c.name} ({c.valid_from:%d/%m/%Y}–{c.valid_to:%d/%m/%Y})" for c in overlaps)
            raise ValidationError(
                _("This contract overlaps other contracts of the partner on the same products: %(names)s.")
                % {"names": names},
                code="overlap",
            )

    def save(self, commit=True):
        with transaction.atomic():
            instance = super().save(commit=commit)
            if commit:
                for formset in self.child_formsets.values():
                    formset.instance = instance
                    formset.save()
        return instance


class AllotmentAdminForm(WagtailAdminModelForm):
    """An allotment to create; `trade.allotments.allotment_create` takes the places (or refuses the dates)."""

    weekdays = WeekdaysField(label=_("Weekdays"))

    class Meta:
        model = Allotment
        fields = ["contract", "service", "starts_on", "ends_on", "weekdays", "start_time", "quantity", "release_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Freesale services have no places to reserve.
        self.fields["service"].queryset = (
            Service.objects.exclude(capacity_model=Service.CapacityModel.FREESALE)
            .select_related("operator")
            .order_by("operator__name", "pk")
        )
        self.fields["contract"].queryset = Contract.objects.select_related("partner").order_by("partner__legal_name")

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The period ends before it starts."))
        if start and end and (end - start).days > 2 * 366:
            self.add_error("ends_on", _("An allotment covers at most two years."))
        contract = data.get("contract")
        if contract and start and end and (start < contract.valid_from or end > contract.valid_to):
            self.add_error("ends_on", _("The allotment must lie within the contract's validity."))
        return data


class ConfirmForm(forms.Form):
    """A POST with a CSRF token is the confirmation; nothing to fill in."""
