"""Payments: create, confirm, fail, abandon, refund. The only code that talks to Stripe.

The order is placed when the money is confirmed: by the Stripe webhook (payment_confirm_from_event),
by the customer's return page asking Stripe (payment_sync_from_stripe), or at once for the demo
method. All three end in `_payment_succeed`, which locks the payment row and does nothing the second
time, so events arriving twice or out of order are harmless. Network calls to Stripe happen outside
the locked transactions (STYLE.md §6).
"""

import json
import logging
import uuid
from datetime import timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.apps.order.models import Order, OrderNote, PaymentEvent, PaymentEventType
from oscar.apps.payment.models import Source, SourceType

from marketplace.bookings.handlers import LineBusy, LineUnavailable
from marketplace.bookings.services import (
    basket_order_total,
    booking_lines_cancel,
    booking_lines_prepare,
    booking_lines_release,
    order_place,
)
from marketplace.bookings.tasks import order_send_confirmation as order_send_confirmation_task
from marketplace.bookings.tasks import order_send_refund_notice as order_send_refund_notice_task
from marketplace.core.money import money_round

from .exceptions import LockTimeout, OrderAlreadyCancelled, PaymentError
from .lock_objects import basket_lock, payment_lock
from .models import Payment, StripeEvent
from .stripe_client import amount_to_minor, stripe_client
from .tasks import payment_send_unbookable_notice as payment_send_unbookable_notice_task

logger = logging.getLogger(__name__)


# Starting a payment ---------------------------------------------------------------------------


def _payment_start(*, method: str, basket, user, guest_email: str, order_number: str, travellers: dict) -> Payment:
    """Hold the lines, freeze the basket and create our payment row for its current total.

    Raises LineUnavailable (nothing held, basket untouched) when a line cannot be booked, and
    PaymentError for a basket that was already ordered (a resubmitted form).
    """
    if basket.status not in (basket.OPEN, basket.FROZEN):
        raise PaymentError(_("This basket has already been ordered."))
    booking_lines_prepare(basket=basket)
    actor = user if user is not None and user.is_authenticated else None
    _method, _charge, total = basket_order_total(basket=basket, user=actor)
    with transaction.atomic(durable=True):
        # Re-check under the basket's row lock: a concurrent submission may have ordered it.
        locked = basket_lock(basket_id=basket.pk)
        if locked is None or locked.status not in (basket.OPEN, basket.FROZEN):
            raise PaymentError(_("This basket has already been ordered."))
        if locked.status == basket.OPEN:
            locked.freeze()
        basket.status = locked.status
        return Payment.objects.create(
            method=method,
            basket=basket,
            user=actor,
            guest_email="" if actor else guest_email,
            order_number=order_number,
            travellers=travellers,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            amount=total.incl_tax,
            currency=total.currency,
            idempotency_key=f"pi-{uuid.uuid4()}",
        )


def _basket_reopen(basket) -> None:
    """Give a frozen basket back to the customer, unless an order was placed from it meanwhile."""
    if basket is None or basket.status != basket.FROZEN:
        return
    if Order.objects.filter(basket=basket).exists():
        basket.submit()
    else:
        basket.thaw()


