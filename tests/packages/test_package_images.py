"""Images of the shop and of operators' pages (issue 17): WebP renditions with srcset, sizes, width and
height; the catalogue's first row and the package page's first photo load at once (the first one first),
the rest lazily; the service and operator pages open on a hero <img>."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from operators.models import OperatorPhoto
from packages.models import PackagePhoto
from tests.image_markup import assert_well_formed, images, srcset_urls
from tests.operators.conftest import public_operator
from tests.packages.factories import make_package, priced_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def upload(name="vigne.jpg", size=(1600, 1200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def packages_with_photos(count: int, *, start: int = 0):
    services = [priced_service(name="Notte", days=5)]
    made = []
    for index in range(start, start + count):
        package = make_package(services=services, title=f"Pacchetto {index}", slug=f"pacchetto-img-{index}")
        PackagePhoto.objects.create(package=package, image=upload(f"foto-{index}.jpg"), position=0)
        made.append(package)
    return made


def _photos(html: str) -> list[dict]:
    return [img for img in images(html) if "renditions/packages/photos/" in img["src"]]


def test_the_catalogues_first_row_loads_at_once_and_the_rest_lazily(client):
    packages_with_photos(4)
    with translation.override("en"):
        html = client.get(reverse("catalogue:index")).content.decode()

    assert_well_formed(html)
    photos = _photos(html)
    assert len(photos) == 4
    assert photos[0]["fetchpriority"] == "high"
    assert [photo.get("loading") for photo in photos] == [None, None, None, "lazy"]
    for photo in photos:
        assert photo["src"].endswith(".webp") and all(url.endswith(".webp") for url in srcset_urls(photo))
        assert photo["sizes"] and int(photo["width"]) * 3 == int(photo["height"]) * 4  # the cards' 4:3 box


def test_photos_cost_no_query_per_card(client, django_assert_max_num_queries):
    packages_with_photos(1)
    url = reverse("catalogue:index")
    client.get(url)  # renditions made once, like any visit after the first
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    packages_with_photos(5, start=1)
    cache.clear()
    with django_assert_max_num_queries(len(one)):
        html = client.get(url).content.decode()
    assert len(_photos(html)) == 6


def test_the_package_pages_first_photo_comes_first(client):
    (package,) = packages_with_photos(1)
    PackagePhoto.objects.create(package=package, image=upload("cantina.jpg", size=(1200, 800)), position=1)

    html = client.get(package.product.get_absolute_url()).content.decode()

    first, second = _photos(html)
    assert_well_formed(html)
    assert first["fetchpriority"] == "high" and "loading" not in first
    assert second["loading"] == "lazy"
    assert first["src"].endswith(".webp") and len(srcset_urls(first)) == 3
    assert (int(second["width"]), int(second["height"])) in {(360, 240), (720, 480), (1080, 720)}  # its own ratio


@pytest.mark.parametrize("page", ["service", "operator"])
def test_operators_pages_open_on_a_webp_hero(client, page):
    operator, (service, *_) = public_operator(photos=0)
    OperatorPhoto.objects.create(operator=operator, image=upload("aia.jpg", size=(2000, 1200)), position=0)
    with translation.override("en"):
        if page == "service":
            url = reverse("operators-public:service", kwargs={"slug": operator.slug, "pk": service.pk})
        else:
            url = reverse("operators-public:operator", kwargs={"slug": operator.slug})

    html = client.get(url).content.decode()

    hero = assert_well_formed(html)[0]
    assert "hero__img" in hero["class"] and hero["fetchpriority"] == "high"
    assert hero["src"].endswith(".webp") and all(url.endswith(".webp") for url in srcset_urls(hero))
    assert "background-image" not in html
