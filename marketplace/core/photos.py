"""WebP renditions of uploaded photos that are not Wagtail images (package and operator photos).

Wagtail images get their renditions from Wagtail (`{% srcset_image %}`, cached by Wagtail). Operators'
and packages' photos are plain `ImageField`s, so they get the same treatment here: resized (never
enlarged), optionally cropped to a ratio around the centre, saved as WebP next to the media files under
`renditions/`, named by their size so a rendition is made once and then found again.

What a photo's renditions are (URLs and sizes) is kept in the cache, so a page showing photos costs no
database query and, once warm, no file-system access either: listings stay at a fixed number of queries.
"""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

CACHE_TIMEOUT = 60 * 60 * 24 * 30
WEBP_QUALITY = 78


@dataclass(frozen=True)
class Rendition:
    """One resized copy of a photo: the same three attributes templates read on Wagtail's renditions."""

    url: str
    width: int
    height: int


def _sizes(source: tuple[int, int], widths: Sequence[int], ratio: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Output sizes for `widths`: the source cropped to `ratio` first, never enlarged, duplicates dropped."""
    source_width, source_height = source
    if ratio:
        crop_width = min(source_width, source_height * ratio[0] / ratio[1])
        crop_height = crop_width * ratio[1] / ratio[0]
    else:
        crop_width, crop_height = source_width, source_height
    sizes: list[tuple[int, int]] = []
    for width in sorted(widths):
        scale = min(1.0, width / crop_width)
        size = (max(1, round(crop_width * scale)), max(1, round(crop_height * scale)))
        if size not in sizes:
            sizes.append(size)
    return sizes


def _rendition_name(name: str, size: tuple[int, int]) -> str:
    stem = posixpath.splitext(name)[0]
    return f"renditions/{stem}.{size[0]}x{size[1]}.webp"


def _make(image: Image.Image, size: tuple[int, int], ratio: tuple[int, int] | None) -> bytes:
    if ratio:
        image = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
    else:
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def _render(name: str, widths: Sequence[int], ratio: tuple[int, int] | None) -> list[Rendition]:
    try:
        with default_storage.open(name) as handle:
            image = Image.open(handle)
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
            renditions = []
            for size in _sizes(image.size, widths, ratio):
                target = _rendition_name(name, size)
                if not default_storage.exists(target):
                    saved = default_storage.save(target, ContentFile(_make(image, size, ratio)))
                    if saved != target:  # made meanwhile by another request: keep one copy
                        default_storage.delete(saved)
                renditions.append(Rendition(url=default_storage.url(target), width=size[0], height=size[1]))
            return renditions
    except (OSError, UnidentifiedImageError, ValueError):
        logger.warning("No renditions for %s: the file is missing or not an image", name, exc_info=True)
        return []


def photo_renditions(name: str, *, widths: Sequence[int], ratio: tuple[int, int] | None = None) -> list[Rendition]:
    """WebP renditions of the stored photo `name` (a storage name, e.g. an ImageField's `.name`), smallest
    first; empty if the file cannot be read (callers then fall back to the original)."""
    if not name:
        return []
    spec = f"{name}|{sorted(widths)}|{ratio}"
    key = "photo-renditions:v1:" + hashlib.sha256(spec.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return [Rendition(*values) for values in found]
    renditions = _render(name, widths, ratio)
    if renditions:  # an unreadable file is tried again next time (it may be uploaded meanwhile)
        cache.set(key, [(r.url, r.width, r.height) for r in renditions], CACHE_TIMEOUT)
    return renditions