def payment_intent_create(*, basket, user, guest_email: str, order_number: str, travellers: dict) -> Payment:
    """Start a card payment: our row plus a Stripe PaymentIntent the Payment Element confirms.

    A second call for the same basket while its payment is still pending (double click, reload)
    returns the existing payment rather than opening a second PaymentIntent that could also be paid.
    """
    pending = Payment.objects.filter(basket=basket, method=Payment.Method.STRIPE, status=Payment.Status.PENDING).first()
    if pending is not None and pending.stripe_client_secret:
        return pending
    payment = _payment_start(
        method=Payment.Method.STRIPE,
        basket=basket,
        user=user,
        guest_email=guest_email,
        order_number=order_number,
        travellers=travellers,
    )
    params = {
        "amount": amount_to_minor(payment.amount),
        "currency": payment.currency.lower(),
        "automatic_payment_methods": {"enabled": True},
        "description": _("Order %(number)s") % {"number": payment.order_number},
        "metadata": {"payment_reference": str(payment.reference), "order_number": payment.order_number},
    }
    if payment.guest_email or (payment.user and payment.user.email):
        params["receipt_email"] = payment.guest_email or payment.user.email
    try:
        intent = stripe_client().v1.payment_intents.create(
            params=params, options={"idempotency_key": payment.idempotency_key}
        )
    except stripe.StripeError as exc:
        logger.error("Stripe refused a PaymentIntent for payment %s: %s", payment.pk, exc)
        _payment_close(payment_id=payment.pk, status=Payment.Status.FAILED, reason=str(exc)[:255])
        raise PaymentError(_("The payment could not be started. No money has been taken; please try again.")) from exc
    payment.stripe_payment_intent_id = intent["id"]
    payment.stripe_client_secret = intent["client_secret"]
    payment.save(update_fields=["stripe_payment_intent_id", "stripe_client_secret", "updated_at"])
    return payment


def payment_demo_create(*, basket, user, guest_email: str, order_number: str, travellers: dict) -> Payment:
    """The demo method (no STRIPE_SECRET_KEY): no money moves, the order is placed at once.

    It goes through the same start and succeed steps as a card payment, so the demo exercises the
    real booking path (holds, confirm hooks, emails).
    """
    if settings.STRIPE_SECRET_KEY:
        raise PaymentError(_("The demo payment is not available when card payments are configured."))
    payment = _payment_start(
        method=Payment.Method.DEMO,
        basket=basket,
        user=user,
        guest_email=guest_email,
        order_number=order_number,
        travellers=travellers,
    )
    return _payment_succeed(payment_id=payment.pk)


# Confirmation ---------------------------------------------------------------------------------


def _payment_succeed(*, payment_id: int) -> Payment:
    """Money is confirmed: place the order once. Idempotent.

    If the payment had been marked failed or abandoned (its holds released) and succeeds after all
    (the customer retried the card on the same page), the lines are prepared again first. A payment
    that cannot be booked any more is refunded in full. Places locked by another booking right now
    (LineBusy) are not "unbookable": nothing is changed and LockTimeout asks the caller to retry
    (Stripe's webhook answers 503), so a slow lock never refunds a customer and loses the sale.
    """
    payment = Payment.objects.get(pk=payment_id)
    unbookable = ""
    if payment.status in (Payment.Status.FAILED, Payment.Status.ABANDONED) and payment.basket is not None:
        try:
            booking_lines_prepare(basket=payment.basket)  # outside our transaction (docs/checkout.md)
        except LineBusy as exc:
            raise LockTimeout(f"payment {payment.pk}: {exc.message}") from exc
        except LineUnavailable as exc:
            unbookable = exc.message

    with transaction.atomic(durable=True):
        payment = payment_lock(payment_id=payment_id)
        if payment.status in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
            return payment
        # Two payments of one basket (a double submit) must not both place it: the basket row
        # serialises them, and the second sees it submitted and is refunded.
        basket = basket_lock(basket_id=payment.basket_id) if payment.basket_id else None
        if not unbookable and (basket is None or basket.status == basket.SUBMITTED):
            unbookable = "basket no longer exists"
        if not unbookable:
            try:
                order = order_place(
                    basket=basket,
                    user=payment.user,
                    guest_email=payment.guest_email,
                    order_number=payment.order_number,
                    travellers=payment.travellers,
                    language=payment.language,
                    expected_total=payment.amount,
                )
            except LineBusy as exc:  # places locked right now: roll back, the caller retries (webhook 503)
                raise LockTimeout(f"payment {payment.pk}: {exc.message}") from exc
            except LineUnavailable as exc:
                unbookable = exc.message
            except ValueError as exc:  # Oscar's OrderCreator: voucher no longer valid, number taken
                unbookable = str(exc)
        payment.status = Payment.Status.SUCCEEDED
        if unbookable:
            payment.failure_reason = f"paid but not bookable: {unbookable}"[:255]
            _basket_reopen(basket)
            payment.save(update_fields=["status", "failure_reason", "updated_at"])
        else:
            payment.order = order
            payment.failure_reason = ""
            payment.save(update_fields=["status", "order", "failure_reason", "updated_at"])
            source_type, _created = SourceType.objects.get_or_create(name=payment.get_method_display())
            Source.objects.create(
                order=order,
                source_type=source_type,
                currency=payment.currency,
                amount_allocated=payment.amount,
                amount_debited=payment.amount,
                reference=payment.stripe_payment_intent_id or str(payment.reference),
            )
            transaction.on_commit(lambda: order_send_confirmation_task.delay(order.pk))

    if unbookable:
        logger.warning("Payment %s succeeded but cannot be booked (%s): refunding", payment.pk, unbookable)
        if basket is not None:
            booking_lines_release(basket=basket)
        try:
            payment = payment_refund(payment=payment, amount=payment.amount)
        except PaymentError:
            logger.exception("Refund of unbookable payment %s failed: staff must refund it by hand", payment.pk)
        else:
            payment_id = payment.pk
            transaction.on_commit(lambda: payment_send_unbookable_notice_task.delay(payment_id))
    return payment


