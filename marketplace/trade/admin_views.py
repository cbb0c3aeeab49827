"""The staff's trade pages inside Wagtail's admin (wagtail_hooks.py registers them).

Generic create and edit forms save only what has no rule behind it (a partner's details, a contract and
its rows). Everything else goes through the services, in these views: a partner's status
(`partner_set_status`: reason, e-mail), an allotment (`allotment_create` takes the places under the slot
locks or refuses the dates; `allotment_release` gives them back), a booking's cancellation on the
partner's behalf (`trade_cancel`: the fee of the contract). Domain errors become form errors or messages,
never a 500.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import ListingButton

from marketplace.core.countries import country_choices
from operators.exceptions import LockTimeout

from .forms_admin import ConfirmForm, PartnerDecisionForm
from .models import Allotment, TradeBooking, TradeBookingPart, TradePartner
from .partners import partner_set_status


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class StaffFormView(WagtailAdminTemplateMixin, FormView):
    """A form page in the admin's look, for one object, behind one model permission."""

    model = None
    permission = ""
    index_url_name = ""
    header_icon = ""

    def dispatch(self, request, *args, **kwargs):
        _require(request, self.permission)
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model._default_manager.all()

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": self.model._meta.verbose_name_plural.capitalize()},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, index_url=reverse(self.index_url_name))
        return context


# Partners


class TradePartnerFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=TradePartner.Status.choices)
    country = django_filters.ChoiceFilter(label=gettext_lazy("Country"), choices=country_choices)

    class Meta:
        model = TradePartner
        fields = ["status", "country"]


class TradePartnerIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.insert(
            0,
            ListingButton(
                _("Review and decide"), url=reverse("trade_partners:decide", args=[instance.pk]), icon_name="tick",
                priority=5,
            ),
        )  # fmt: skip
        return buttons


class TradePartnerDecideView(StaffFormView):
    """The partner's details, users and contracts, and the decision: approve, suspend or reject with a
    reason (the operators' StaffOperatorDecideView, in the admin)."""

    model = TradePartner
    permission = "trade.change_tradepartner"
    index_url_name = "trade_partners:index"
    template_name = "trade/admin/partner_decide.html"
    form_class = PartnerDecisionForm
    page_title = gettext_lazy("Review a trade partner")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("user").order_by("role", "user__email")
        context["contracts"] = self.object.contracts.all()
        context["edit_url"] = reverse("trade_partners:edit", args=[self.object.pk])
        return context

    def form_valid(self, form):
        try:
            partner_set_status(partner=self.object, status=form.cleaned_data["status"],
                               reason=form.cleaned_data["reason"], by=self.request.user)  # fmt: skip
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is now %(status)s; the partner has been e-mailed.")
                         % {"name": self.object.legal_name, "status": self.object.get_status_display()})  # fmt: skip
        return redirect("trade_partners:index")


# Allotments


class AllotmentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Allotment.Status.choices)
    contract__partner = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Partner"), queryset=TradePartner.objects.all()
    )
    starts_on = django_filters.DateFromToRangeFilter(label=gettext_lazy("From"), widget=DateRangePickerWidget)

    class Meta:
        model = Allotment
        fields = ["status", "contract__partner", "starts_on"]


