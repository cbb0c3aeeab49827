"""The two staff forms of the order page. Their checks mirror the services' (which check again under
their own rules): a form error is shown next to the field and nothing is changed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders.forms import OrderSearchForm as OscarOrderSearchForm


class _StaffMoneyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written on the order with your name and the time."),
    )

    def __init__(self, *args, refundable: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.refundable = refundable

    def _clean_amount(self, name: str) -> Decimal:
        amount = self.cleaned_data[name]
        if amount > self.refundable:
            raise forms.ValidationError(
                _("At most %(left)s can still be refunded on this order."), params={"left": self.refundable}
            )
        return amount


class StaffOrderCancelForm(_StaffMoneyForm):
    """Cancel the order; the refund starts at what the cancellation policy allows today."""

    refund_amount = forms.DecimalField(label=_("Refund (EUR)"), min_value=0, max_digits=12, decimal_places=2)
    field_order = ["refund_amount", "reason"]

    def clean_refund_amount(self):
        return self._clean_amount("refund_amount")


class StaffOrderRefundForm(_StaffMoneyForm):
    """Refund part of the order by hand; the booking stays."""

    amount = forms.DecimalField(label=_("Amount (EUR)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    field_order = ["amount", "reason"]

    def clean_amount(self):
        return self._clean_amount("amount")


def _departure_input(name: str) -> forms.DateInput:
    # Oscar's list shows in its one-line search only the fields whose id contains "order" (the rest go to
    # its "Advanced search" window): the ids say "order" so the departure dates sit beside the order number.
    return forms.DateInput(attrs={"type": "date", "id": f"id_order_{name}"}, format="%Y-%m-%d")


class OrderSearchForm(OscarOrderSearchForm):
    """Oscar's order search, plus the packages' departure date (from, to; either may be left empty)."""

    departure_from = forms.DateField(
        label=_("Departure from"), required=False, widget=_departure_input("departure_from")
    )
    departure_to = forms.DateField(label=_("Departure to"), required=False, widget=_departure_input("departure_to"))

    def clean(self):
        data = super().clean()
        start, end = data.get("departure_from"), data.get("departure_to")
        if start and end and end < start:
            self.add_error("departure_to", _("The last departure date comes before the first."))
        return data
