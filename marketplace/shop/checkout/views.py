"""Checkout without shipping: travellers instead of an address, then Stripe (or the demo method).

Oscar's flow is kept (gateway -> shipping-address -> shipping-method -> payment-method ->
payment-details -> preview/place order -> thank-you); for products that need no shipping Oscar
already skips the address and records "no shipping required". We insert the travellers step, take
payment in `handle_payment` through marketplace.payments.services, and let the payment service place
the order (on Stripe's confirmation, or at once for the demo method).
"""

import stripe
from django import http
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.exceptions import FailedPreCondition, PassedSkipCondition
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import RedirectRequired, UnableToTakePayment

from marketplace.bookings.handlers import LineUnavailable
from marketplace.bookings.services import booking_lines_prepare
from marketplace.payments.exceptions import LockTimeout, PaymentError
from marketplace.payments.models import Payment
from marketplace.payments.services import (
    payment_abandon,
    payment_demo_create,
    payment_intent_create,
    payment_sync_from_stripe,
)
from marketplace.payments.stripe_client import stripe_enabled
from packages.order_lines import basket_party

from .forms import GatewayForm, TravellersForm

TRAVELLERS_NS = "travellers"
PAYMENT_NS = "payment"


class TravellersMixin:
    """Checkout-session storage of the travellers and of the payment in progress."""

    def get_travellers(self) -> dict | None:
        return self.checkout_session._get(TRAVELLERS_NS, "data")

    def check_travellers_are_captured(self, request):
        if not self.get_travellers():
            raise FailedPreCondition(url=reverse("checkout:travellers"), message=_("Please tell us who is travelling."))

    def check_lines_are_bookable(self, request):
        """The booking handlers' `prepare` hook: take or refresh holds, refuse what cannot be held."""
        try:
            booking_lines_prepare(basket=request.basket)
        except LineUnavailable as exc:
            raise FailedPreCondition(url=reverse("basket:summary"), message=exc.message) from exc

    def get_session_payment(self) -> Payment | None:
        reference = self.checkout_session._get(PAYMENT_NS, "reference")
        return Payment.objects.filter(reference=reference).first() if reference else None

    def send_order_placed_email(self, order):
        """The payment service queued the confirmation email (Celery) when it placed the order."""


class IndexView(oscar_views.IndexView):
    form_class = GatewayForm
    success_url = reverse_lazy("checkout:travellers")

    def get_form_kwargs(self):
        # The gateway's "returning customer" password goes through authenticate(): with the request, the
        # login lockout counts it like every other login form (marketplace/core/accounts.py).
        return super().get_form_kwargs() | {"request": self.request}


class ShippingAddressView(oscar_views.ShippingAddressView):
    """Reached only through Oscar's links (e.g. after registering): our products ship nothing."""

    def skip_unless_basket_requires_shipping(self, request):
        if not request.basket.is_shipping_required():
            raise PassedSkipCondition(url=reverse("checkout:travellers"))


class TravellersView(TravellersMixin, oscar_views.CheckoutSessionMixin, generic.FormView):
    template_name = "oscar/checkout/travellers.html"
    form_class = TravellersForm
    # Oscar's shipping-method step records "no shipping required" and moves on to payment.
    success_url = reverse_lazy("checkout:shipping-method")
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid", "check_user_email_is_captured"]

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"party": basket_party(self.request.basket)}

    def get_initial(self):
        stored = self.get_travellers()
        if stored:
            return stored | {"other_travellers": "\n".join(stored["other_travellers"]), "accept_policy": False}
        user = self.request.user
        if user.is_authenticated:
            return {"lead_first_name": user.first_name, "lead_last_name": user.last_name}
        return {}

    def form_valid(self, form):
        data = form.cleaned_data
        self.checkout_session._set(
            TRAVELLERS_NS,
            "data",
            {
                "lead_first_name": data["lead_first_name"],
                "lead_last_name": data["lead_last_name"],
                "lead_phone": data["lead_phone"],
                "country": data["country"],
                "other_travellers": data["other_travellers"],
                "policy_accepted_at": timezone.now().isoformat(),
            },
        )
        return super().form_valid(form)


class PaymentMethodView(TravellersMixin, oscar_views.PaymentMethodView):
    pre_conditions = [*oscar_views.PaymentMethodView.pre_conditions, "check_travellers_are_captured"]