class AllotmentIndexView(IndexView):
    """No generic edit or delete: places change only through allotment_create and allotment_release."""

    def get_edit_url(self, instance):
        return reverse("trade_allotments:detail", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        return [ListingButton(_("Usage and release"), url=self.get_edit_url(instance), icon_name="view", priority=10)]


def _refused_dates(error) -> list:
    for name in ("dates", "refused", "days"):
        value = getattr(error, name, None)
        if value:
            return [d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else str(d) for d in value]
    return []


class AllotmentCreateView(CreateView):
    """The generic form, saved by `allotment_create` (outside the generic view's transaction: the service
    runs its own under the slot locks). Refused dates come back as a form error; nothing is held then."""

    def form_valid(self, form):
        from .allotments import AllotmentRefused, allotment_create

        self.form = form
        self.produced_error_message = self.get_error_message()  # Wagtail's form_invalid reads it
        data = form.cleaned_data
        try:
            self.object = allotment_create(
                contract=data["contract"], service=data["service"], starts_on=data["starts_on"],
                ends_on=data["ends_on"], weekdays=data.get("weekdays") or "", start_time=data.get("start_time"),
                quantity=data["quantity"], release_days=data["release_days"], by=self.request.user,
            )  # fmt: skip
        except AllotmentRefused as error:
            dates = _refused_dates(error)
            message = str(error) or _("These dates cannot take the allotment.")
            if dates and not all(day in message for day in dates):
                message = f"{message} {', '.join(dates)}"
            form.add_error(None, message)
            return self.form_invalid(form)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        except LockTimeout as error:
            form.add_error(None, str(getattr(error, "message", "")) or _("The dates are busy: please try again."))
            return self.form_invalid(form)
        messages.success(self.request, _("Allotment created: %(allotment)s.") % {"allotment": self.object})
        return redirect("trade_allotments:detail", self.object.pk)


def allotment_figures(allotment: Allotment) -> dict:
    """Places allotted, used by bookings and still held: trade.allotments.allotment_usage, named for the page."""
    from .allotments import allotment_usage

    usage = allotment_usage(allotment=allotment)
    return {"allotted": usage["allotted"], "used": usage["booked"], "held": usage["held"]}


class AllotmentDetailView(StaffFormView):
    """What an allotment holds and what the partner used of it; releasing gives every unbooked place back."""

    model = Allotment
    permission = "trade.change_allotment"
    index_url_name = "trade_allotments:index"
    template_name = "trade/admin/allotment_detail.html"
    form_class = ConfirmForm
    page_title = gettext_lazy("Allotment")
    header_icon = "calendar"

    def get_queryset(self):
        return Allotment.objects.select_related("contract__partner", "service__operator")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = allotment_figures(self.object)
        return context

    def form_valid(self, form):
        from .allotments import allotment_release

        if self.object.status != Allotment.Status.ACTIVE:
            messages.info(self.request, _("This allotment was already released."))
            return redirect("trade_allotments:detail", self.object.pk)
        try:
            allotment_release(allotment=self.object)
        except LockTimeout as error:
            messages.error(self.request, str(getattr(error, "message", "")) or _("Busy: please try again."))
            return redirect("trade_allotments:detail", self.object.pk)
        messages.success(self.request, _("Released: the unbooked places are back on general sale."))
        return redirect("trade_allotments:detail", self.object.pk)


# Trade bookings

ACTIVE_BOOKINGS = (TradeBooking.Status.CONFIRMED, TradeBooking.Status.PENDING, TradeBooking.Status.ON_HOLD)


class TradeBookingFilterSet(WagtailFilterSet):
    partner = django_filters.ModelChoiceFilter(label=gettext_lazy("Partner"), queryset=TradePartner.objects.all())
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=TradeBooking.Status.choices)
    starts_on = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = TradeBooking
        fields = ["partner", "status", "starts_on"]


