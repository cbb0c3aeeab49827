"""The partner portal (/<lang>/trade/): home, availability grid, booking, bookings, statements.

Thin views: a form, one service or selector call, errors as form errors or messages. Every booking is
looked up through the request's partner (`self.partner`), so another partner's URL is a 404 and changes
nothing. Partners that are not approved see their status and nothing else (PortalMixin).
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from certifications.selectors import scheme_from_filter, scheme_qs_filterable
from marketplace.core.dates import bounded_month, local_today
from marketplace.core.money import format_money
from operators.models import Service
from operators.pricing import Party
from packages.models import Package
from packages.products import Bookable
from packages.selectors import DayStatus

from .bookings import TradeRefused, TradeRequest, trade_amend, trade_book, trade_cancel, trade_cancellation_fee
from .contracts import partner_contracts_in_force
from .documents import statement_columns, statement_csv, statement_pdf, statement_rows, trade_voucher_pdf
from .forms_portal import AmendForm, BookingForm, BookingSearchForm, GridForm
from .models import Allotment, TradeBooking, TradePartner
from .selectors import GridFilters, partner_bookings, trade_grid
from .statements import partner_open_balance, partner_statement
from .views_account import PartnerAccountMixin

GRID_PAGE = 40  # products per grid page: constant queries whatever the page size


class PortalMixin(PartnerAccountMixin):
    """The partner of the request; only approved partners reach the pages (others see their status)."""

    def render(self, template: str, **context):
        context.update(partner=self.partner, membership=self.membership, is_admin=self.is_admin)
        return render(self.request, template, context)

    def inactive(self):
        return self.render("trade/portal_inactive.html")

    def booking(self, uuid) -> TradeBooking:
        return get_object_or_404(
            TradeBooking.objects.select_related("contract", "partner", "package", "service"),
            uuid=uuid,
            partner=self.partner,
        )

    def get(self, request, *args, **kwargs):
        if self.partner.status != TradePartner.Status.APPROVED:
            return self.inactive()
        return self.on_get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.partner.status != TradePartner.Status.APPROVED:
            return self.inactive()
        return self.on_post(request, *args, **kwargs)

    def on_post(self, request, *args, **kwargs):
        return HttpResponse(status=405)


class HomeView(PortalMixin, View):
    def on_get(self, request):
        today = local_today()
        contracts = partner_contracts_in_force(partner=self.partner, on=today)
        pending = partner_bookings(partner=self.partner, status=TradeBooking.Status.PENDING)[:10]
        upcoming = partner_bookings(partner=self.partner, status=TradeBooking.Status.CONFIRMED, date_from=today)
        allotments = Allotment.objects.filter(
            contract__partner=self.partner, status=Allotment.Status.ACTIVE, ends_on__gte=today
        ).select_related("service", "contract")
        credit = next((c.credit_limit for c in contracts if c.credit_limit is not None), None)
        return self.render(
            "trade/portal_home.html",
            contracts=contracts,
            pending=pending,
            upcoming=upcoming.order_by("starts_on")[:10],
            allotments=allotments,
            balance=partner_open_balance(partner=self.partner),
            credit_limit=credit,
        )


class GridView(PortalMixin, View):
    """Products down, days across; no JavaScript: filters and week arrows are plain links and a GET form."""

    def on_get(self, request):
        form = GridForm(request.GET or None, schemes=scheme_qs_filterable())
        today = local_today()
        start = max(form.value("start", today), today)
        weeks = form.value("weeks", 2)
        adults = form.value("adults", 2)
        contract = partner_contracts_in_force(partner=self.partner, on=start).first()
        rows, page = [], None
        if contract is not None:
            filters = GridFilters(
                area=form.value("area", ""),
                kind=form.value("kind", ""),
                theme=form.value("theme", ""),
                scheme=scheme_from_filter(slug=form.value("label", "")),
            )
            rows = trade_grid(
                partner=self.partner, contract=contract, start=start, days=weeks * 7, party=Party(adults=adults),
                filters=filters,
            )  # fmt: skip
            page = Paginator(rows, GRID_PAGE).get_page(request.GET.get("page"))
            rows = [(row, _cells_html(row, reverse("trade:book", args=[row.item.key]), adults)) for row in page]
        query = request.GET.copy()
        query.pop("page", None)
        links = {}
        for name, day in (("previous", start - dt.timedelta(days=7)), ("next", start + dt.timedelta(days=7))):
            if name == "previous" and start <= today:
                continue
            query["start"] = max(day, today).isoformat()
            links[name] = f"?{query.urlencode()}"
        days = [start + dt.timedelta(days=n) for n in range(weeks * 7)]
        return self.render(
            "trade/portal_grid.html", form=form, rows=rows, page=page, days=days, contract=contract, links=links,
            adults=adults, start=start,
        )  # fmt: skip


def _cells_html(row, book_path: str, adults: int) -> str:
    """A grid row's cells, built here rather than by the template engine: 50 products × 56 days are
    2,800 cells, and a template loop over them costs more than all the grid's queries
    (bench/bench_trade_grid.py)."""
    title = escape(row.item.title)
    free_sale, full, book, left = _("free sale"), _("full"), _("Book"), _("left in your allotment")
    out = []
    for cell in row.cells:
        if cell.status == DayStatus.AVAILABLE:
            free = free_sale if cell.free is None else str(cell.free)
            allotment = (
                f' <span class="badge badge-info" title="{left}">+{cell.allotment}</span>' if cell.allotment else ""
            )
            href = f"{book_path}?date={cell.date.isoformat()}&amp;adults={adults}"
            out.append(
                f'<td class="text-center table-success"><a href="{href}" aria-label="{book} {title} '
                f'{date_format(cell.date, "j F")}">{free}{allotment}<br>{escape(format_money(cell.net))}</a></td>'
            )
        elif cell.status == DayStatus.SOLD_OUT:
            out.append(f'<td class="text-center text-muted">{full}</td>')
        else:
            out.append('<td class="text-center text-muted">–</td>')
    return mark_safe("".join(out))  # every value above is escaped (the title) or ours


def _product(key: str) -> Bookable:
    kind, _sep, pk = key.partition("-")
    if not pk.isdigit():
        raise Http404
    if kind == "package":
        return Bookable(package=get_object_or_404(Package, pk=int(pk), status=Package.Status.PUBLISHED))
    if kind == "service":
        return Bookable(service=get_object_or_404(Service.objects.select_related("operator"), pk=int(pk)))
    raise Http404


class BookView(PortalMixin, View):
    """Book one product on account. GET ?date=… pre-fills the form from the grid's cell."""

    def _form(self, item: Bookable, data=None, initial=None):
        day = None
        raw = (data or initial or {}).get("date")
        try:
            day = dt.date.fromisoformat(str(raw)) if raw else None
        except ValueError:
            day = None
        departures = item.start_times(day) if day else []
        extras = [c for c in item.components() if c.is_optional]
        return BookingForm(data, initial=initial, departures=departures, extras=extras)

    def on_get(self, request, product):
        item = _product(product)
        initial = {"date": request.GET.get("date", ""), "adults": request.GET.get("adults") or 2,
                   "guest_country": self.partner.country}  # fmt: skip
        return self.render("trade/portal_book.html", item=item, form=self._form(item, initial=initial))

    def on_post(self, request, product):
        item = _product(product)
        form = self._form(item, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            booking_request = TradeRequest(
                product=item, on=data["date"], party=form.party(), start_time=data.get("start_time"),
                extras=form.extras() if "extra" in form.fields else (), lead_first_name=data["lead_first_name"],
                lead_last_name=data["lead_last_name"], lead_email=data.get("lead_email", ""),
                lead_phone=data.get("lead_phone", ""), travellers=tuple(data.get("travellers") or ()),
                partner_reference=data.get("partner_reference", ""), notes=data.get("notes", ""),
                guest_country=data.get("guest_country", ""),
            )  # fmt: skip
            try:
                booking = trade_book(partner=self.partner, user=request.user, request=booking_request)
            except TradeRefused as refused:
                form.add_error(None, refused.message)
            else:
                if booking.status == TradeBooking.Status.PENDING:
                    messages.info(
                        request, _("Booking %(code)s is waiting for the operator's answer.") % {"code": booking.code}
                    )
                else:
                    messages.success(request, _("Booking %(code)s is confirmed.") % {"code": booking.code})
                return redirect("trade:booking-detail", booking.uuid)
        return self.render("trade/portal_book.html", item=item, form=form)


class BookingListView(PortalMixin, View):
    def on_get(self, request):
        form = BookingSearchForm(request.GET or None)
        filters = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {"query": data.get("q", ""), "status": data.get("status", ""), "date_from": data.get("date_from"),
                       "date_to": data.get("date_to")}  # fmt: skip
        bookings = partner_bookings(partner=self.partner, **filters)
        if request.GET.get("format") == "csv":
            return _bookings_csv(bookings)
        page = Paginator(bookings, 25).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render("trade/portal_bookings.html", form=form, page=page, query=query.urlencode())


def _bookings_csv(bookings) -> HttpResponse:
    from marketplace.core.csv_export import csv_writer

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bookings.csv"'
    writer = csv_writer(response)
    writer.writerow([_("Booking code"), _("Your reference"), _("Product"), _("Date"), _("Departure"),
                     _("Lead traveller"), _("Travellers"), _("Status"), _("Net (EUR)"), _("Booked on")])  # fmt: skip
    for b in bookings:
        writer.writerow([
            b.code, b.partner_reference, str(b.product), b.starts_on.isoformat(),
            b.start_time.strftime("%H:%M") if b.start_time else "", f"{b.lead_first_name} {b.lead_last_name}",
            "; ".join(b.travellers or []), b.get_status_display(), b.net_amount,
            timezone.localtime(b.created_at).date().isoformat(),
        ])  # fmt: skip
    return response


class BookingDetailView(PortalMixin, View):
    def on_get(self, request, uuid):
        booking = self.booking(uuid)
        return self.render(
            "trade/portal_booking.html", booking=booking, parts=booking.parts.select_related("service", "operator"),
            fee=trade_cancellation_fee(booking=booking),
        )  # fmt: skip


class BookingAmendView(PortalMixin, View):
    def _initial(self, booking):
        party = booking.party
        return {
            "adults": party.get("adults", 1), "children_ages": ", ".join(str(a) for a in party.get("children_ages", [])),
            "infants": party.get("infants", 0), "lead_first_name": booking.lead_first_name,
            "lead_last_name": booking.lead_last_name, "lead_email": booking.lead_email, "lead_phone": booking.lead_phone,
            "travellers": "\n".join(booking.travellers or []), "partner_reference": booking.partner_reference,
            "notes": booking.notes, "guest_country": booking.guest_country,
        }  # fmt: skip

    def on_get(self, request, uuid):
        booking = self.booking(uuid)
        return self.render("trade/portal_amend.html", booking=booking, form=AmendForm(initial=self._initial(booking)))

    def on_post(self, request, uuid):
        booking = self.booking(uuid)
        form = AmendForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                trade_amend(
                    booking=booking, by=request.user, party=form.party(), lead_first_name=data["lead_first_name"],
                    lead_last_name=data["lead_last_name"], lead_email=data.get("lead_email", ""),
                    lead_phone=data.get("lead_phone", ""), travellers=data.get("travellers") or [],
                    partner_reference=data.get("partner_reference", ""), notes=data.get("notes", ""),
                    guest_country=data.get("guest_country", ""),
                )  # fmt: skip
            except TradeRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Booking %(code)s is updated.") % {"code": booking.code})
                return redirect("trade:booking-detail", booking.uuid)
        return self.render("trade/portal_amend.html", booking=booking, form=form)


class BookingCancelView(PortalMixin, View):
    """GET: the fee this cancellation costs, and a button; POST: cancel."""

    def on_get(self, request, uuid):
        booking = self.booking(uuid)
        return self.render("trade/portal_cancel.html", booking=booking, fee=trade_cancellation_fee(booking=booking))

    def on_post(self, request, uuid):
        booking = self.booking(uuid)
        try:
            booking = trade_cancel(booking=booking, by=request.user)
        except TradeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Booking %(code)s is cancelled. Cancellation fee: %(fee)s.")
                % {"code": booking.code, "fee": format_money(booking.cancellation_fee or 0)},
            )
        return redirect("trade:booking-detail", booking.uuid)


