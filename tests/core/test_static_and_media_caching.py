"""What a browser gets for static files, photos and pages in the production shape: compressed, and cached as
long as each can be.

Static files go through the production storage (base.py's STORAGES["staticfiles"]: whitenoise's compressed
manifest storage) and collectstatic, then are fetched through the middleware like any visitor would.
"""

import gzip

import brotli
import pytest
from django.core.management import call_command
from django.templatetags.static import static

from marketplace.settings import base

# Every request passes the site's middleware (Wagtail's site lookup among them): the database is there.
pytestmark = pytest.mark.django_db

CSS = "body { color: #1a1a1a; }\n" * 200  # a stylesheet worth compressing


@pytest.fixture
def collected(settings, tmp_path):
    """A collectstatic of one stylesheet with the production storage, served by whitenoise."""
    source = tmp_path / "src"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text(CSS)
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {**settings.STORAGES, "staticfiles": base.STORAGES["staticfiles"]}
    call_command("collectstatic", "--noinput", verbosity=0)
    return static("css/site.css")


def test_static_files_have_hashed_names_a_long_immutable_lifetime_and_brotli(client, collected):
    assert collected != "/static/css/site.css"  # the hashed name
    response = client.get(collected, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(response.streaming_content)).decode() == CSS
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control
    assert "max-age=315360000" in cache_control  # ten years: the name changes with the content
    assert "Accept-Encoding" in response["Vary"]


def test_static_files_are_gzipped_for_browsers_without_brotli(client, collected):
    response = client.get(collected, HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).decode() == CSS


def test_media_files_are_served_with_a_year_of_cache(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "hero.width-800.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 400)

    response = client.get("/media/images/hero.width-800.webp", HTTP_ACCEPT_ENCODING="gzip, br")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]  # a new photo or rendition is a new file name
    assert not response.has_header("Content-Encoding")  # an image is not compressed twice
    assert client.get("/media/images/missing.webp").status_code == 404


def test_pages_are_gzipped_for_browsers_that_ask(client):
    plain = client.get("/en/shop/accounts/login/")
    response = client.get("/en/shop/accounts/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == response.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<html" in gzip.decompress(response.content)
    assert len(response.content) < len(plain.content) / 2