def _payment_close(*, payment_id: int, status: str, reason: str) -> Payment:
    """A pending payment failed or was abandoned: thaw the basket, then release its holds. Idempotent."""
    with transaction.atomic(durable=True):
        payment = payment_lock(payment_id=payment_id)
        if payment.status != Payment.Status.PENDING:
            return payment  # already succeeded (out-of-order failure event) or already closed
        payment.status = status
        payment.failure_reason = reason[:255]
        payment.save(update_fields=["status", "failure_reason", "updated_at"])
        basket = basket_lock(basket_id=payment.basket_id) if payment.basket_id else None
        _basket_reopen(basket)
    if basket is not None:
        booking_lines_release(basket=basket)
    return payment


def _payment_for_intent(intent) -> Payment | None:
    return Payment.objects.filter(stripe_payment_intent_id=intent["id"]).first()


def payment_confirm_from_event(*, event) -> Payment | None:
    """payment_intent.succeeded: place the order (once)."""
    payment = _payment_for_intent(event["data"]["object"])
    if payment is None:
        return None
    return _payment_succeed(payment_id=payment.pk)


def payment_fail_from_event(*, event) -> Payment | None:
    """payment_intent.payment_failed: nothing is placed, holds are released, the basket is usable again."""
    intent = event["data"]["object"]
    payment = _payment_for_intent(intent)
    if payment is None:
        return None
    error = intent.get("last_payment_error") or {}
    reason = error.get("message") or "payment failed"
    return _payment_close(payment_id=payment.pk, status=Payment.Status.FAILED, reason=reason)


def payment_refund_from_event(*, event) -> Payment | None:
    """charge.refunded: record refunds made elsewhere (Stripe dashboard) and tell the customer."""
    charge = event["data"]["object"]
    payment = Payment.objects.filter(stripe_payment_intent_id=charge.get("payment_intent")).first()
    if payment is None:
        return None
    refunded = money_round(Decimal(charge.get("amount_refunded", 0)) / 100)
    return _payment_record_refund(payment_id=payment.pk, refunded_total=refunded, reference=charge["id"], notify=True)


def payment_sync_from_stripe(*, payment: Payment) -> Payment:
    """Ask Stripe how a pending payment stands and act on it (return page, stale sweep).

    It is the same confirmation as the webhook's, read from Stripe's API instead of pushed, so the
    customer need not wait for the webhook and a lost webhook cannot leave a paid basket unbooked.
    """
    if payment.method != Payment.Method.STRIPE or payment.status != Payment.Status.PENDING:
        return payment
    intent = stripe_client().v1.payment_intents.retrieve(payment.stripe_payment_intent_id)
    if intent["status"] == "succeeded":
        return _payment_succeed(payment_id=payment.pk)
    if intent["status"] == "canceled":
        return _payment_close(payment_id=payment.pk, status=Payment.Status.ABANDONED, reason="canceled at Stripe")
    return payment


