"""The handler registry: each handler gets only its own lines; no handlers configured means no-ops."""

from decimal import Decimal

import pytest
from oscar.test.factories import create_basket, create_product

from marketplace.bookings.handlers import LineUnavailable
from marketplace.bookings.services import booking_lines_prepare, booking_lines_release
from tests.payments.conftest import HANDLER

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_basket(product):
    basket = create_basket(empty=True)
    other = create_product(title="Guidebook", product_class="Books", price=Decimal("15.00"), num_in_stock=5)
    basket.add_product(product)
    basket.add_product(other)
    return basket


def test_handlers_receive_only_the_lines_they_handle(mixed_basket, recording_handler):
    booking_lines_prepare(basket=mixed_basket)
    booking_lines_release(basket=mixed_basket)

    experience_line = next(line for line in mixed_basket.all_lines() if line.product.title != "Guidebook")
    assert recording_handler.calls == [
        ("prepare", mixed_basket.pk, [experience_line.pk]),
        ("release", mixed_basket.pk, [experience_line.pk]),
    ]


def test_a_refusing_handler_raises_line_unavailable_with_its_message(mixed_basket, recording_handler):
    recording_handler.refuse = "No places left on that day."

    with pytest.raises(LineUnavailable) as caught:
        booking_lines_prepare(basket=mixed_basket)

    assert caught.value.message == "No places left on that day."


def test_without_handlers_every_hook_is_a_no_op(mixed_basket, recording_handler, settings):
    """The handler that was configured a moment ago is called no more, and the basket is untouched."""
    lines_before = [(line.pk, line.quantity, line.price_incl_tax) for line in mixed_basket.all_lines()]
    settings.BOOKING_LINE_HANDLERS = []

    booking_lines_prepare(basket=mixed_basket)
    booking_lines_release(basket=mixed_basket)

    assert recording_handler.calls == []
    mixed_basket.refresh_from_db()
    assert [(line.pk, line.quantity, line.price_incl_tax) for line in mixed_basket.all_lines()] == lines_before
    assert mixed_basket.status == "Open"

    settings.BOOKING_LINE_HANDLERS = [HANDLER]  # the control: the same calls reach a configured handler
    booking_lines_prepare(basket=mixed_basket)
    assert recording_handler.names() == ["prepare"]
