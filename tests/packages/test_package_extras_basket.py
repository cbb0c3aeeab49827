"""Optional extras on the package page and in the basket: ticked, priced, held with the package, refused
when sold out, kept on their own basket line, re-held with the line."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from oscar.apps.basket.models import Basket, Line

from marketplace.bookings.handlers import LineUnavailable
from marketplace.bookings.services import booking_lines_prepare
from marketplace.shop.partner.strategy import RetailStrategy
from operators.capacity import capacity_book
from operators.models import Hold, Slot

pytestmark = pytest.mark.django_db

PARTY = {"adults": 2, "children_ages": "", "infants": 0}


def page(client, extras, on, *extra_ids):
    query = {**PARTY, "date": on.isoformat(), "extra": [str(pk) for pk in extra_ids]}
    response = client.get(extras.package.product.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


def add(client, extras, on, *extra_ids, **more):
    data = {**PARTY, "date": on.isoformat(), "extra": [str(pk) for pk in extra_ids], **more}
    return client.post(reverse("packages:basket-add", kwargs={"pk": extras.package.pk}), data)


def checkbox(html, component) -> str:
    """The <input> tag of an extra's checkbox."""
    match = re.search(rf'<input[^>]*type="checkbox" name="extra" value="{component.pk}"[^>]*>', html)
    assert match, f"no checkbox for {component}"
    return match.group(0)


def total(html) -> str:
    return re.search(r'class="package-total-amount">([^<]+)<', html).group(1)


def extra_slot(component, on):
    return Slot.objects.get(service_id=component.service_id, date=on + dt.timedelta(days=component.day_offset))


def test_page_offers_each_extra_with_what_it_adds_and_the_total_follows_the_ticks(client, extras, today):
    on = today + dt.timedelta(days=5)

    html = page(client, extras, on)
    assert "disabled" not in checkbox(html, extras.ebike) and "checked" not in checkbox(html, extras.ebike)
    assert "+ 55,00" in html  # e-bike: 2 × 25 + 10 %
    assert "+ 88,00" in html  # cooking class: 2 × 40 + 10 %
    assert "264,00" in total(html)

    ticked = page(client, extras, on, extras.ebike.pk)
    assert "checked" in checkbox(ticked, extras.ebike) and "checked" not in checkbox(ticked, extras.cooking)
    assert "319,00" in total(ticked)
    # The party picker and the calendar's day links keep the ticks.
    assert f'name="extra" value="{extras.ebike.pk}"' in ticked.split('class="package-party')[1].split("</form>")[0]
    assert f"extra={extras.ebike.pk}" in ticked.split('class="package-calendar')[1]


def test_update_button_round_trip_works_without_javascript_and_books_nothing(client, extras, today):
    on = today + dt.timedelta(days=5)

    response = add(client, extras, on, extras.ebike.pk, extras.cooking.pk, action="update")

    assert response.status_code == 302 and response.url.endswith("#package-booking")
    assert response.url.startswith(extras.package.product.get_absolute_url())
    assert not Line.objects.exists() and not Hold.objects.exists()
    html = client.get(response.url.split("#")[0]).content.decode()
    assert "407,00" in total(html)  # (240 + 50 + 80) + 10 %
    assert "checked" in checkbox(html, extras.ebike) and "checked" in checkbox(html, extras.cooking)


def test_an_extra_without_places_or_slot_that_day_is_shown_unavailable_and_left_out(client, extras, today):
    on = today + dt.timedelta(days=5)
    capacity_book(items=[(extra_slot(extras.ebike, on), 9)], reference="partner:1")  # 1 bike left, 2 needed
    Slot.objects.filter(pk=extra_slot(extras.cooking, on).pk).update(closed=True)  # the class is off that day

    html = page(client, extras, on, extras.ebike.pk, extras.cooking.pk)

    assert "disabled" in checkbox(html, extras.ebike) and "checked" not in checkbox(html, extras.ebike)
    assert "disabled" in checkbox(html, extras.cooking) and "checked" not in checkbox(html, extras.cooking)
    assert html.count("package-extra-unavailable") == 2
    assert "264,00" in total(html)  # neither is counted
    other_day = page(client, extras, on + dt.timedelta(days=1), extras.ebike.pk)
    assert "checked" in checkbox(other_day, extras.ebike) and "319,00" in total(other_day)