class BookingVoucherView(PortalMixin, View):
    def on_get(self, request, uuid):
        booking = self.booking(uuid)
        if booking.status not in (TradeBooking.Status.CONFIRMED, TradeBooking.Status.PENDING):
            raise Http404
        response = HttpResponse(trade_voucher_pdf(booking=booking), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="voucher-{booking.code}.pdf"'
        return response


class StatementView(PortalMixin, View):
    """?month=YYYY-MM (default: this month); ?format=csv or pdf downloads it."""

    def on_get(self, request):
        today = local_today()
        month = today.replace(day=1)
        raw = request.GET.get("month", "")
        if raw:
            try:
                year, number = (int(x) for x in raw.split("-"))
            except ValueError:
                year = number = 0
            month = bounded_month(year, number) or month
            if bounded_month(year, number) is None:
                messages.error(request, _("Choose a month such as %(example)s.") % {"example": today.strftime("%Y-%m")})
        statement = partner_statement(partner=self.partner, month=month)
        name = f"statement-{self.partner.slug}-{month:%Y-%m}"
        if request.GET.get("format") == "csv":
            buffer = io.StringIO()
            statement_csv(statement, buffer)
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if request.GET.get("format") == "pdf":
            response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
            return response
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = (month + dt.timedelta(days=32)).replace(day=1)
        return self.render(
            "trade/portal_statement.html", statement=statement, columns=statement_columns(),
            rows=statement_rows(statement), month=month, previous=previous, following=following,
            base=reverse("trade:statement"),
        )  # fmt: skip
