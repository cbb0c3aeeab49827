"""Thin views: parse, call one service or selector, map domain errors to messages or status codes."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core import signing
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.apps.order.models import Order

from certifications.selectors import labels_for_subjects, scheme_qs_filterable
from marketplace.core.csv_export import csv_writer
from marketplace.core.dates import bounded_month, local_today
from marketplace.core.json_ld import item_list, json_ld_script
from marketplace.core.money import format_money
from marketplace.payments.exceptions import PaymentError
from operators.exceptions import LockTimeout
from operators.models import Operator
from operators.selectors import operator_for_user

from .forms import AddPackageForm, OrderCancelConfirmForm, OrderCancelForm, PackageCatalogueForm
from .models import Package, PackageBooking, PackagePhoto
from .order_lines import order_refund_rules
from .pages import package_page
from .pricing import package_components
from .selectors import PackageUnavailable, package_catalogue_areas, package_qs_catalogue
from .services import (
    package_basket_add,
    package_basket_refresh,
    package_free_cancellation_days,
    package_order_cancel_by_customer,
    package_order_refund,
)
from .statements import operator_statement, statement_csv_rows
from .voucher import booking_voucher_pdf

CANCEL_SALT = "packages.order-cancel"


def order_cancel_link_until(order) -> dt.date | None:
    """The last day the signed cancel link works: the first departure of the order's packages (after it
    the trip has begun and there is nothing left to cancel online)."""
    first = PackageBooking.objects.filter(order_line__order=order).order_by("starts_on").first()
    return first.starts_on if first else None


def order_cancel_token(order) -> str:
    """The signed part of the cancel link in the confirmation email: works without an account (guest
    orders) until `order_cancel_link_until`, and only with the lead traveller's surname or the order's
    email (OrderCancelConfirmForm)."""
    until = order_cancel_link_until(order) or local_today()
    return signing.dumps({"order": order.number, "until": until.isoformat()}, salt=CANCEL_SALT)


class PackageBookingBoxView(View):
    """The package page's booking box alone (party, calendar, extras, total) for the GET parameters the
    page takes: the page's script swaps it in place when the visitor picks a day, a party, an extra or
    a month, so nothing reloads. The same template and the same `package_page` as the full page (one
    code path), whose links and forms stay the fallback without JavaScript."""

    def get(self, request, pk):
        package = get_object_or_404(Package, pk=pk, status=Package.Status.PUBLISHED, product__isnull=False)
        page = package_page(package=package, data=request.GET)
        response = render(request, "packages/_package_booking.html", {"page": page, "package": package})
        response["Cache-Control"] = "no-store"  # live availability and prices
        return response


class PackageBasketAddView(View):
    """Add a package for a date, a party and the ticked optional extras to the basket, holding the
    places of all of them; "Book now" (action=book) does the same and goes straight to the checkout.

    The same form's "update the total" button (action=update) only sends the customer back to the
    page with the ticked extras, so the total shown follows the ticks without JavaScript. A refusal
    (sold out meanwhile, a party the package cannot take) goes back to the page with the visitor's
    choices and the reason, and holds nothing (package_basket_add is one transaction)."""

    def post(self, request, pk):
        package = get_object_or_404(Package, pk=pk, status=Package.Status.PUBLISHED, product__isnull=False)
        fields = [(k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", "action")
                  for v in values]  # fmt: skip
        back = package.product.get_absolute_url() + "?" + urlencode(fields) + "#package-booking"
        if request.POST.get("action") == "update":
            return HttpResponseRedirect(back)
        optional = [c for c in package_components(package=package) if c.is_optional]
        form = AddPackageForm(request.POST, extras=optional)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(back)
        try:
            package_basket_add(
                basket=request.basket,
                package=package,
                on=form.cleaned_data["date"],
                party=form.party(),
                extras=form.extras(),
                start_time=form.cleaned_data.get("start_time"),
            )
        except PackageUnavailable as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        except LockTimeout as exc:
            messages.error(request, str(exc.message))
            return HttpResponseRedirect(back)
        messages.success(request, _("%(title)s is in your basket: places are held for you.") % {"title": package.title})
        if request.POST.get("action") == "book":
            return redirect("checkout:index")
        return redirect("basket:summary")


class PackageBasketRefreshView(View):
    """Re-take the holds of basket lines whose holds expired ("keep my places")."""

    def post(self, request):
        try:
            problems = package_basket_refresh(basket=request.basket)
        except LockTimeout as exc:
            messages.error(request, str(exc.message))
            return redirect("basket:summary")
        for message in problems.values():
            messages.error(request, message)
        if not problems:
            messages.success(request, _("Your places are held again."))
        return redirect("basket:summary")


class _OrderCancelMixin:
    """The cancel page: per booking the rule that applies today and its refund, then a form that must
    be ticked (and, from the emailed link, answered) before anything is cancelled."""

    template_name = "packages/order_cancel.html"
    form_class = OrderCancelForm

    def render_page(self, request, order, action_url, form=None, status=200):
        context = {"order": order, "rules": order_refund_rules(order=order), "refund": package_order_refund(order=order),
                   "action_url": action_url, "form": form or self.form_class(order=order)}  # fmt: skip
        return render(request, self.template_name, context, status=status)

    def cancel(self, request, order, back_url):
        try:
            refund = package_order_cancel_by_customer(order=order)
        except PackageUnavailable as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back_url)
        except LockTimeout as exc:
            messages.error(request, str(exc.message))
            return HttpResponseRedirect(back_url)
        except PaymentError as exc:  # the refund at Stripe failed after the cancellation was committed
            messages.error(request, _("Your booking is cancelled; the refund will follow shortly. %(e)s") % {"e": exc})
            return HttpResponseRedirect(back_url)
        messages.success(
            request, _("Your booking is cancelled. Refund: %(amount)s.") % {"amount": format_money(refund)}
        )
        return HttpResponseRedirect(back_url)

    def post_cancel(self, request, order):
        """Cancel only with the form's confirmation; otherwise the page again, saying why, nothing changed."""
        form = self.form_class(request.POST, order=order)
        if not form.is_valid():
            return self.render_page(request, order, request.path, form=form, status=400)
        return self.cancel(request, order, request.path)


