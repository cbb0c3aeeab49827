"""The partner portal: home, availability grid, booking on account, bookings, statements.

Thin views over trade's services (grid, bookings, statements, documents). Object permissions: every
booking is looked up through the request's partner (`self.partner.bookings`), so another partner's
booking is a 404 and nothing changes. Anonymous visitors are sent to the login; a user who works for
no partner gets a 404; a member of a partner that is not approved sees only its status.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from marketplace.core.csv_export import csv_writer
from marketplace.core.dates import local_today
from operators.models import Service
from operators.pricing import Party
from packages.models import Package
from packages.products import Bookable

from .bookings import (
    TradeRefused,
    TradeRequest,
    trade_amend,
    trade_book,
    trade_cancel,
    trade_cancellation_fee,
    trade_quote,
)
from .contracts import contract_covers, partner_contracts_in_force
from .documents import statement_csv, statement_pdf, trade_voucher_pdf
from .forms_portal import AmendForm, BookingForm, BookingSearchForm, GridForm, MonthForm
from .grid import GridFilters, trade_grid
from .models import Allotment, TradeBooking, TradePartner
from .partners import partner_for_user
from .statements import partner_open_balance, partner_statement

Status = TradeBooking.Status
ACTIVE = (Status.CONFIRMED, Status.PENDING, Status.ON_HOLD)


class PortalMixin(LoginRequiredMixin):
    """`self.partner` of the request's user; 404 for a user without one; the status page when the
    partner may not book."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = partner_for_user(request.user)
        if membership is None:
            raise Http404("not a partner user")
        self.membership, self.partner = membership, membership.partner
        if self.partner.status != TradePartner.Status.APPROVED:
            return render(request, "trade/portal_inactive.html", {"partner": self.partner}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(partner=self.partner, membership=self.membership)
        return context

    def booking(self, uuid) -> TradeBooking:
        return get_object_or_404(
            TradeBooking.objects.select_related("contract", "partner", "package", "service"),
            partner=self.partner,
            uuid=uuid,
        )


class PortalHomeView(PortalMixin, TemplateView):
    template_name = "trade/portal_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = local_today()
        soon = today + dt.timedelta(days=30)
        allotments = list(
            Allotment.objects.filter(contract__partner=self.partner, status=Allotment.Status.ACTIVE, ends_on__gte=today)
            .select_related("service")
            .order_by("starts_on")
        )
        releasing = []
        for a in allotments:
            next_date = max(a.starts_on, today + dt.timedelta(days=a.release_days))
            release_on = next_date - dt.timedelta(days=a.release_days)
            if next_date <= a.ends_on and release_on <= soon:
                releasing.append({"allotment": a, "date": next_date, "release_on": release_on})
        bookings = self.partner.bookings.select_related("package", "service")
        context.update(
            contracts=partner_contracts_in_force(partner=self.partner, on=today),
            pending=bookings.filter(status__in=(Status.PENDING, Status.ON_HOLD)).order_by("starts_on")[:20],
            upcoming=bookings.filter(status=Status.CONFIRMED, starts_on__gte=today).order_by("starts_on")[:10],
            releasing=releasing,
            open_balance=partner_open_balance(partner=self.partner),
        )
        return context


def _party_query(party: Party) -> dict:
    return {
        "adults": party.adults,
        "children_ages": ", ".join(str(a) for a in party.children_ages),
        "infants": party.infants,
    }


def _cell_labels() -> dict[str, str]:
    return {
        "free": _("free"), "freesale": _("free sale"), "allot": _("allot."), "sold_out": _("Sold out"),
        "closed": _("Closed"), "not_priced": _("no rate"), "book": _("Book"),
    }  # fmt: skip


def _cells_html(row, book_path: str, party_query: str, labels: dict[str, str]) -> str:
    """A grid row's cells, built here rather than by the template engine: 56 days × 50 products are
    2,800 cells, and a template loop over them costs more than the grid's queries (bench_trade_grid)."""
    title = escape(row.item.title)
    out = []
    for cell in row.cells:
        if cell.bookable:
            free = labels["freesale"] if cell.free is None else f"{cell.free} {labels['free']}"
            allot = f"<br>{cell.allotment} {labels['allot']}" if cell.allotment else ""
            day = cell.day.isoformat()
            href = escape(f"{book_path}?on={day}&{party_query}")
            out.append(
                f'<td class="text-center table-success p-1"><a href="{href}" aria-label="{labels["book"]} {title} '
                f'{day}"><strong>{cell.net_label}&nbsp;€</strong><br><span class="text-dark">{free}{allot}</span></a></td>'
            )
        elif cell.status == "sold_out":
            out.append(f'<td class="text-center table-danger p-1">{labels["sold_out"]}</td>')
        elif cell.status == "not_covered":
            out.append('<td class="text-center p-1">–</td>')
        elif cell.status == "not_priced":
            out.append(f'<td class="text-center p-1">{labels["not_priced"]}</td>')
        else:
            out.append(f'<td class="text-center table-secondary p-1">{labels["closed"]}</td>')
    return mark_safe("".join(out))


class GridView(PortalMixin, TemplateView):
    template_name = "trade/portal_grid.html"

    def get_context_data(self, **kwargs):
        from certifications.selectors import scheme_from_filter, scheme_qs_filterable

        context = super().get_context_data(**kwargs)
        schemes = list(scheme_qs_filterable())
        today = local_today()
        data = self.request.GET.copy()
        for name, value in (("adults", "2"), ("weeks", "2"), ("start", today.isoformat())):
            if not data.get(name):
                data[name] = value
        form = GridForm(data, schemes=schemes)
        start, weeks, party, filters = today, 2, Party(adults=2), GridFilters()
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            start = data.get("start") or today
            weeks = data.get("weeks") or 2
            party = data.get("party") or party
            filters = GridFilters(
                area=data.get("area") or "",
                kind=data.get("kind") or "",
                theme=data.get("theme") or "",
                label=scheme_from_filter(slug=data.get("label")) if data.get("label") else None,
            )
        days = weeks * 7
        rows = trade_grid(partner=self.partner, start=start, days=days, party=party, filters=filters)
        labels = _cell_labels()
        for row in rows:
            row.cells_html = _cells_html(
                row, reverse("trade:book", args=[row.item.key]), urlencode(_party_query(party)), labels
            )
        base = {k: v for k, v in self.request.GET.items() if k != "start"} if form.is_valid() else {}
        base.update(_party_query(party), weeks=weeks)
        book_query = urlencode(_party_query(party))
        dates = [start + dt.timedelta(days=n) for n in range(days)]
        context.update(
            form=form,
            rows=rows,
            dates=dates,
            start=start,
            party=party,
            book_query=book_query,
            prev_url="?" + urlencode({**base, "start": (start - dt.timedelta(days=7)).isoformat()}),
            next_url="?" + urlencode({**base, "start": (start + dt.timedelta(days=7)).isoformat()}),
        )
        return context


def product_from_key(key: str):
    """'package-12' / 'service-7' → the Package or Service (404 for anything else)."""
    kind, _sep, pk = (key or "").partition("-")
    if not pk.isdigit():
        raise Http404("no such product")
    if kind == "package":
        return get_object_or_404(Package, pk=int(pk), status=Package.Status.PUBLISHED)
    if kind == "service":
        return get_object_or_404(Service.objects.select_related("operator"), pk=int(pk), is_active=True)
    raise Http404("no such product")


class BookView(PortalMixin, View):
    """Book a product on account: check the price (the quote) first, then confirm it."""

    template_name = "trade/portal_book.html"

    def setup_product(self, request, key):
        self.product = product_from_key(key)
        self.item = (
            Bookable(package=self.product) if isinstance(self.product, Package) else Bookable(service=self.product)
        )
        # a product no contract of the partner ever covers is not the partner's to see
        contracts = self.partner.contracts.filter(valid_to__gte=local_today())
        if not any(contract_covers(contract=c, product=self.item) for c in contracts):
            raise Http404("not covered")

    def form(self, data=None, on=None):
        start_times = self.item.start_times(on) if on else []
        extras = [c for c in self.item.components() if c.is_optional]
        return BookingForm(data, start_times=start_times, extras=extras, initial=self.initial())

    def initial(self):
        get = self.request.GET
        initial = {"on": get.get("on", ""), "adults": get.get("adults", 2), "infants": get.get("infants", 0)}
        initial["children_ages"] = get.get("children_ages", "")
        return initial

    def _on(self, value):
        try:
            return dt.date.fromisoformat(value or "")
        except ValueError:
            return None

    def render_page(self, form, quote=None, status=200):
        context = {
            "partner": self.partner,
            "membership": self.membership,
            "item": self.item,
            "form": form,
            "quote": quote,
            "product_key": self.item.key,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, key):
        self.setup_product(request, key)
        return self.render_page(self.form(on=self._on(request.GET.get("on"))))

    def post(self, request, key):
        self.setup_product(request, key)
        form = self.form(request.POST, on=self._on(request.POST.get("on")))
        if not form.is_valid():
            return self.render_page(form, status=400)
        data = form.cleaned_data
        trade_request = TradeRequest(
            product=self.item,
            on=data["on"],
            party=data["party"],
            start_time=data.get("start_time"),
            extras=data.get("extras") or (),
            lead_first_name=data["lead_first_name"],
            lead_last_name=data["lead_last_name"],
            lead_email=data.get("lead_email") or "",
            lead_phone=data.get("lead_phone") or "",
            travellers=data.get("travellers") or (),
            partner_reference=data.get("partner_reference") or "",
            notes=data.get("notes") or "",
        )
        try:
            if request.POST.get("action") != "book":
                quote = trade_quote(partner=self.partner, request=trade_request)
                return self.render_page(form, quote=quote)
            booking = trade_book(partner=self.partner, user=request.user, request=trade_request)
        except TradeRefused as refusal:
            form.add_error(None, refusal.message)
            return self.render_page(form, status=400)
        if booking.status == Status.PENDING:
            messages.info(request, _("Booking %(code)s is on request: we will tell you the operator's answer.") % {
                "code": booking.code})  # fmt: skip
        else:
            messages.success(request, _("Booking %(code)s is confirmed.") % {"code": booking.code})
        return redirect("trade:booking-detail", uuid=booking.uuid)


def _search(partner: TradePartner, form: BookingSearchForm):
    bookings = partner.bookings.select_related("package", "service").order_by("-starts_on", "-pk")
    if not form.is_valid():
        return bookings
    data = form.cleaned_data
    q = (data.get("q") or "").strip()
    if q:
        words = Q(code__iexact=q) | Q(partner_reference__icontains=q) | Q(lead_last_name__icontains=q)
        words |= Q(lead_first_name__icontains=q) | Q(travellers__icontains=q)
        bookings = bookings.filter(words)
    if data.get("date_from"):
        bookings = bookings.filter(starts_on__gte=data["date_from"])
    if data.get("date_to"):
        bookings = bookings.filter(starts_on__lte=data["date_to"])
    if data.get("status"):
        bookings = bookings.filter(status=data["status"])
    return bookings


class BookingListView(PortalMixin, TemplateView):
    template_name = "trade/portal_bookings.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        form = BookingSearchForm(request.GET or None)
        bookings = _search(self.partner, form)
        if request.GET.get("format") == "csv":
            return self.csv(bookings)
        page = Paginator(bookings, self.paginate_by).get_page(request.GET.get("page"))
        query = {k: v for k, v in request.GET.items() if k != "page"}
        return self.render_to_response(
            self.get_context_data(form=form, page_obj=page, bookings=page.object_list, query=urlencode(query))
        )

    def csv(self, bookings):
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow([_("Booking code"), _("Your reference"), _("Date"), _("Departure"), _("Product"),
                         _("Lead traveller"), _("Travellers"), _("Party"), _("Status"), _("Net (EUR)"),
                         _("Cancellation fee (EUR)")])  # fmt: skip
        for b in bookings:
            writer.writerow([
                b.code, b.partner_reference, b.starts_on.isoformat(),
                b.start_time.strftime("%H:%M") if b.start_time else "", str(b.product),
                f"{b.lead_first_name} {b.lead_last_name}", "; ".join(b.travellers or ()),
                Party.from_dict(b.party).size, b.get_status_display(), b.net_amount, b.cancellation_fee or "",
            ])  # fmt: skip
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="bookings.csv"'
        return response


class BookingDetailView(PortalMixin, TemplateView):
    template_name = "trade/portal_booking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = self.booking(kwargs["uuid"])
        context.update(
            booking=booking,
            party=Party.from_dict(booking.party),
            parts=booking.parts.select_related("service", "operator").order_by("date", "start_time", "pk"),
            may_amend=booking.contract.amendments_allowed and booking.status in ACTIVE,
            may_cancel=booking.status in ACTIVE,
        )
        return context


class BookingAmendView(PortalMixin, View):
    template_name = "trade/portal_amend.html"

    def page(self, booking, form, status=200):
        context = {"partner": self.partner, "booking": booking, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def refuse_if_closed(self, booking):
        if not booking.contract.amendments_allowed or booking.status not in ACTIVE:
            messages.error(self.request, _("This booking cannot be changed."))
            return redirect("trade:booking-detail", uuid=booking.uuid)
        return None

    def get(self, request, uuid):
        booking = self.booking(uuid)
        closed = self.refuse_if_closed(booking)
        if closed:
            return closed
        party = Party.from_dict(booking.party)
        initial = {
            **_party_query(party),
            "lead_first_name": booking.lead_first_name,
            "lead_last_name": booking.lead_last_name,
            "travellers": "\n".join(booking.travellers or ()),
            "partner_reference": booking.partner_reference,
        }
        return self.page(booking, AmendForm(initial=initial))

    def post(self, request, uuid):
        booking = self.booking(uuid)
        closed = self.refuse_if_closed(booking)
        if closed:
            return closed
        form = AmendForm(request.POST)
        if not form.is_valid():
            return self.page(booking, form, status=400)
        data = form.cleaned_data
        try:
            trade_amend(
                booking=booking,
                by=request.user,
                party=data["party"],
                lead_first_name=data["lead_first_name"],
                lead_last_name=data["lead_last_name"],
                travellers=data["travellers"],
                partner_reference=data["partner_reference"],
            )
        except TradeRefused as refusal:
            form.add_error(None, refusal.message)
            return self.page(booking, form, status=400)
        messages.success(request, _("Booking %(code)s is changed.") % {"code": booking.code})
        return redirect("trade:booking-detail", uuid=booking.uuid)


class BookingCancelView(PortalMixin, View):
    """GET: the fee that cancelling now costs, and a button; POST: cancel."""

    def get(self, request, uuid):
        booking = self.booking(uuid)
        if booking.status not in ACTIVE:
            return redirect("trade:booking-detail", uuid=booking.uuid)
        fee = trade_cancellation_fee(booking=booking)
        context = {"partner": self.partner, "booking": booking, "fee": fee}
        return render(request, "trade/portal_cancel.html", context)

    def post(self, request, uuid):
        booking = self.booking(uuid)
        try:
            booking = trade_cancel(booking=booking, by=request.user)
        except TradeRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Booking %(code)s is cancelled; fee charged: %(fee)s €.")
                % {"code": booking.code, "fee": booking.cancellation_fee or 0},
            )
        return redirect("trade:booking-detail", uuid=booking.uuid)


class BookingVoucherView(PortalMixin, View):
    def get(self, request, uuid):
        booking = self.booking(uuid)
        if booking.status not in (Status.CONFIRMED, Status.CANCELLED, Status.PENDING):
            raise Http404("no voucher for this booking")
        response = HttpResponse(trade_voucher_pdf(booking=booking), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="voucher-{booking.code}.pdf"'
        return response


class StatementView(PortalMixin, TemplateView):
    template_name = "trade/portal_statement.html"

    def get(self, request, *args, **kwargs):
        form = MonthForm(request.GET or None)
        month = local_today().replace(day=1)
        if form.is_bound and form.is_valid() and form.cleaned_data["month"]:
            month = form.cleaned_data["month"]
        statement = partner_statement(partner=self.partner, month=month)
        fmt = request.GET.get("format")
        if fmt == "csv":
            out = io.StringIO()
            statement_csv(statement=statement, file=out)
            response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="statement-{month:%Y-%m}.csv"'
            return response
        if fmt == "pdf":
            response = HttpResponse(statement_pdf(statement=statement), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="statement-{month:%Y-%m}.pdf"'
            return response
        prev_month = (month - dt.timedelta(days=1)).replace(day=1)
        next_month = (month + dt.timedelta(days=32)).replace(day=1)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                statement=statement,
                month=month,
                month_value=f"{month:%Y-%m}",
                prev_month=f"{prev_month:%Y-%m}",
                next_month=f"{next_month:%Y-%m}",
            )
        )
