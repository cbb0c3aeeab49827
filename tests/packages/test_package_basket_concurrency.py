"""Many buyers on the last places of a package, each through the basket add service: no oversell."""

import datetime as dt
import threading

import pytest
from django.db import connection
from oscar.apps.basket.models import Basket, Line

from marketplace.shop.partner.strategy import RetailStrategy
from operators.exceptions import LockTimeout
from operators.models import Hold, Slot
from operators.pricing import Party
from packages.models import Package
from packages.selectors import PackageUnavailable
from packages.services import package_basket_add
from tests.packages.factories import make_package, priced_service

BUYERS = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_24_buyers_for_the_last_places_never_oversell(today):
    services = [
        priced_service(name="Camera", capacity=50, days=20),
        priced_service(name="Ultimi posti in cantina", capacity=7, days=20),
        priced_service(name="Guida", capacity=50, days=20),
    ]
    package_id = make_package(services=services).pk
    on = today + dt.timedelta(days=3)
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buyer():
        try:
            package = Package.objects.get(pk=package_id)
            basket = Basket.objects.create()
            basket.strategy = RetailStrategy()
            barrier.wait()
            try:
                package_basket_add(basket=basket, package=package, on=on, party=Party(adults=2))
                outcome = "held"
            except PackageUnavailable:
                outcome = "sold_out"
            except LockTimeout:
                outcome = "busy"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer) for _ in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == BUYERS
    assert outcomes.count("held") == 3  # 7 places, 2 each
    scarce = Slot.objects.get(service=services[1], date=on + dt.timedelta(days=1))
    assert scarce.held == 6 and scarce.held + scarce.reserved <= scarce.capacity
    assert Line.objects.count() == 3  # losers left no line behind
    assert Hold.objects.filter(status=Hold.Status.ACTIVE).values("reference").distinct().count() == 3