class OrderCancelView(LoginRequiredMixin, _OrderCancelMixin, View):
    """The customer's own order (account): only its owner finds it, any other number is a 404."""

    def get_order(self, request, number):
        return get_object_or_404(Order, number=number, user=request.user)

    def get(self, request, number):
        order = self.get_order(request, number)
        return self.render_page(request, order, request.path)

    def post(self, request, number):
        return self.post_cancel(request, self.get_order(request, number))


class OrderCancelSignedView(_OrderCancelMixin, View):
    """The same page reached from the signed link of the confirmation email (guests too): it works until
    the first departure and asks for the lead traveller's surname or the order's email, so a forwarded
    or leaked link alone cancels nothing."""

    form_class = OrderCancelConfirmForm

    def get_order(self, token):
        try:
            data = signing.loads(token, salt=CANCEL_SALT)
        except signing.BadSignature:
            raise Http404 from None
        order = get_object_or_404(Order, number=data.get("order"))
        try:
            expired = dt.date.fromisoformat(data["until"]) < local_today()
        except (KeyError, TypeError, ValueError):  # links signed before they had an end
            expired = True
        return order, expired

    def expired(self, request):
        return render(request, "packages/order_cancel_expired.html", status=410)

    def get(self, request, token):
        order, expired = self.get_order(token)
        if expired:
            return self.expired(request)
        return self.render_page(request, order, request.path)

    def post(self, request, token):
        order, expired = self.get_order(token)
        if expired:
            return self.expired(request)
        return self.post_cancel(request, order)