def payment_abandon(*, payment: Payment, reason: str = "abandoned") -> Payment:
    """The customer gave up (or never came back): cancel the PaymentIntent, release the holds.

    The PaymentIntent is cancelled first so it can no longer be paid; if Stripe refuses because it was
    paid in the meantime, the payment is confirmed instead.
    """
    if payment.status != Payment.Status.PENDING:
        return payment
    if payment.method == Payment.Method.STRIPE and payment.stripe_payment_intent_id:
        try:
            stripe_client().v1.payment_intents.cancel(payment.stripe_payment_intent_id)
        except stripe.StripeError:
            synced = payment_sync_from_stripe(payment=payment)
            if synced.status != Payment.Status.PENDING:
                return synced
            raise
    return _payment_close(payment_id=payment.pk, status=Payment.Status.ABANDONED, reason=reason)


def payment_abandon_stale(*, older_than: timedelta | None = None, limit: int = 100) -> int:
    """Abandon pending payments nobody finished; returns how many were looked at (bounded batch)."""
    if older_than is None:
        older_than = timedelta(minutes=settings.PAYMENT_ABANDON_MINUTES)
    cutoff = timezone.now() - older_than
    stale = list(Payment.objects.filter(status=Payment.Status.PENDING, created_at__lt=cutoff).order_by("pk")[:limit])
    for payment in stale:
        try:
            payment_abandon(payment=payment, reason="not completed in time")
        except (stripe.StripeError, LockTimeout):  # Stripe unreachable, or its slots locked right now
            logger.warning("Could not abandon payment %s now; next sweep retries", payment.pk)
    return len(stale)


# Refunds and cancellation ----------------------------------------------------------------------


REFUND_EVENT_CODE = "refund"


def refund_event_type() -> PaymentEventType:
    """Oscar's payment event type for refunds. Its name is data shown in the dashboard, stored once in
    the DMC's language like the other names Oscar keeps in the database (package_options)."""
    event_type, _created = PaymentEventType.objects.get_or_create(code=REFUND_EVENT_CODE, defaults={"name": "Rimborso"})
    return event_type


def _payment_record_refund(*, payment_id: int, refunded_total: Decimal, reference: str, notify: bool) -> Payment:
    """Raise amount_refunded to `refunded_total` (never lower it: our call and Stripe's event both report it)."""
    with transaction.atomic(durable=True):
        payment = payment_lock(payment_id=payment_id)
        increase = refunded_total - payment.amount_refunded
        if increase <= 0:
            return payment
        payment.amount_refunded = refunded_total
        if payment.amount_refunded >= payment.amount:
            payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["amount_refunded", "status", "updated_at"])
        if payment.order_id:
            source = payment.order.sources.first()
            if source is not None:
                source.refund(increase, reference=reference)
            # Every refund, wherever it was made (staff, the customer's cancellation, Stripe's own
            # dashboard), shows in the order's payment events in Oscar's dashboard.
            PaymentEvent.objects.create(
                order_id=payment.order_id, amount=increase, reference=reference[:128], event_type=refund_event_type()
            )
            if notify:
                order_id = payment.order_id
                transaction.on_commit(lambda: order_send_refund_notice_task.delay(order_id, str(increase)))
    return payment


