"""Images for a fast first screen on phones (issue 17): heroes are <img> (WebP renditions, srcset, sizes,
width and height, fetchpriority="high", never lazy), cards below them are lazy, listings' first cards not."""

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from marketplace.core.photos import photo_renditions
from tests.image_markup import assert_well_formed, image_tags, images, srcset_urls

from .factories import add, build_site, publish

pytestmark = pytest.mark.django_db


def wagtail_image(title="Colline", size=(1600, 900)):
    return get_image_model().objects.create(title=title, file=get_test_image_file(f"{title}.png", size=size))


@pytest.fixture
def site_tree():
    return build_site()


def test_the_home_hero_is_a_webp_picture_loaded_first(client, site_tree):
    home = site_tree["home_en"]
    home.hero_image = wagtail_image()
    publish(home)

    html = client.get(home.url).content.decode()

    hero = assert_well_formed(html)[0]  # the first image of the page is the hero, and the only "high" one
    assert "hero__img" in hero["class"] and hero["fetchpriority"] == "high" and "loading" not in hero
    assert hero["src"].endswith(".webp") and all(url.endswith(".webp") for url in srcset_urls(hero))
    assert hero["sizes"] == "100vw" and len(srcset_urls(hero)) >= 2
    # phones get their own, taller crop, sized too
    (source,) = [tag for tag in image_tags(html) if tag["tag"] == "source"]
    assert source["media"].startswith("(max-width") and source["width"] and source["height"]
    assert all(url.endswith(".webp") for url in srcset_urls(source))
    assert 'style="background-image' not in html


def test_a_page_hero_and_its_cards(client, site_tree):
    area, poi = site_tree["area"], site_tree["poi"]
    area.image = wagtail_image("Lucca")
    publish(area)
    poi.image = wagtail_image("Mura", size=(1200, 800))
    publish(poi)

    imgs = assert_well_formed(client.get(area.url).content.decode())
    hero, card = imgs[0], next(img for img in imgs if "card-img-top" in img.get("class", ""))
    assert "hero__img" in hero["class"] and hero["src"].endswith(".webp")
    # the area's points of interest sit below the hero: lazy, sized, WebP
    assert card["loading"] == "lazy" and "fetchpriority" not in card
    assert all(url.endswith(".webp") for url in srcset_urls(card)) and card["sizes"]


def test_a_listing_starts_with_eager_cards(client, site_tree):
    from cms.models import AreaPage

    areas, lucca = site_tree["areas"], site_tree["area"]
    lucca.image = wagtail_image("Lucca")
    publish(lucca)
    for code in ("capannori", "altopascio", "porcari"):
        add(areas, AreaPage, title=code.title(), slug=code, area_code=code, image=wagtail_image(code))

    cards = [img for img in images(client.get(areas.url).content.decode()) if "card-img-top" in img.get("class", "")]
    assert len(cards) == 4
    assert [card.get("loading") for card in cards[:3]] == [None, None, None]
    assert cards[3]["loading"] == "lazy"


def test_a_page_without_an_image_keeps_its_plain_hero(client, site_tree):
    html = client.get(site_tree["area"].url).content.decode()
    assert 'class="hero hero--page"' in html and "hero__img" not in html


def test_an_image_whose_file_is_lost_leaves_a_plain_hero():
    from django.template.loader import render_to_string

    image = wagtail_image("Perduta")
    default_storage.delete(image.file.name)

    html = render_to_string("cms/includes/page_hero.html", {"image": image, "title": "Lucca"})

    assert 'class="hero hero--page"' in html and "hero__img" not in html and "<h1>Lucca</h1>" in html


def photo(name="packages/photos/vigne.jpg", size=(1600, 1200)):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, "JPEG")
    buffer.seek(0)
    return default_storage.save(name, buffer)


def test_photo_renditions_are_webp_cropped_and_never_enlarged():
    name = photo(size=(1000, 600))

    renditions = photo_renditions(name, widths=[400, 800, 1600], ratio=(4, 3))

    assert [(r.width, r.height) for r in renditions] == [(400, 300), (800, 600)]  # 1600 would be an enlargement
    assert all(r.url.endswith(".webp") for r in renditions)
    with default_storage.open(renditions[0].url.removeprefix("/media/")) as made:
        from PIL import Image

        assert Image.open(made).format == "WEBP" and Image.open(made).size == (400, 300)
    assert [(r.width, r.height) for r in photo_renditions(name, widths=[300])] == [(300, 180)]  # no ratio: as is


def test_photo_renditions_are_made_once():
    name = photo()
    first = photo_renditions(name, widths=[400, 800])
    default_storage.delete(name)  # the original gone: the renditions are known without reading it again
    assert photo_renditions(name, widths=[400, 800]) == first


def test_an_unreadable_photo_falls_back_to_its_original():
    html = Template('{% load photo_tags %}{% photo_img name alt="" %}').render(Context({"name": "packages/none.jpg"}))
    (img,) = images(html)
    assert img["src"].endswith("packages/none.jpg") and "srcset" not in img


@pytest.mark.parametrize(
    "template, value",
    [
        ("blocks/image_block.html", lambda image: {"image": image, "caption": "Le mura", "credit": ""}),
        (
            "blocks/gallery_block.html",
            lambda image: {"title": "", "images": [{"image": image, "caption": "", "credit": ""}]},
        ),
        ("blocks/itinerary_stage_block.html", lambda image: {"title": "Porcari", "image": image, "text": ""}),
    ],
)
def test_body_images_are_lazy_sized_webp(template, value):
    from django.template.loader import render_to_string

    html = render_to_string(template, {"value": value(wagtail_image("Pieve", size=(1400, 1000)))})

    (img,) = images(html)
    assert img["loading"] == "lazy" and img["width"].isdigit() and img["height"].isdigit() and img["sizes"]
    assert len(srcset_urls(img)) == 2 and all(url.endswith(".webp") for url in srcset_urls(img))
