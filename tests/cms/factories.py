"""A focused page tree for the cms tests (STYLE §9: not the full demo), plus a test offer provider."""

import datetime as dt
import json
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from cms.models import (
    AreaIndexPage,
    AreaPage,
    ArticleIndexPage,
    ArticlePage,
    CollectionIndexPage,
    CollectionPage,
    EventIndexPage,
    EventPage,
    HomePage,
    ItineraryIndexPage,
    ItineraryPage,
    PointOfInterestPage,
    TouristOfficeIndexPage,
    TouristOfficePage,
)
from cms.offers import OfferCard, OfferLabel, OfferProvider


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add(parent: Page, model, **fields) -> Page:
    page = model(**fields)
    parent.add_child(instance=page)
    return publish(page)


def translate(page: Page, language_code: str, **fields) -> Page:
    """A translation made by hand (copy to the locale, rewrite its texts): quick, for tests about what
    visitors see. The wagtail-localize workflow editors use is tested in tests/cms/test_localize.py."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return publish(copy)


def stream(*blocks) -> str:
    return json.dumps([{"type": t, "value": v} for t, v in blocks])


def build_site() -> dict:
    """Home (it + en), every index, one page of each family, translated to English where it matters."""
    it, _ = Locale.objects.get_or_create(language_code="it")
    # Wagtail's migrations create the root; a database flushed by a transactional test has none.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=it))
    for placeholder in root.get_children():
        placeholder.delete()
    home = HomePage(title="Terre di Lucca", slug="home", hero_title="Benvenuti", hero_text="Ville e pievi")
    root.add_child(instance=home)
    publish(home)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Test")
    home_en = translate(home, "en", title="Lands of Lucca", slug="home-en", hero_title="Welcome")

    t = {"home": home, "home_en": home_en}
    t["areas"] = add(home, AreaIndexPage, title="Territori", slug="territori")
    t["area"] = add(
        t["areas"],
        AreaPage,
        title="Lucca",
        slug="lucca",
        area_code="lucca",
        lat=43.84,
        lng=10.50,
        summary="La città delle mura",
        intro="<p>Cento chiese</p>",
        practical_info="<p>Treno da Pisa</p>",
        body=stream(("faq", {"title": "Domande", "items": [{"question": "Serve l'auto?", "answer": "<p>No</p>"}]})),
    )
    t["poi"] = add(
        t["area"],
        PointOfInterestPage,
        title="Mura di Lucca",
        slug="mura",
        kind="monument",
        lat=43.844,
        lng=10.499,
        summary="Quattro chilometri di mura alberate",
        address="Passeggiata delle Mura",
        free_entry=True,
        opening_hours="Sempre aperto",
        accessibility="Rampe alle porte",
        wheelchair_accessible=True,
        theme="heritage",
        body=stream(("paragraph", "<p>Le mura non hanno mai subito un assedio.</p>")),
    )
    t["itineraries"] = add(home, ItineraryIndexPage, title="Itinerari", slug="itinerari")
    t["itinerary"] = add(
        t["itineraries"],
        ItineraryPage,
        title="Francigena Altopascio-Lucca",
        slug="francigena",
        mode="walk",
        distance_km=Decimal("18.5"),
        difficulty="easy",
        duration="5 ore",
        season="Marzo-novembre",
        area=t["area"],
        stages=stream(
            (
                "stage",
                {
                    "title": "Altopascio",
                    "text": "<p>Magione</p>",
                    "image": None,
                    "lat": 43.8161,
                    "lng": 10.6775,
                    "distance_km": None,
                },
            ),
            (
                "stage",
                {
                    "title": "Porcari",
                    "text": "<p>Torre</p>",
                    "image": None,
                    "lat": 43.839,
                    "lng": 10.617,
                    "distance_km": "6.5",
                },
            ),
            (
                "stage",
                {
                    "title": "Lucca",
                    "text": "<p>Duomo</p>",
                    "image": None,
                    "lat": 43.8405,
                    "lng": 10.5058,
                    "distance_km": "12.0",
                },
            ),
        ),
    )
    t["events"] = add(home, EventIndexPage, title="Eventi", slug="eventi")
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    t["event"] = add(
        t["events"],
        EventPage,
        title="Luminara di Santa Croce",
        slug="luminara",
        category="tradition",
        start=start,
        end=start + dt.timedelta(hours=3),
        place="Centro storico",
        area=t["area"],
        is_free=True,
        lat=43.84,
        lng=10.50,
    )
    weekly_start = timezone.now() - dt.timedelta(days=14)
    t["market"] = add(
        t["events"],
        EventPage,
        title="Mercato contadino",
        slug="mercato",
        category="market",
        start=weekly_start,
        end=weekly_start + dt.timedelta(hours=4),
        recurrence="weekly",
        recurrence_until=timezone.localdate() + dt.timedelta(days=60),
        price=Decimal("2.50"),
    )
    t["collections"] = add(home, CollectionIndexPage, title="Idee", slug="idee")
    t["collection"] = add(
        t["collections"],
        CollectionPage,
        title="Vino e ville",
        slug="vino-ville",
        intro="<p>Colline e cantine</p>",
        show_on_home=True,
        theme="food-wine",
    )
    t["articles"] = add(home, ArticleIndexPage, title="Racconti", slug="racconti")
    t["article"] = add(
        t["articles"],
        ArticlePage,
        title="Cinque sapori",
        slug="sapori",
        author="Redazione",
        summary="Cosa assaggiare",
        body=stream(("paragraph", "<p>Il buccellato</p>")),
    )
    t["offices"] = add(home, TouristOfficeIndexPage, title="Uffici turistici", slug="uffici")
    t["office"] = add(
        t["offices"],
        TouristOfficePage,
        title="IAT Lucca",
        slug="iat-lucca",
        address="Piazzale Verdi",
        phone="+39 0583 000 001",
        opening_hours="Tutti i giorni 9-19",
        area=t["area"],
        lat=43.843,
        lng=10.496,
    )
    for key in ("areas", "area", "poi", "itineraries", "itinerary", "events", "event", "collections", "collection"):
        slug = {"areas": "areas", "itineraries": "itineraries", "events": "events", "collections": "ideas"}.get(key)
        title = {
            "area": "Lucca",
            "poi": "Walls of Lucca",
            "itinerary": "Francigena Altopascio to Lucca",
            "event": "Luminara of the Holy Cross",
            "collection": "Wine and villas",
        }.get(key, key.title())
        fields = {"title": title}
        if slug:
            fields["slug"] = slug
        t[f"{key}_en"] = translate(t[key], "en", **fields)
    return t


class GroupOfferProvider(OfferProvider):
    """A real, query-backed provider for tests: auth groups stand in for packages.

    A group named "withdrawn …" is unavailable. One query per call, whatever the number of ids.
    """

    key = "testgroup"
    label = "Test offer"
    calls = 0

    def cards(self, *, ids, language):
        type(self).calls += 1
        return {
            group.pk: OfferCard(
                key=f"{self.key}:{group.pk}",
                title=group.name,
                url=f"/shop/offer/{group.pk}/",
                price_from=Decimal("120.00"),
                labels=(OfferLabel(name="Toscana Eco"),),
                available=not group.name.startswith("withdrawn"),
                kind="Package",
            )
            for group in Group.objects.filter(pk__in=ids)
        }

    def choices(self):
        return list(Group.objects.values_list("pk", "name"))

    def cards_for_area(self, *, area_code, language, limit=12):
        groups = Group.objects.filter(name__startswith=f"{area_code} ")[:limit]
        return [OfferCard(key=f"{self.key}:{g.pk}", title=g.name, url="/", price_from=Decimal("45")) for g in groups]

    def search(self, *, query, language, area_code="", limit=12):
        groups = Group.objects.filter(name__icontains=query)[:limit]
        return [
            OfferCard(key=f"{self.key}:{g.pk}", title=g.name, url="/", available=not g.name.startswith("withdrawn"))
            for g in groups
        ]
