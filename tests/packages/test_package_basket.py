"""The basket journey through the test client: page, add with date and party, holds, price, expiry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.apps.basket.models import Basket, Line

from marketplace.bookings.handlers import LineUnavailable
from marketplace.bookings.services import booking_lines_prepare
from marketplace.shop.partner.strategy import RetailStrategy
from operators.capacity import capacity_book
from operators.models import Hold, Slot
from operators.pricing import Party
from packages.pricing import package_price

pytestmark = pytest.mark.django_db


def add(client, package, on, adults=2, children_ages="8"):
    return client.post(
        reverse("packages:basket-add", kwargs={"pk": package.pk}),
        {"date": on.isoformat(), "adults": adults, "children_ages": children_ages, "infants": 0},
    )


def test_page_shows_calendar_and_total_then_add_holds_places(client, package, today):
    on = today + dt.timedelta(days=5)
    page = client.get(package.product.get_absolute_url(), {"adults": 2, "children_ages": "8", "date": on.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "day-available" in html and "package-total-amount" in html
    expected = package_price(package=package, on=on, party=Party(adults=2, children_ages=(8,))).total
    assert expected == Decimal("363.00")
    assert "363,00" in html

    response = add(client, package, on)

    assert response.status_code == 302 and response.url == reverse("basket:summary")
    line = Line.objects.get()
    assert {a.option.code: a.value for a in line.attributes.all()} == {
        "date": on.isoformat(),
        "party": ["adulti 2", "bambini 8"],
    }
    holds = Hold.objects.filter(reference=f"basket-line:{line.pk}", status=Hold.Status.ACTIVE)
    assert sorted(h.quantity for h in holds) == [3, 3, 3]
    assert all(h.expires_at <= timezone.now() + dt.timedelta(minutes=15) for h in holds)
    assert RetailStrategy().fetch_for_line(line).price.incl_tax == expected

    basket_page = client.get(reverse("basket:summary"))
    assert (
        "Places held for you until" in basket_page.content.decode()
        or "Posti bloccati per te fino" in basket_page.content.decode()
    )
    assert basket_page.context["basket"].total_incl_tax == expected
    assert not basket_page.context["basket_warnings"]  # the line stored the price the customer saw
    assert "adults" not in basket_page.content.decode().split("<h3>")[1].split("</h3>")[0]  # no raw options


def test_another_date_or_party_makes_another_line(client, package, today):
    add(client, package, today + dt.timedelta(days=5))
    add(client, package, today + dt.timedelta(days=6))
    add(client, package, today + dt.timedelta(days=6), adults=3, children_ages="")
    assert Line.objects.count() == 3
    assert Hold.objects.filter(status=Hold.Status.ACTIVE).values("reference").distinct().count() == 3


def test_sold_out_date_leaves_nothing_in_the_basket(client, package, three_services, today):
    on = today + dt.timedelta(days=5)
    capacity_book(items=[(Slot.objects.get(service=three_services[0], date=on), 9)], reference="partner:1")

    response = add(client, package, on)

    assert response.status_code == 302 and response.url.startswith(package.product.get_absolute_url())
    assert not Line.objects.exists()
    assert not Hold.objects.filter(reference__startswith="basket-line:").exists()


def test_hold_setting_is_configurable(client, package, today, settings):
    settings.PACKAGE_HOLD_MINUTES = 3
    add(client, package, today + dt.timedelta(days=5))
    hold = Hold.objects.filter(reference__startswith="basket-line:").first()
    assert hold.expires_at <= timezone.now() + dt.timedelta(minutes=3)


def test_expired_hold_is_retaken_when_places_are_still_free(client, package, today):
    add(client, package, today + dt.timedelta(days=5))
    line = Line.objects.get()
    Hold.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert "package-hold-expired" in client.get(reverse("basket:summary")).content.decode()

    client.post(reverse("packages:basket-refresh"))

    live = Hold.objects.filter(reference=f"basket-line:{line.pk}", status=Hold.Status.ACTIVE)
    assert live.count() == 3 and all(h.expires_at > timezone.now() for h in live)
    assert "package-hold" in client.get(reverse("basket:summary")).content.decode()


def test_expired_hold_whose_places_went_marks_the_line_unavailable_and_checkout_refuses(
    client, package, three_services, today
):
    on = today + dt.timedelta(days=5)
    add(client, package, on)
    line = Line.objects.get()
    Hold.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    capacity_book(items=[(Slot.objects.get(service=three_services[1], date=on + dt.timedelta(days=1)), 9)],
                  reference="partner:2")  # fmt: skip

    client.post(reverse("packages:basket-refresh"))

    live = Hold.objects.filter(
        reference=f"basket-line:{line.pk}", status=Hold.Status.ACTIVE, expires_at__gt=timezone.now()
    )
    assert not live.exists()
    info = RetailStrategy().fetch_for_line(line)
    assert not info.availability.is_available_to_buy
    basket = Basket.objects.get()
    basket.strategy = RetailStrategy()
    with pytest.raises(LineUnavailable):
        booking_lines_prepare(basket=basket)
    # Oscar's checkout refuses the basket too (its pre-conditions read the line's availability).
    response = client.get(reverse("checkout:index"))
    assert response.status_code == 302 and response.url == reverse("basket:summary")


@pytest.mark.parametrize(
    "party",
    [Party(adults=1), Party(adults=2, children_ages=(0, 8, 14), infants=1, seniors=2), Party(adults=3, seniors=1)],
)
def test_party_survives_the_line_storage_format(party):
    from packages.services import party_from_tokens, party_tokens

    assert party_from_tokens(party_tokens(party)) == party
    assert party_from_tokens(", ".join(party_tokens(party))) == party  # typed in Oscar's own form


def test_release_frees_the_holds_and_prepare_follows_a_quantity_change(client, package, today):
    from marketplace.bookings.services import booking_lines_release

    add(client, package, today + dt.timedelta(days=5))
    basket = Basket.objects.get()
    basket.strategy = RetailStrategy()
    line = basket.all_lines()[0]
    line.quantity = 2  # two identical parties on one line (the basket's quantity field)
    line.save()

    booking_lines_prepare(basket=basket)
    assert sorted(Hold.objects.filter(status=Hold.Status.ACTIVE).values_list("quantity", flat=True)) == [6, 6, 6]
    assert RetailStrategy().fetch_for_line(line).price.incl_tax == Decimal("363.00")  # per party; Oscar × 2

    booking_lines_release(basket=basket)  # payment failed or abandoned
    assert not Hold.objects.filter(status=Hold.Status.ACTIVE).exists()
    assert not Slot.objects.filter(held__gt=0).exists()
