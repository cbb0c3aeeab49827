"""Demo pages of the destination: the home page in Italian and English."""

from django.conf import settings
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME = {
    "it": {
        "title": "Terre di Lucca e Casentino",
        "slug": "home",
        "hero_title": "Tra le mura di Lucca e le foreste del Casentino",
        "hero_text": "Ville, pievi romaniche, vino delle colline e cammini lungo la Via Francigena: "
        "pacchetti e esperienze scelti dagli operatori del territorio.",
        "intro": "<p>La Piana di Lucca unisce sei comuni (Lucca, Capannori, Altopascio, Montecarlo, "
        "Villa Basilica e Porcari) tra città d'arte, ville storiche e campagna. Più a est, il Casentino "
        "custodisce le Foreste Casentinesi, i monasteri di Camaldoli e La Verna e i castelli dei Conti Guidi.</p>",
    },
    "en": {
        "title": "Lucca and Casentino",
        "slug": "home-en",
        "hero_title": "From the walls of Lucca to the forests of the Casentino",
        "hero_text": "Villas, Romanesque churches, hill wines and walks on the Via Francigena: "
        "packages and experiences chosen with local operators.",
        "intro": "<p>The Piana di Lucca joins six municipalities (Lucca, Capannori, Altopascio, Montecarlo, "
        "Villa Basilica and Porcari): a city of art, historic villas and open countryside. Further east, the "
        "Casentino keeps the Casentino Forests, the monasteries of Camaldoli and La Verna and the castles of "
        "the Guidi counts.</p>",
    },
}


def _locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES}


def load(stdout=None) -> None:
    locales = _locales()
    root = Page.get_first_root_node()
    default = locales[settings.LANGUAGE_CODE]
    home = HomePage.objects.filter(locale=default).first()
    if home is None:
        # Wagtail's "Welcome to your new Wagtail site!" placeholder takes the slug we want; deleting it
        # also deletes the default Site that points at it, recreated below.
        for placeholder in root.get_children().filter(content_type__model="page", numchild=0):
            placeholder.delete()
        home = HomePage(locale=default, **HOME[settings.LANGUAGE_CODE])
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.DMC_NAME
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    for code, locale in locales.items():
        if code == settings.LANGUAGE_CODE or HomePage.objects.filter(locale=locale).exists():
            continue
        translated = home.copy_for_translation(locale)
        for field, value in HOME.get(code, HOME["en"]).items():
            setattr(translated, field, value)
        translated.save_revision().publish()