class TradeBookingIndexView(IndexView):
    """Bookings are made by partners (portal, API): staff read them and cancel one on a partner's behalf."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner", "package", "service")

    def get_edit_url(self, instance):
        return reverse("trade_bookings:detail", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        return [ListingButton(_("Details and cancel"), url=self.get_edit_url(instance), icon_name="view", priority=10)]


class TradeBookingDetailView(StaffFormView):
    model = TradeBooking
    permission = "trade.change_tradebooking"
    index_url_name = "trade_bookings:index"
    template_name = "trade/admin/booking_detail.html"
    form_class = ConfirmForm
    page_title = gettext_lazy("Trade booking")
    header_icon = "clipboard-list"

    def get_queryset(self):
        return TradeBooking.objects.select_related("partner", "contract", "package", "service", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parts"] = self.object.parts.select_related("service__operator", "redeemed_by").order_by(
            "date", "start_time"
        )
        context["can_cancel"] = self.object.status in ACTIVE_BOOKINGS
        if context["can_cancel"]:
            from .bookings import trade_cancellation_fee

            context["fee"] = trade_cancellation_fee(booking=self.object)
        return context

    def form_valid(self, form):
        from .bookings import TradeRefused, trade_cancel

        if self.object.status not in ACTIVE_BOOKINGS:
            messages.info(self.request, _("This booking is not active any more."))
            return redirect("trade_bookings:detail", self.object.pk)
        try:
            trade_cancel(booking=self.object, by=self.request.user)
        except (TradeRefused, ValidationError) as error:
            messages.error(self.request, getattr(error, "message", None) or " ".join(getattr(error, "messages", [])))
            return redirect("trade_bookings:detail", self.object.pk)
        except LockTimeout as error:
            messages.error(self.request, str(getattr(error, "message", "")) or _("Busy: please try again."))
            return redirect("trade_bookings:detail", self.object.pk)
        messages.success(
            self.request, _("Booking %(code)s cancelled on the partner's behalf.") % {"code": self.object.code}
        )
        return redirect("trade_bookings:detail", self.object.pk)


# The partners' figures


class PartnerFiguresFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=TradePartner.Status.choices)
    country = django_filters.ChoiceFilter(label=gettext_lazy("Country"), choices=country_choices)
    # The bookings' travel dates: read by the view, not a filter of the partners.
    period = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Travel dates"), widget=DateRangePickerWidget, method="keep_partners"
    )

    class Meta:
        model = TradePartner
        fields = ["status", "country"]

    def keep_partners(self, queryset, name, value):
        return queryset


def _money_sum(expression, condition):
    return Coalesce(
        Sum(expression, filter=condition),
        Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def partner_figures(*, partners, start: dt.date | None = None, end: dt.date | None = None) -> list[dict]:
    """Per partner, for bookings travelling between `start` and `end`: bookings and places (confirmed and
    pending), revenue at net (confirmed net amounts plus cancellation fees), allotment places allotted and
    used. A fixed number of queries for the partners, then one small query set per active allotment."""
    dates = Q()
    if start:
        dates &= Q(bookings__starts_on__gte=start)
    if end:
        dates &= Q(bookings__starts_on__lte=end)
    active = dates & Q(bookings__status__in=[TradeBooking.Status.CONFIRMED, TradeBooking.Status.PENDING])
    rows = list(
        partners.annotate(
            booking_count=Count("bookings", filter=active, distinct=True),
            net_confirmed=_money_sum("bookings__net_amount", dates & Q(bookings__status=TradeBooking.Status.CONFIRMED)),
            fees=_money_sum("bookings__cancellation_fee", dates & Q(bookings__status=TradeBooking.Status.CANCELLED)),
        )
    )
    part_dates = Q()
    if start:
        part_dates &= Q(booking__starts_on__gte=start)
    if end:
        part_dates &= Q(booking__starts_on__lte=end)
    places = dict(
        TradeBookingPart.objects.filter(
            part_dates, booking__partner__in=[r.pk for r in rows],
            booking__status__in=[TradeBooking.Status.CONFIRMED, TradeBooking.Status.PENDING],
        ).values_list("booking__partner").annotate(n=Sum("places")).values_list("booking__partner", "n")
    )  # fmt: skip
    allotments: dict[int, dict] = {}
    allotment_rows = Allotment.objects.filter(contract__partner__in=[r.pk for r in rows]).select_related("contract")
    if start:
        allotment_rows = allotment_rows.filter(ends_on__gte=start)
    if end:
        allotment_rows = allotment_rows.filter(starts_on__lte=end)
    for allotment in allotment_rows:
        figures = allotment_figures(allotment)
        totals = allotments.setdefault(allotment.contract.partner_id, {"allotted": 0, "used": 0})
        totals["allotted"] += figures["allotted"]
        totals["used"] += figures["used"]
    result = []
    for row in rows:
        quota = allotments.get(row.pk, {"allotted": 0, "used": 0})
        result.append({
            "partner": row, "bookings": row.booking_count, "places": places.get(row.pk, 0),
            "revenue_net": row.net_confirmed + row.fees, "allotted": quota["allotted"], "allotment_used": quota["used"],
        })  # fmt: skip
    return result


class PartnerFiguresView(ReportView):
    """Volume, revenue at net and allotment use per partner (Wagtail's report pattern: filters, and the
    same figures as CSV or XLSX)."""

    page_title = gettext_lazy("Partners' figures")
    header_icon = "table"
    index_url_name = "trade_figures:index"
    index_results_url_name = "trade_figures:results"
    filterset_class = PartnerFiguresFilterSet
    paginate_by = 100
    list_export = ["partner", "bookings", "places", "revenue_net", "allotted", "allotment_used"]
    export_headings = {
        "partner": gettext_lazy("Partner"),
        "bookings": gettext_lazy("Bookings"),
        "places": gettext_lazy("Places"),
        "revenue_net": gettext_lazy("Revenue at net (EUR)"),
        "allotted": gettext_lazy("Allotment places"),
        "allotment_used": gettext_lazy("Allotment places used"),
    }

    @cached_property
    def columns(self):
        return [Column(name, label=label, accessor=lambda row, name=name: row[name]) for name, label in
                self.export_headings.items()]  # fmt: skip

    def dispatch(self, request, *args, **kwargs):
        _require(request, "trade.view_tradebooking")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """The travel dates chosen in the filter; this year when none is given."""
        today = dt.date.today()
        chosen = None
        if self.filters is not None and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("period")
        if not chosen or (chosen.start is None and chosen.stop is None):
            return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        return chosen.start, chosen.stop

    def get_queryset(self):
        return TradePartner.objects.exclude(status=TradePartner.Status.PENDING).order_by("legal_name")

    def get_filtered_queryset(self):
        start, end = self.period
        return partner_figures(partners=self.filter_queryset(self.get_queryset()), start=start, end=end)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        return context

    def to_row_dict(self, item):
        return {**item, "partner": item["partner"].legal_name}
