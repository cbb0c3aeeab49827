"""payment_demo_create directly: a basket is ordered once, whatever is resubmitted."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from oscar.apps.basket.models import Basket
from oscar.apps.order.models import Order
from oscar.test.factories import create_basket

from marketplace.payments.exceptions import PaymentError
from marketplace.payments.models import Payment
from marketplace.payments.services import payment_demo_create

TRAVELLERS = {
    "lead_first_name": "Giulia",
    "lead_last_name": "Bianchi",
    "lead_phone": "+39 0583 123456",
    "country": "IT",
    "other_travellers": [],
    "policy_accepted_at": "2027-05-01T10:00:00+02:00",
}


def _basket(product) -> Basket:
    basket = create_basket(empty=True)
    basket.add_product(product)
    return basket


@pytest.mark.django_db
def test_a_resubmitted_basket_is_refused(product, demo_mode):
    basket = _basket(product)
    kwargs = {"user": None, "guest_email": "g@example.com", "order_number": "100900", "travellers": TRAVELLERS}

    payment = payment_demo_create(basket=Basket.objects.get(pk=basket.pk), **kwargs)
    with pytest.raises(PaymentError):
        payment_demo_create(basket=Basket.objects.get(pk=basket.pk), **kwargs)

    assert payment.order.total_incl_tax == Decimal("120.00")
    assert Order.objects.count() == 1 and Payment.objects.count() == 1
    assert Basket.objects.get(pk=basket.pk).status == Basket.SUBMITTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_basket_order_it_once(product, demo_mode):
    basket = _basket(product)
    start = threading.Barrier(2)
    outcomes = []

    def submit():
        start.wait()
        try:
            outcomes.append(
                payment_demo_create(
                    basket=Basket.objects.get(pk=basket.pk),
                    user=None,
                    guest_email="g@example.com",
                    order_number="100901",
                    travellers=TRAVELLERS,
                ).status
            )
        except PaymentError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.count() == 1
    assert sorted(outcomes) in (["refused", "succeeded"], ["refunded", "succeeded"])
    assert Basket.objects.get(pk=basket.pk).status == Basket.SUBMITTED
