"""A package with an English title, a photo, an optional extra and the usual policy, booked from /en/."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.order.models import Order

from packages.models import PackagePhoto
from tests.packages.conftest import extras  # noqa: F401  (fixture)
from tests.payments.conftest import TRAVELLERS, place_order

EMAIL = "giulia@example.com"


@pytest.fixture
def trip(extras, settings):  # noqa: F811
    """extras' package (villa + tasting, e-bike and cooking class optional; 100 % until 14 days, 50 % until
    3 days) titled in both languages, with a photo, sold in demo mode."""
    settings.STRIPE_SECRET_KEY = ""
    package = extras.package
    package.title_it = "Vigne e ville"
    package.title_en = "Vineyards and villas"
    package.save()
    PackagePhoto.objects.create(package=package, image="packages/photos/vigne.jpg", position=0)
    extras.on = timezone.localdate() + dt.timedelta(days=40)
    return extras


def book_in_english(client, trip, capture, *, email=EMAIL, others="Marco Bianchi\nSofia Bianchi", login=False):
    """Two adults and a child of 8 with the e-bike extra, through the English pages; returns the order.
    `login`: the client is logged in (no gateway)."""
    with translation.override("en"):
        client.post(reverse("packages:basket-add", kwargs={"pk": trip.package.pk}),
                    {"date": trip.on.isoformat(), "adults": 2, "children_ages": "8", "infants": 0,
                     "extra": trip.ebike.pk})  # fmt: skip
        if not login:
            client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
        response = client.post(reverse("checkout:travellers"), {**TRAVELLERS, "other_travellers": others})
        assert response.status_code == 302, response.context["form"].errors
        client.get(reverse("checkout:payment-details"), follow=True)
        with capture(execute=True):
            response = place_order(client)
        assert response.status_code == 302, response.content[:500]
    return SimpleNamespace(order=Order.objects.latest("pk"), thank_you=response.url)


def visible(response) -> str:
    """The page's main text, tags and scripts removed, spaces collapsed."""
    html = response.content.decode()
    main = re.search(r"(?s)<main.*?</main>", html)
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", main.group(0) if main else html)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())