def test_adding_with_an_extra_holds_its_places_with_the_package_and_prices_the_line(client, extras, today):
    on = today + dt.timedelta(days=5)

    response = add(client, extras, on, extras.ebike.pk)

    assert response.status_code == 302 and response.url == reverse("basket:summary")
    line = Line.objects.get()
    values = {a.option.code: a.value for a in line.attributes.all()}
    assert values == {
        "date": on.isoformat(),
        "party": ["adulti 2"],
        "extras": [f"#{extras.ebike.pk} Noleggio e-bike"],
    }
    holds = Hold.objects.filter(reference=f"basket-line:{line.pk}", status=Hold.Status.ACTIVE)
    assert {h.slot.service_id: h.quantity for h in holds} == {
        extras.villa.service_id: 2,
        extras.tasting.service_id: 2,
        extras.ebike.service_id: 2,
    }
    assert extra_slot(extras.ebike, on).held == 2
    assert extra_slot(extras.cooking, on).held == 0
    assert line.price_incl_tax == Decimal("319.00")
    assert RetailStrategy().fetch_for_line(line).price.incl_tax == Decimal("319.00")

    basket_page = client.get(reverse("basket:summary"))
    assert basket_page.context["basket"].total_incl_tax == Decimal("319.00")
    assert not basket_page.context["basket_warnings"]
    assert "Noleggio e-bike" in basket_page.content.decode()


def test_a_sold_out_extra_is_refused_with_a_message_and_nothing_changes(client, extras, today):
    on = today + dt.timedelta(days=5)
    capacity_book(items=[(extra_slot(extras.ebike, on), 9)], reference="partner:1")

    response = add(client, extras, on, extras.ebike.pk)

    assert response.status_code == 302 and response.url.startswith(extras.package.product.get_absolute_url())
    assert f"extra={extras.ebike.pk}" in response.url  # back to the page with the party and the ticks
    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(errors) == 1 and "Noleggio e-bike" in errors[0]
    assert not Line.objects.exists()
    assert not Hold.objects.filter(reference__startswith="basket-line:").exists()
    assert not Slot.objects.filter(held__gt=0).exists()

    assert add(client, extras, on).url == reverse("basket:summary")  # the package alone still sells


def test_an_extra_with_places_but_no_rate_that_day_is_refused_by_name(client, extras, today):
    from packages.models import PackageComponent
    from tests.packages.factories import priced_service

    dinner = PackageComponent.objects.create(
        package=extras.package, service=priced_service(name="Cena in fattoria", adult=None, child=None), day=1,
        quantity_rule=PackageComponent.QuantityRule.OPTIONAL, position=9,
    )  # fmt: skip
    on = today + dt.timedelta(days=5)
    assert "disabled" in checkbox(page(client, extras, on), dinner)

    response = add(client, extras, on, dinner.pk)

    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(errors) == 1 and "Cena in fattoria" in errors[0]
    assert not Line.objects.exists() and not Hold.objects.exists()


def test_an_id_that_is_not_an_extra_of_the_package_is_a_form_error(client, extras, today):
    response = add(client, extras, today + dt.timedelta(days=5), extras.villa.pk)

    assert response.status_code == 302
    assert len(list(get_messages(response.wsgi_request))) == 1
    assert not Line.objects.exists() and not Hold.objects.exists()


def test_lines_with_other_extras_stay_distinct_and_the_same_extras_share_a_line(client, extras, today):
    on = today + dt.timedelta(days=5)

    add(client, extras, on)
    add(client, extras, on, extras.ebike.pk)
    add(client, extras, on, extras.cooking.pk, extras.ebike.pk)
    add(client, extras, on, extras.ebike.pk)  # the same choice again: Oscar adds to the same line

    assert Line.objects.count() == 3
    ebike_line = next(line for line in Line.objects.all() if line.quantity == 2)
    assert [a.value for a in ebike_line.attributes.filter(option__code="extras")] == [
        [f"#{extras.ebike.pk} Noleggio e-bike"]
    ]
    assert extra_slot(extras.ebike, on).held == 2 * 2 + 2
    assert extra_slot(extras.cooking, on).held == 2
    assert Slot.objects.get(service_id=extras.villa.service_id, date=on).held == 2 + 2 * 2 + 2


def test_refresh_retakes_the_extras_holds_and_a_lost_extra_marks_the_line_unavailable(client, extras, today):
    on = today + dt.timedelta(days=5)
    add(client, extras, on, extras.ebike.pk)
    line = Line.objects.get()
    Hold.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    client.post(reverse("packages:basket-refresh"))

    live = Hold.objects.filter(reference=f"basket-line:{line.pk}", status=Hold.Status.ACTIVE,
                               expires_at__gt=timezone.now())  # fmt: skip
    assert sorted(h.slot.service_id for h in live) == sorted(
        [extras.villa.service_id, extras.tasting.service_id, extras.ebike.service_id]
    )

    Hold.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    capacity_book(items=[(extra_slot(extras.ebike, on), 9)], reference="partner:2")  # the bikes went
    response = client.post(reverse("packages:basket-refresh"))

    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Noleggio e-bike" in e for e in errors)
    assert not Hold.objects.filter(reference=f"basket-line:{line.pk}", status=Hold.Status.ACTIVE,
                                   expires_at__gt=timezone.now()).exists()  # fmt: skip
    assert not RetailStrategy().fetch_for_line(line).availability.is_available_to_buy
    basket = Basket.objects.get()
    basket.strategy = RetailStrategy()
    with pytest.raises(LineUnavailable):
        booking_lines_prepare(basket=basket)