class PaymentDetailsView(TravellersMixin, oscar_views.PaymentDetailsView):
    """The last page before paying: what is booked, who travels, and the one payment button.

    The button posts to Oscar's preview URL with action=place_order, so Oscar's `submit` runs
    (order number, basket frozen, error handling) and calls `handle_payment` below.
    """

    pre_conditions = [*oscar_views.PaymentDetailsView.pre_conditions, "check_travellers_are_captured"]
    _payment: Payment | None = None

    def get_pre_conditions(self, request):
        conditions = super().get_pre_conditions(request)
        if request.method == "GET":
            conditions = [*conditions, "check_lines_are_bookable"]
        return conditions

    def skip_unless_payment_is_required(self, request):
        """Never skip to Oscar's preview: our details page is the review, even for a free basket."""

    def get(self, request, *args, **kwargs):
        if self.preview:  # we have no separate preview page: the details page is the review
            return redirect("checkout:payment-details")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["travellers"] = self.get_travellers()
        ctx["stripe_enabled"] = stripe_enabled()
        return ctx

    def handle_payment(self, order_number, total, **kwargs):
        request = self.request
        start = payment_intent_create if stripe_enabled() else payment_demo_create
        try:
            payment = start(
                basket=request.basket,
                user=request.user,
                guest_email=self.checkout_session.get_guest_email() or "",
                order_number=order_number,
                travellers=self.get_travellers(),
            )
        except LineUnavailable as exc:
            raise UnableToTakePayment(exc.message) from exc
        except (PaymentError, LockTimeout) as exc:
            raise UnableToTakePayment(str(exc)) from exc
        self.checkout_session._set(PAYMENT_NS, "reference", str(payment.reference))
        if payment.method == Payment.Method.STRIPE:
            raise RedirectRequired(reverse("checkout:card-payment"))
        self._payment = payment

    def handle_order_placement(self, order_number, user, basket, *args, **kwargs):
        """The demo payment placed the order already (payments service); show it."""
        payment = self._payment
        if payment is None or payment.order is None:
            raise UnableToPlaceOrder(
                _("Your booking could not be confirmed: %(reason)s. Nothing has been charged.")
                % {"reason": payment.failure_reason if payment else "-"}
            )
        return self.handle_successful_order(payment.order)


class CardPaymentView(TravellersMixin, oscar_views.CheckoutSessionMixin, generic.TemplateView):
    """Stripe's Payment Element for the payment in progress; Stripe.js confirms it in the browser."""

    template_name = "oscar/checkout/card_payment.html"

    def get(self, request, *args, **kwargs):
        payment = self.get_session_payment()
        if payment is None:
            return redirect("basket:summary")
        if payment.status != Payment.Status.PENDING or payment.method != Payment.Method.STRIPE:
            return redirect("checkout:payment-return")
        return self.render_to_response(
            self.get_context_data(
                payment=payment,
                stripe_publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
                return_url=request.build_absolute_uri(reverse("checkout:payment-return")),
            )
        )


class PaymentReturnView(TravellersMixin, oscar_views.OrderPlacementMixin, generic.TemplateView):
    """Where Stripe sends the browser back: show the order, a failure, or "confirming…" until the webhook."""

    template_name = "oscar/checkout/payment_pending.html"

    def get(self, request, *args, **kwargs):
        payment = self.get_session_payment()
        if payment is None:
            return redirect("basket:summary")
        try:
            payment = payment_sync_from_stripe(payment=payment)
        except (stripe.StripeError, LockTimeout):  # Stripe unreachable or row busy: the webhook confirms it
            payment.refresh_from_db()
        if payment.status == Payment.Status.SUCCEEDED and payment.order_id:
            return self.handle_successful_order(payment.order)
        if payment.status == Payment.Status.PENDING:
            return self.render_to_response(self.get_context_data(payment=payment))
        self.checkout_session._unset(PAYMENT_NS, "reference")
        self.restore_frozen_basket()
        if payment.status == Payment.Status.FAILED:
            messages.error(request, _("The payment did not go through and nothing was booked. Please try again."))
            return redirect("checkout:payment-details")
        messages.error(
            request,
            _("We could not confirm your booking, so nothing was booked; any amount taken has been refunded."),
        )
        return redirect("basket:summary")


class PaymentCancelView(TravellersMixin, oscar_views.OrderPlacementMixin, generic.View):
    """The customer leaves the card page: the payment is abandoned and the basket is theirs again."""

    def post(self, request, *args, **kwargs):
        payment = self.get_session_payment()
        if payment is None:
            return redirect("basket:summary")
        try:
            payment = payment_abandon(payment=payment, reason="cancelled by the customer")
        except (stripe.StripeError, LockTimeout):
            messages.error(request, _("The payment could not be cancelled right now. Please try again."))
            return redirect("checkout:card-payment")
        if payment.status == Payment.Status.SUCCEEDED and payment.order_id:
            return self.handle_successful_order(payment.order)
        self.checkout_session._unset(PAYMENT_NS, "reference")
        self.restore_frozen_basket()
        messages.info(request, _("Payment cancelled: nothing was charged. Your basket is as you left it."))
        return redirect("basket:summary")

    def get(self, request, *args, **kwargs):
        return http.HttpResponseNotAllowed(["POST"])