def payment_refund(*, payment: Payment, amount: Decimal, notify: bool = True) -> Payment:
    """Refund `amount` of a paid payment (at Stripe for card payments; recorded only for the demo).

    The idempotency key is derived from what was refunded before, so a retried call after a crash
    returns Stripe's earlier refund instead of refunding twice.
    """
    amount = money_round(amount)
    payment.refresh_from_db()
    if payment.status not in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
        raise PaymentError(_("Only a completed payment can be refunded."))
    if amount <= 0 or amount > payment.amount - payment.amount_refunded:
        raise PaymentError(
            _("A refund must be more than zero and at most %(left)s.")
            % {"left": payment.amount - payment.amount_refunded}
        )
    reference = f"demo-refund-{payment.reference}"
    if payment.method == Payment.Method.STRIPE:
        try:
            refund = stripe_client().v1.refunds.create(
                params={
                    "payment_intent": payment.stripe_payment_intent_id,
                    "amount": amount_to_minor(amount),
                    "metadata": {"payment_reference": str(payment.reference)},
                },
                options={"idempotency_key": f"re-{payment.reference}-{payment.amount_refunded}-{amount}"},
            )
        except stripe.StripeError as exc:
            logger.error("Stripe refused a refund of %s on payment %s: %s", amount, payment.pk, exc)
            raise PaymentError(_("Stripe refused the refund: %(error)s") % {"error": exc.user_message or exc}) from exc
        reference = refund["id"]
    return _payment_record_refund(
        payment_id=payment.pk, refunded_total=payment.amount_refunded + amount, reference=reference, notify=notify
    )


def order_refundable(*, order) -> Decimal:
    """What can still be refunded on `order`: what was paid less what was already refunded."""
    payment = order.payments.filter(status__in=[Payment.Status.SUCCEEDED, Payment.Status.REFUNDED]).first()
    if payment is None:
        return Decimal("0.00")
    return payment.amount - payment.amount_refunded


def order_cancel(*, order, refund_amount: Decimal, user=None, note: str = "") -> bool:
    """Cancel a paid order: status, places back (cancel hooks), refund, one notice to the customer.

    The refund amount is the caller's decision (the packages' cancellation policy, or staff by hand).
    The cancellation is committed before the refund is sent, so a Stripe outage leaves a cancelled
    order whose refund staff can retry from the order's dashboard page, never a refund for a live
    order. `note` (who cancelled and why) is written on the order in the same transaction as the
    status, so Oscar's dashboard history tells who, when and why. Returns False, changing nothing,
    when the order was already cancelled (a second click, two staff at once).
    """
    with transaction.atomic(durable=True):
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == "Cancelled":
            return False
        order.set_status("Cancelled")
        booking_lines_cancel(order=order)
        if note:
            OrderNote.objects.create(order=order, user=user, note_type=OrderNote.SYSTEM, message=note)
    payment = order.payments.filter(status=Payment.Status.SUCCEEDED).first()
    if payment is not None and refund_amount > 0:
        payment_refund(payment=payment, amount=refund_amount, notify=False)
    refunded = str(money_round(refund_amount))
    transaction.on_commit(lambda: order_send_refund_notice_task.delay(order.pk, refunded))
    return True


def _staff_check(*, order, amount: Decimal, reason: str, allow_zero: bool) -> Decimal:
    """The rules both staff actions share; raises PaymentError (shown on the form), changes nothing."""
    if not reason.strip():
        raise PaymentError(_("Say why: the reason is written on the order."))
    amount = money_round(amount)
    left = order_refundable(order=order)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise PaymentError(_("The refund must be more than zero."))
    if amount > left:
        raise PaymentError(_("At most %(left)s can still be refunded on this order.") % {"left": left})
    return amount


def order_staff_cancel(*, order, refund_amount: Decimal, reason: str, user) -> Decimal:
    """DMC staff cancel an order and refund what they decide (the policy's proposal, lowered or
    raised up to what is left). The same path as the customer's cancellation (`order_cancel`): places
    back, refund, the tourist and each operator emailed; plus a note with who and why."""
    if order.status == "Cancelled":
        raise OrderAlreadyCancelled(_("This order is already cancelled."))
    amount = _staff_check(order=order, amount=refund_amount, reason=reason, allow_zero=True)
    note = _("Cancelled by staff (%(user)s), refund %(amount)s %(currency)s. Reason: %(reason)s") % {
        "user": user.get_username(),
        "amount": amount,
        "currency": order.currency,
        "reason": reason.strip(),
    }
    if not order_cancel(order=order, refund_amount=amount, user=user, note=note):
        raise OrderAlreadyCancelled(_("This order is already cancelled."))
    return amount


