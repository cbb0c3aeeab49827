"""Rendering and sending the order emails through Oscar's communication machinery.

Oscar's OrderDispatcher already knows guest versus account orders, renders the
`oscar/communication/emails/commtype_<code>_*` templates (editable in the dashboard as communication
event types) and records a CommunicationEvent on the order: we only add attachments and our codes.
"""

import logging
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from oscar.core.loading import get_class

from marketplace.core.origin import public_url

from .services import booking_attachments, booking_email_context, order_language

logger = logging.getLogger(__name__)

OrderDispatcher = get_class("order.utils", "OrderDispatcher")

ORDER_CANCELLED_EVENT_CODE = "ORDER_CANCELLED"


def order_email_context(*, order) -> dict:
    ctx = {"order": order, "lines": order.lines.all(), "user": order.user} | booking_email_context(order=order)
    try:
        if order.user_id:
            path = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            path = reverse(
                "customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()}
            )
    except NoReverseMatch:
        return ctx
    ctx["status_path"] = path
    # Absolute links from SITE_URL, where the site really is (not django.contrib.sites' domain).
    ctx["status_url"] = ctx["absolute_status_url"] = public_url(path)
    return ctx


def order_send_confirmation(*, order) -> None:
    """The booking confirmation with the voucher, in the tourist's language (`order_language`)."""
    with translation.override(order_language(order)):
        OrderDispatcher(logger=logger).send_order_placed_email_for_user(
            order, order_email_context(order=order), attachments=booking_attachments(order=order) or None
        )


def order_send_refund_notice(*, order, amount: Decimal) -> None:
    """A cancellation or refund, in the tourist's language whoever made it (staff read Italian)."""
    with translation.override(order_language(order)):
        dispatcher = OrderDispatcher(logger=logger)
        ctx = order_email_context(order=order) | {"refund_amount": amount}
        messages = dispatcher.dispatcher.get_messages(ORDER_CANCELLED_EVENT_CODE, ctx)
        dispatcher.dispatch_order_messages(order, messages, ORDER_CANCELLED_EVENT_CODE)
