"""Order placement and the booking hooks around it.

Placing an order does not need a request: the Stripe webhook places it, long after the customer's
browser has left. So everything Oscar's checkout view would take from the session is passed in, and
the basket's pricing strategy is rebuilt from the user (Oscar's Selector), the same way the view did.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class

from marketplace.core.languages import served_language

from .handlers import booking_handlers, handler_lines
from .models import OrderTravellers

logger = logging.getLogger(__name__)

Selector = get_class("partner.strategy", "Selector")
Applicator = get_class("offer.applicator", "Applicator")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderCreator = get_class("order.utils", "OrderCreator")


@dataclass(frozen=True)
class Travellers:
    """What checkout collects instead of a shipping address (kept in the session, then on the payment)."""

    lead_first_name: str
    lead_last_name: str
    lead_phone: str
    other_travellers: list[str]
    policy_accepted_at: str  # ISO 8601: it travels through the session and a JSON field

    def as_dict(self) -> dict:
        return {
            "lead_first_name": self.lead_first_name,
            "lead_last_name": self.lead_last_name,
            "lead_phone": self.lead_phone,
            "other_travellers": list(self.other_travellers),
            "policy_accepted_at": self.policy_accepted_at,
        }


def basket_prepare_for_placement(*, basket, user) -> None:
    """Give a basket loaded outside a request the strategy and offers the checkout view saw."""
    actor = user if user is not None else AnonymousUser()
    basket.strategy = Selector().strategy(user=actor)
    Applicator().apply(basket, actor, None)


def basket_order_total(*, basket, user):
    """(shipping method, shipping charge, order total) for a basket with no shipping.

    One function for the amount sent to Stripe and the total written on the order, so both agree.
    """
    basket_prepare_for_placement(basket=basket, user=user)
    methods = Repository().get_shipping_methods(basket=basket, user=user, shipping_addr=None)
    method = methods[0]
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return method, charge, total


def booking_lines_prepare(*, basket) -> None:
    """Ask every handler to (re)validate and hold its lines; LineUnavailable propagates to the caller."""
    lines = list(basket.all_lines())
    for handler in booking_handlers():
        own = handler_lines(handler, lines)
        if own:
            handler.prepare(basket=basket, lines=own)


def booking_lines_release(*, basket) -> None:
    """Give back every hold of the basket's lines. Never raises: a failed release must not block cleanup."""
    lines = list(basket.all_lines())
    for handler in booking_handlers():
        own = handler_lines(handler, lines)
        if not own:
            continue
        try:
            handler.release(basket=basket, lines=own)
        except Exception:  # one plug-in's bug must not keep another's holds; holds also expire
            logger.exception("Booking handler %r failed to release basket %s", handler, basket.pk)


def booking_lines_cancel(*, order) -> None:
    """Give back the places of a cancelled order (runs inside the caller's transaction)."""
    lines = list(order.lines.select_related("product"))
    for handler in booking_handlers():
        own = handler_lines(handler, lines)
        if own:
            handler.cancel(order=order, lines=own)


def booking_attachments(*, order) -> list[tuple[str, bytes, str]]:
    """Files the handlers add to the confirmation email (the packages' voucher PDF)."""
    lines = list(order.lines.select_related("product"))
    files: list[tuple[str, bytes, str]] = []
    for handler in booking_handlers():
        own = handler_lines(handler, lines)
        if own:
            files.extend(handler.attachments(order=order, lines=own))
    return files


def booking_email_context(*, order) -> dict:
    """What the handlers add to the customer's order emails (the packages' signed cancel link)."""
    lines = list(order.lines.select_related("product"))
    context: dict = {}
    for handler in booking_handlers():
        own = handler_lines(handler, lines)
        if own:
            context.update(handler.email_context(order=order, lines=own))
    return context


def order_language(order) -> str:
    """The language the tourist booked in: every email to them and their voucher are written in it,
    whoever acts and wherever (a Celery worker has no visitor's language). The site's default for older
    orders, and for a language the site no longer serves."""
    code = OrderTravellers.objects.filter(order=order).values_list("language", flat=True).first()
    return served_language(code)


def order_place(
    *,
    basket,
    user,
    guest_email: str,
    order_number: str,
    travellers: dict,
    language: str = "",
    expected_total: Decimal | None = None,
):
    """Write the Oscar order for a paid basket, turn its holds into reservations, store the travellers
    and the language the tourist booked in (`order_language`).

    Runs in one transaction: if a handler cannot confirm (LineUnavailable) or the total no longer matches
    what was paid (`expected_total`), nothing of the order is left and the caller refunds.
    """
    from .handlers import LineUnavailable

    method, charge, total = basket_order_total(basket=basket, user=user)
    if expected_total is not None and total.incl_tax != expected_total:
        raise LineUnavailable(None, "basket total changed after payment")
    with transaction.atomic():
        order = OrderCreator().place_order(
            basket=basket,
            total=total,
            shipping_method=method,
            shipping_charge=charge,
            user=user,
            order_number=order_number,
            guest_email=guest_email if user is None else "",
        )
        OrderTravellers.objects.create(
            order=order,
            lead_first_name=travellers["lead_first_name"],
            lead_last_name=travellers["lead_last_name"],
            lead_phone=travellers["lead_phone"],
            country=travellers.get("country", ""),
            other_travellers=travellers.get("other_travellers", []),
            policy_accepted_at=travellers.get("policy_accepted_at") or timezone.now(),
            language=language,
        )
        order_lines = list(order.lines.select_related("product"))
        for handler in booking_handlers():
            own = handler_lines(handler, order_lines)
            if own:
                handler.confirm(order=order, basket=basket, lines=own)
        basket.submit()
    return order
