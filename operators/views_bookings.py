"""The operator's day in the operator area: the landing dashboard, the bookings of every channel,
the day's manifest and the check-in of a voucher. Views stay thin: a form says what was asked, the
selectors in operators/bookings.py answer, operators/checkin.py writes the check-in.

Every row comes from the operator's own parts (operators.channels providers filter by operator), so
there is no id of another operator's booking to tamper with; a voucher of another operator's booking
answers "not for your services" and nothing more.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from marketplace.core.dates import local_today

from .bookings import booking_csv_rows, day_manifest, manifest_csv_rows, operator_booking_rows
from .channels import channel_waiting_count
from .checkin import CheckInRefused, voucher_check_in
from .forms_bookings import BookingFilterForm, CheckInForm, ManifestForm
from .home_cards import home_cards
from .selectors import operator_active_holds, operator_services
from .views import OperatorAreaMixin

REFUSALS = {
    "empty": lambda: _("Type the voucher's code or scan its QR code."),
    "unknown": lambda: _("No booking has this code. Check it and try again."),
    "not_yours": lambda: _("This voucher is not for your services."),
}


PHONE_LIKE = re.compile(r"[+-][\d\s().-]*")


def spreadsheet_safe(value):
    """A cell a spreadsheet program shows as text, never runs: guests' names and notes come from
    partners' systems too, and "=HYPERLINK(…)" in a name must not become a formula on the operator's
    computer (CSV injection). Phone numbers ("+39 0583 …") and plain numbers are left alone."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "=@\t\r" or (value[0] in "+-" and not PHONE_LIKE.fullmatch(value)):
        return "'" + value
    return value


def csv_response(rows, filename: str) -> HttpResponse:
    """A CSV download (UTF-8 with a BOM, so spreadsheet programs read accents right), every cell safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


class OperatorHomeView(OperatorAreaMixin, TemplateView):
    """The landing dashboard: who arrives today and tomorrow, what waits for an answer, and the cards
    other apps add (the month's money, labels about to expire)."""

    template_name = "operators/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = local_today()
        context["arrivals"] = [
            (label, day, day_manifest(operator=self.operator, day=day))
            for label, day in ((_("Today"), today), (_("Tomorrow"), today + dt.timedelta(days=1)))
        ]
        context["services"] = operator_services(operator=self.operator)
        context["waiting_count"] = channel_waiting_count(operator=self.operator)
        context["cards"] = home_cards(operator=self.operator, user=self.request.user, today=today)
        return context


class BookingListView(OperatorAreaMixin, TemplateView):
    """Every channel's bookings of the operator's services, filtered, paginated, or as CSV."""

    template_name = "operators/booking_list.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        self.form = BookingFilterForm(request.GET or None, operator=self.operator)
        self.filters = self.form.filters()
        self.rows = operator_booking_rows(operator=self.operator, filters=self.filters)
        if request.GET.get("format") == "csv":
            name = f"bookings-{self.operator.slug}-{self.filters.start}-{self.filters.end}.csv"
            return csv_response(booking_csv_rows(self.rows), name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.rows, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(form=self.form, filters=self.filters, page_obj=page, bookings=page.object_list,
                       holds=operator_active_holds(operator=self.operator)[:50])  # fmt: skip
        return context


class ManifestView(OperatorAreaMixin, TemplateView):
    """Who is coming on a day (a service, a departure): printable, big enough for a phone outdoors."""

    template_name = "operators/manifest.html"

    def get(self, request, *args, **kwargs):
        self.form = ManifestForm(request.GET or None, operator=self.operator)
        day, service_id, start_time = self.form.choice()
        self.manifest = day_manifest(operator=self.operator, day=day, service_id=service_id, start_time=start_time)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = self.manifest.day
        context.update(form=self.form, manifest=self.manifest, previous=day - dt.timedelta(days=1),
                       next=day + dt.timedelta(days=1), today=local_today())  # fmt: skip
        return context


class ManifestCsvView(ManifestView):
    def render_to_response(self, context, **response_kwargs):
        return csv_response(manifest_csv_rows(self.manifest), f"manifest-{self.operator.slug}-{self.manifest.day}.csv")


class CheckInView(OperatorAreaMixin, TemplateView):
    """Scan or type a voucher's code: the operator's parts of that booking for today are marked used
    (operators.checkin); the answer says who and what, or when and by whom it was already used."""

    template_name = "operators/checkin.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CheckInForm())
        context["today"] = local_today()
        return context

    def post(self, request, *args, **kwargs):
        form = CheckInForm(request.POST)
        context = {"form": form}
        if form.is_valid():
            try:
                outcome = voucher_check_in(operator=self.operator, raw_code=form.cleaned_data["code"],
                                           by=request.user, now=timezone.now())  # fmt: skip
            except CheckInRefused as refused:
                context["refusal"] = REFUSALS[refused.reason]()
            else:
                context["outcome"] = outcome
                context["form"] = CheckInForm()  # ready for the next guest
        return self.render_to_response(self.get_context_data(**context))
