"""Oscar's order dashboard with the DMC's after-sale actions.

The order page (`dashboard:order-detail`) gains two order actions, posted like Oscar's own
(`order_action=staff_cancel` / `staff_refund`) and dispatched by Oscar's OrderDetailView:

- cancel: the form proposes what the package's cancellation policy allows today (tier, percent,
  amount per line); staff may change it up to what is left to refund and must say why. It goes
  through `order_staff_cancel`, the same path as the customer's own cancellation: places back,
  refund at Stripe (or recorded for the demo payment), the tourist and each operator emailed.
- refund: part of the money back by hand, the booking stays (`order_staff_refund`).

Each leaves a note on the order (who, when, why) and a payment event per refund. Oscar's own status
changes (order and line, here and in the order list) are taken away: with our pipeline their only
target is "Cancelled", which through Oscar would keep the places booked and refund nothing.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Min, OuterRef
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.views import sort_queryset

from marketplace.bookings.models import OrderTravellers
from marketplace.core.history import history_for
from marketplace.payments.exceptions import LockTimeout as PaymentLockTimeout
from marketplace.payments.exceptions import OrderAlreadyCancelled, PaymentError
from marketplace.payments.services import order_refundable, order_staff_cancel, order_staff_refund
from operators.exceptions import LockTimeout as CapacityLockTimeout
from packages.models import PackageBooking
from packages.selectors import order_package_bookings
from packages.services import package_order_refund_terms

from .forms import OrderSearchForm, StaffOrderCancelForm, StaffOrderRefundForm

# Refunds move money: the permission the DMC staff role has on payments (marketplace/core/roles.py).
REFUND_PERMISSION = "payments.change_payment"


def user_can_refund(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm(REFUND_PERMISSION)


class OrderListView(oscar_views.OrderListView):
    """Oscar's order list, with what staff look an order up by: the departure date (a column, sortable,
    and a from/to filter), the package, the lead traveller and the channel (see `order_rows`)."""

    actions = ("download_selected_orders",)  # no bulk status change: cancelling is one order at a time
    form_class = OrderSearchForm

    def get_queryset(self):
        # Oscar builds its filters on `self.base_queryset` (set in its dispatch): annotate it first, so every
        # branch (the order-number search replaces the queryset with a filtered base) keeps the departure.
        self.base_queryset = self.base_queryset.annotate(
            departure=Min("lines__package_booking__starts_on")
        ).select_related("travellers", "user")
        queryset = sort_queryset(super().get_queryset(), self.request, ["departure"])
        data = self.form.cleaned_data if self.form.is_valid() else {}
        start, end = data.get("departure_from"), data.get("departure_to")
        if start or end:
            leaving = PackageBooking.objects.filter(order_line__order=OuterRef("pk"))
            if start:
                leaving = leaving.filter(starts_on__gte=start)
            if end:
                leaving = leaving.filter(starts_on__lte=end)
            queryset = queryset.filter(Exists(leaving))
        return queryset

    def get_search_filter_descriptions(self):
        descriptions = super().get_search_filter_descriptions()
        data = getattr(self.form, "cleaned_data", None) or {}
        start, end = data.get("departure_from"), data.get("departure_to")
        if start or end:
            descriptions.append(
                _("Departure between %(start)s and %(end)s")
                % {
                    "start": date_format(start, "SHORT_DATE_FORMAT") if start else "…",
                    "end": date_format(end, "SHORT_DATE_FORMAT") if end else "…",
                }
            )
        return descriptions

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        orders = ctx["orders"]  # the page's queryset: evaluated once here, its cached rows are the template's
        rows = order_rows(orders)
        for order in orders:
            order.row = rows[order.pk]
        return ctx


def order_rows(orders) -> dict[int, dict]:
    """What the list shows of each order beyond Oscar's columns, keyed by order id, in one query for the
    page: its packages' titles and first day, the lead traveller (Oscar's list names the account or the
    guest's e-mail, not who travels), and the channel. Oscar's orders are the web shop's (trade partners'
    bookings live in the Trade menu), so the channel tells a guest checkout from a customer account."""
    orders = list(orders)
    packages: dict[int, list[str]] = {order.pk: [] for order in orders}
    for order_id, title in (
        PackageBooking.objects.filter(order_line__order__in=orders)
        .order_by("starts_on", "pk")
        .values_list("order_line__order_id", "package__title")
    ):
        if title not in packages[order_id]:
            packages[order_id].append(title)
    rows = {}
    for order in orders:
        travellers = getattr(order, "travellers", None)
        rows[order.pk] = {
            "packages": packages[order.pk],
            "lead": f"{travellers.lead_first_name} {travellers.lead_last_name}" if travellers else "",
            "channel": _("Web shop, guest") if order.guest_email or order.user_id is None else _("Web shop, account"),
        }
    return rows


class OrderDetailView(oscar_views.OrderDetailView):
    order_actions = ("save_note", "delete_note", "staff_cancel", "staff_refund")
    line_actions = ("create_shipping_event", "create_payment_event")

    # Context -------------------------------------------------------------------------------------

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.object
        ctx["travellers"] = OrderTravellers.objects.filter(order=order).first()
        ctx["package_bookings"] = order_package_bookings(order=order)
        ctx["can_refund"] = user_can_refund(self.request.user)
        ctx["history"] = history_for(objects=[order], tags={"order": order.pk})  # status, payments, refunds
        if ctx["can_refund"]:
            ctx["refundable"] = order_refundable(order=order)
            if order.status != "Cancelled":
                terms = package_order_refund_terms(order=order)
                ctx["refund_terms"] = terms
                ctx["refund_proposal"] = min(sum((t.amount for t in terms), Decimal("0.00")), ctx["refundable"])
                ctx.setdefault("cancel_form", self.get_cancel_form(initial={"refund_amount": ctx["refund_proposal"]}))
            ctx.setdefault("refund_form", self.get_refund_form())
        return ctx

    def get_order_note_form(self):
        """Oscar binds the note form to any POST; bind it only to its own action, so re-rendering the
        page after a refused cancel or refund does not show errors on an untouched note form."""
        if self.request.method == "POST" and self.request.POST.get("order_action") != "save_note":
            return oscar_views.OrderNoteForm(order=self.object, user=self.request.user)
        return super().get_order_note_form()

    def get_cancel_form(self, data=None, initial=None):
        return StaffOrderCancelForm(
            data=data, initial=initial, prefix="cancel", refundable=order_refundable(order=self.object)
        )

    def get_refund_form(self, data=None):
        return StaffOrderRefundForm(data=data, prefix="refund", refundable=order_refundable(order=self.object))

    # Order actions -------------------------------------------------------------------------------

    def staff_cancel(self, request, order):
        if not user_can_refund(request.user):
            raise PermissionDenied
        form = self.get_cancel_form(data=request.POST)
        if form.is_valid():
            try:
                refunded = order_staff_cancel(
                    order=order,
                    refund_amount=form.cleaned_data["refund_amount"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except (PaymentLockTimeout, CapacityLockTimeout):
                form.add_error(None, _("Someone else is changing this order right now: please try again."))
            except OrderAlreadyCancelled as exc:
                form.add_error(None, str(exc))
            except PaymentError as exc:
                order.refresh_from_db()
                if order.status != "Cancelled":  # refused before anything changed
                    form.add_error(None, str(exc))
                else:  # cancelled and places back, but Stripe refused the refund: retry it below
                    return self.reload_page(
                        error=_("The order is cancelled, but the refund failed: %(error)s Refund it by hand below.")
                        % {"error": exc}
                    )
            else:
                messages.success(
                    request,
                    _("Order %(number)s cancelled; %(amount)s %(currency)s refunded.")
                    % {"number": order.number, "amount": refunded, "currency": order.currency},
                )
                return self.reload_page()
        return self.render_to_response(self.get_context_data(cancel_form=form))

    def staff_refund(self, request, order):
        if not user_can_refund(request.user):
            raise PermissionDenied
        form = self.get_refund_form(data=request.POST)
        if form.is_valid():
            try:
                order_staff_refund(
                    order=order,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except PaymentLockTimeout:
                form.add_error(None, _("Someone else is changing this order right now: please try again."))
            except PaymentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(amount)s %(currency)s refunded on order %(number)s.")
                    % {"number": order.number, "amount": form.cleaned_data["amount"], "currency": order.currency},
                )
                return self.reload_page(fragment="payment")
        return self.render_to_response(self.get_context_data(refund_form=form, active_tab="payment"))