def _voucher_response(order) -> HttpResponse:
    """The order's travel voucher (packages.voucher) in the visitor's language, as a download."""
    if not PackageBooking.objects.filter(order_line__order=order).exists():
        raise Http404
    response = HttpResponse(booking_voucher_pdf(order=order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="voucher-{order.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


class OrderVoucherView(View):
    """The voucher of an account's own order: any other order, or no login, is a 404 (not a login
    page that would tell an order number exists)."""

    def get(self, request, number):
        if not request.user.is_authenticated:
            raise Http404
        return _voucher_response(get_object_or_404(Order, number=number, user=request.user))


class OrderVoucherGuestView(View):
    """A guest order's voucher through Oscar's hashed order link, like its order-status page: the hash
    alone is not enough (links get forwarded); the browser must also be the one that placed the order
    (the checkout's session) or have given the order's email on the status page (Oscar's session key).
    Anything else is a 404."""

    def get(self, request, number, hash):
        order = Order.objects.filter(number=number, user=None).first()
        if order is None or not order.check_verification_hash(hash):
            raise Http404
        placed_here = request.session.get("checkout_order_id") == order.pk
        email_given = (request.session.get("anon_order_email") or "").casefold() == (order.email or "").casefold()
        if not (placed_here or (order.email and email_given)):
            raise Http404
        return _voucher_response(order)


STATEMENT_PAST_YEARS = 10  # statements are accounting: kept reachable longer than booking dates


def _month(year: int, month: int) -> dt.date:
    first = bounded_month(year, month, past_years=STATEMENT_PAST_YEARS)
    if first is None:
        raise Http404
    return first


def _statement_response(operator, first: dt.date) -> HttpResponse:
    statement = operator_statement(operator=operator, month=first)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statement-{operator.slug}-{first:%Y-%m}.csv"'
    writer = csv_writer(response)
    for row in statement_csv_rows(statement=statement):
        writer.writerow(row)
    return response


class OperatorStatementView(LoginRequiredMixin, View):
    """The logged-in operator's own monthly statement: no operator id in the URL to tamper with."""

    def get(self, request, year, month):
        operator = operator_for_user(user=request.user)
        if operator is None:
            raise Http404
        return _statement_response(operator, _month(year, month))


class OperatorPartsView(LoginRequiredMixin, View):
    """The operator's package parts of one month (what to deliver, what it is owed) and the CSV link."""

    def get(self, request, year=None, month=None):
        operator = operator_for_user(user=request.user)
        if operator is None:
            raise Http404
        today = local_today()
        first = _month(year or today.year, month or today.month)
        statement = operator_statement(operator=operator, month=first)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        previous = bounded_month(previous.year, previous.month, past_years=STATEMENT_PAST_YEARS)  # None: no link
        following = bounded_month(following.year, following.month)
        context = {"operator": operator, "statement": statement, "previous": previous, "next": following}
        return render(request, "packages/operator_parts.html", context)


class StaffStatementView(LoginRequiredMixin, UserPassesTestMixin, View):
    """Any operator's statement, for DMC staff only."""

    def test_func(self):
        return self.request.user.is_staff

    def get(self, request, operator_id, year, month):
        operator = get_object_or_404(Operator, pk=operator_id)
        return _statement_response(operator, _month(year, month))


class PackageCatalogueView(ListView):
    """The shop's listing at /<lang>/shop/catalogue/, in place of Oscar's Haystack-backed CatalogueView.

    Mounted before Oscar's URLs with the same path, so `catalogue:index` still reverses here. Reads
    the database (no search index to keep in step): published packages, filtered by area, theme,
    label, duration and price, each card with its labels from one batch.
    """

    template_name = "packages/catalogue.html"
    context_object_name = "packages"
    paginate_by = 12

    def get_queryset(self):
        self.form = PackageCatalogueForm(
            self.request.GET or None, areas=package_catalogue_areas(), schemes=scheme_qs_filterable()
        )
        self.filters = self.form.filters() if self.form.is_bound else {}
        return package_qs_catalogue(**self.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_packages = list(context["packages"])
        prefetch_related_objects(page_packages, "cancellation_tiers")  # one query for the page's cards
        for package in page_packages:  # the annotated first photo's name, as a URL from its storage
            package.photo_url = PackagePhoto(image=package.first_photo).image.url if package.first_photo else ""
            package.free_cancellation_days = package_free_cancellation_days(tiers=package.cancellation_tiers.all())
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=self.form,
            packages=page_packages,
            labels=labels_for_subjects(subjects=page_packages),
            scheme=self.filters.get("scheme"),
            filtered=bool(self.filters),
            page_query=query.urlencode(),
            # The cards of this page as a schema.org ItemList (positions count from the listing's start).
            catalogue_json_ld=json_ld_script(
                item_list([p.get_absolute_url() for p in page_packages], start=context["page_obj"].start_index())
            ),
        )
        return context