def order_staff_refund(*, order, amount: Decimal, reason: str, user) -> Payment:
    """DMC staff refund part of an order by hand; the booking stays. The tourist gets the refund
    notice; the note with who and why is written once the money has moved."""
    amount = _staff_check(order=order, amount=amount, reason=reason, allow_zero=False)
    payment = order.payments.filter(status__in=[Payment.Status.SUCCEEDED, Payment.Status.REFUNDED]).first()
    payment = payment_refund(payment=payment, amount=amount)
    OrderNote.objects.create(
        order=order,
        user=user,
        note_type=OrderNote.SYSTEM,
        message=_("Refunded by staff (%(user)s): %(amount)s %(currency)s. Reason: %(reason)s")
        % {"user": user.get_username(), "amount": amount, "currency": order.currency, "reason": reason.strip()},
    )
    return payment


# Webhook events -------------------------------------------------------------------------------

EVENT_HANDLERS = {
    "payment_intent.succeeded": payment_confirm_from_event,
    "payment_intent.payment_failed": payment_fail_from_event,
    "charge.refunded": payment_refund_from_event,
}


def stripe_event_construct(*, payload: bytes, signature: str) -> dict:
    """Verify the Stripe-Signature header and return the event as plain JSON.

    Raises ValueError (not JSON, or not shaped like an event) or stripe.SignatureVerificationError (wrong secret, tampered, older
    than Stripe's 300 s tolerance). The verified payload is handed on as a dict rather than Stripe's
    objects, which are no longer dicts: handlers and the stored copy read the JSON Stripe signed.
    """
    if not settings.STRIPE_WEBHOOK_SECRET:
        # With an empty secret anyone could sign an event: refuse rather than trust it.
        raise stripe.SignatureVerificationError("STRIPE_WEBHOOK_SECRET is not set", signature, payload)
    stripe.WebhookSignature.verify_header(
        payload, signature, settings.STRIPE_WEBHOOK_SECRET, stripe.Webhook.DEFAULT_TOLERANCE
    )  # only the signature: Stripe's own parsing raises AttributeError on a JSON that is not an object
    event = json.loads(payload)
    _stripe_event_check(event)
    return event


def _stripe_event_check(event) -> None:
    """Raise ValueError unless `event` has the shape the handlers and the StripeEvent row read.

    A correctly signed event can still be of a shape we do not expect (an API version we never saw, a
    test sent by hand from the dashboard): it is refused like an unreadable payload, with the reason
    logged, rather than raising a KeyError deep in a handler."""
    if not isinstance(event, dict):
        raise ValueError("the event is not a JSON object")
    for key, column in (("id", "id"), ("type", "type")):
        value = event.get(key)
        limit = StripeEvent._meta.get_field(column).max_length
        if not isinstance(value, str) or not value or len(value) > limit:
            raise ValueError(f"the event has no usable {key!r}")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise ValueError(f"event {event['id']} has no data.object with an id")
    if not isinstance(obj.get("amount_refunded", 0), int):
        raise ValueError(f"event {event['id']} has a data.object.amount_refunded that is not a whole number")


def stripe_event_process(*, event: dict) -> str:
    """Hand one verified event to its handler once; returns "processed", "duplicate" or "ignored".

    The StripeEvent row is written after the handler succeeded, so an event that failed (lock
    timeout, crash) is processed again when Stripe retries. Handlers are idempotent, so two deliveries
    racing past the duplicate check still place one order.
    """
    if StripeEvent.objects.filter(pk=event["id"]).exists():
        return "duplicate"
    handler = EVENT_HANDLERS.get(event["type"])
    payment = handler(event=event) if handler else None
    StripeEvent.objects.bulk_create(
        [StripeEvent(id=event["id"], type=event["type"], payment=payment, payload=event)],
        ignore_conflicts=True,
    )
    return "processed" if handler else "ignored"
