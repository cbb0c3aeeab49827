"""The package page's booking box: rendered alone for the page's script (no reload), the same box as the
page's without JavaScript; its calendar in the page's language and money format; its total with lines;
"Book now" straight to the checkout with the places held, or back to the page holding nothing."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.basket.models import Line

from operators.capacity import capacity_book
from operators.models import Hold, Slot
from tests.packages.factories import make_package, priced_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(db):
    """A villa night (90.00 an adult, 45.00 a child) and an optional e-bike (25.00), 10 % markup;
    free cancellation until 14 days before departure (make_package)."""
    return make_package(
        services=[priced_service(name="Notte in villa", adult="90.00", child="45.00", days=70),
                  priced_service(name="Noleggio e-bike", adult="25.00", child="15.00", days=70)],
        days=[1, 1], rules=[("per_person", None), ("optional", None)], title="Ville in bicicletta",
    )  # fmt: skip


@pytest.fixture
def on():
    return timezone.localdate() + dt.timedelta(days=20)


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def product_url(package):
    with translation.override("en"):
        return package.product.get_absolute_url()


def test_the_box_alone_has_the_calendar_and_the_total_with_its_lines(client, package, on):
    ebike = package.components.get(quantity_rule="optional")
    query = {"adults": 2, "children_ages": "8", "infants": 1, "date": on.isoformat(), "extra": ebike.pk}

    response = client.get(en("packages:booking-box", pk=package.pk), query)

    assert response.status_code == 200
    box = response.content.decode()
    assert "<html" not in box and "<body" not in box  # the box only, to swap into the page
    assert "2 adults × €99.00" in box and "€198.00" in box  # 2 × 90.00 + 10 %
    assert "1 child (age 8)" in box and "€49.50" in box  # 45.00 + 10 %
    assert "1 infant" in box and "free" in box
    assert "Noleggio e-bike" in box and "€71.50" in box  # (2 × 25.00 + 15.00) + 10 %
    assert '<span class="package-total-amount">€319.00</span>' in box
    assert f'<td class="day day-available day-selected" data-date="{on.isoformat()}" aria-selected="true"' in box
    assert "Book now</button>" in box and 'class="btn btn-outline-primary package-add">Add to cart' in box


def test_the_box_and_the_page_without_javascript_are_the_same_box(client, package, on):
    query = {"adults": 3, "date": on.isoformat()}
    page = client.get(product_url(package), query).content.decode()
    box = client.get(en("packages:booking-box", pk=package.pk), query).content.decode()

    def calendar(html):
        return re.search(r'<table class="table.*?</table>', html, re.S).group(0)

    assert calendar(page) == calendar(box)
    # The fallback: the party is a GET form to the product page, days and months are links to it.
    assert f'<form method="get" class="package-party mb-3" action="{product_url(package)}">' in page
    assert "Update prices" in page
    day_links = re.findall(r'<a href="([^"]+)" data-day="([\d-]+)"', page)
    assert day_links and all(href.startswith(product_url(package) + "?adults=3&amp;") for href, _ in day_links)
    assert 'data-fragment-url="' + en("packages:booking-box", pk=package.pk) + '"' in page
    assert "package-page.js" in page and "<script>" not in page.split("package-page.js")[1][:2000]


def test_a_bad_party_in_the_box_is_a_field_error_not_a_500(client, package):
    response = client.get(en("packages:booking-box", pk=package.pk), {"adults": "0", "children_ages": "x"})
    assert response.status_code == 200
    assert "Give each child&#x27;s age as a number from 0 to 17" in response.content.decode()


def test_an_unpublished_package_has_no_box(client, package):
    package.status = package.Status.DRAFT
    package.save(update_fields=["status"])
    assert client.get(en("packages:booking-box", pk=package.pk)).status_code == 404


def test_weekdays_and_prices_in_the_pages_language(client, package, on):
    english = client.get(product_url(package), {"month": on.strftime("%Y-%m")}).content.decode()
    assert '<abbr title="Monday">Mon</abbr>' in english and '<abbr title="Sunday">Sun</abbr>' in english
    assert "LMMGVSD" not in english and ">L<" not in english
    assert "€198.00" in english and "198.00&nbsp;€" not in english  # |currency, the site's one format
    assert re.search(r"\w+day \d+ \w+ \d{4}, available, €198\.00 for your party", english)

    with translation.override("it"):
        italian_url = package.product.get_absolute_url()
    italian = client.get(italian_url, {"month": on.strftime("%Y-%m")}).content.decode()
    assert '<abbr title="Lunedì">Lun</abbr>' in italian
    assert "198,00\xa0€" in italian


def test_free_cancellation_days_then_the_date_for_the_chosen_day(client, package, on):
    before = client.get(product_url(package)).content.decode()
    assert "Free cancellation up to 14 days before departure" in before

    chosen = client.get(product_url(package), {"date": on.isoformat()}).content.decode()
    until = on - dt.timedelta(days=14)
    assert f"Free cancellation until {until.day} {until:%B} {until.year}" in chosen

    too_close = timezone.localdate() + dt.timedelta(days=5)  # 14 days before is in the past
    assert "Free cancellation" not in client.get(product_url(package), {"date": too_close.isoformat()}).content.decode()


def test_book_now_adds_the_line_holds_the_places_and_goes_to_the_checkout(client, package, on):
    response = client.post(
        en("packages:basket-add", pk=package.pk),
        {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0, "action": "book"},
    )

    assert response.status_code == 302 and response.url == en("checkout:index")
    line = Line.objects.get()
    holds = Hold.objects.filter(reference=f"basket-line:{line.pk}", status=Hold.Status.ACTIVE)
    assert [h.quantity for h in holds] == [2]
    assert client.get(response.url).status_code in (200, 302)  # the checkout's first step (or its gateway)


def test_book_now_on_a_day_sold_out_meanwhile_goes_back_to_the_page_and_holds_nothing(client, package, on):
    villa = package.components.get(quantity_rule="per_person").service
    capacity_book(items=[(Slot.objects.get(service=villa, date=on), 9)], reference="partner:1")

    response = client.post(
        en("packages:basket-add", pk=package.pk),
        {"date": on.isoformat(), "adults": 2, "children_ages": "", "infants": 0, "action": "book"},
    )

    assert response.status_code == 302 and response.url.startswith(product_url(package) + "?")
    assert f"date={on.isoformat()}" in response.url and "adults=2" in response.url  # the visitor's choice kept
    assert [str(m) for m in get_messages(response.wsgi_request)]  # and the reason
    assert not Line.objects.exists()
    assert not Hold.objects.filter(reference__startswith="basket-line:").exists()


def test_book_now_with_a_bad_party_goes_back_with_the_error_and_holds_nothing(client, package, on):
    response = client.post(
        en("packages:basket-add", pk=package.pk),
        {"date": on.isoformat(), "adults": 0, "children_ages": "", "infants": 0, "action": "book"},
    )

    assert response.status_code == 302 and response.url.startswith(product_url(package))
    assert any("greater than or equal to 1" in str(m) for m in get_messages(response.wsgi_request))
    assert not Line.objects.exists() and not Hold.objects.exists()
