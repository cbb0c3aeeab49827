"""Responsive <img> markup: srcset, sizes, width and height, for Wagtail renditions and uploaded photos.

    {% load photo_tags %}
    {% photo_img package.first_photo widths="400,720" ratio="4:3" sizes="(min-width: 768px) 345px, 100vw" %}
    {% photo_renditions photo.image widths="480,800" ratio="5:4" as narrow %}  {# a list, for <picture> #}
    {{ renditions|srcset }}  {# "a.webp 400w, b.webp 720w": Wagtail's renditions or ours #}

The first screen's largest image takes `fetchpriority="high"` and no `loading`; the others `loading="lazy"`.
"""

from django import template
from django.core.files.storage import default_storage
from django.forms.utils import flatatt
from django.utils.html import format_html_join
from wagtail.images.shortcuts import get_renditions_or_not_found

from marketplace.core.photos import photo_renditions as _photo_renditions

register = template.Library()


def _name(photo) -> str:
    """A storage name from an ImageField's file, or the name itself (annotated `first_photo` values)."""
    return getattr(photo, "name", photo) or ""


def _widths(widths: str) -> list[int]:
    return [int(width) for width in str(widths).split(",") if width.strip()]


def _ratio(ratio: str) -> tuple[int, int] | None:
    if not ratio:
        return None
    across, down = str(ratio).split(":")
    return int(across), int(down)


@register.filter
def srcset(renditions) -> str:
    """The `srcset` of renditions (anything with url and width), widths ascending."""
    return ", ".join(f"{r.url} {r.width}w" for r in sorted(renditions, key=lambda r: r.width))


@register.simple_tag
def photo_renditions(photo, widths="400,800", ratio=""):
    """WebP renditions of an uploaded photo, smallest first (empty if the file cannot be read)."""
    return _photo_renditions(_name(photo), widths=_widths(widths), ratio=_ratio(ratio))


@register.simple_tag
def photo_img(photo, widths="400,800", ratio="", sizes="100vw", alt="", **attrs):
    """An <img> of an uploaded photo from its WebP renditions. `src` is the rendition closest to 800 px
    wide; width and height are its own, so the browser reserves the right box before it loads."""
    name = _name(photo)
    if not name:
        return ""
    renditions = _photo_renditions(name, widths=_widths(widths), ratio=_ratio(ratio))
    if not renditions:  # unreadable file: the original, as before
        return format_html_join("", "<img{}>", [(flatatt({"src": default_storage.url(name), "alt": alt, **attrs}),)])
    src = min(renditions, key=lambda r: abs(r.width - 800))
    attributes = {"src": src.url, "srcset": srcset(renditions), "sizes": sizes, "width": src.width,
                  "height": src.height, "alt": alt}  # fmt: skip
    if len(renditions) == 1:
        del attributes["srcset"], attributes["sizes"]
    attributes.update({key: value for key, value in attrs.items() if value not in ("", None)})
    return format_html_join("", "<img{}>", [(flatatt(attributes),)])


# Heroes of Wagtail images: a wide crop for tablets and desktops, a taller one for phones (the hero's text
# makes it taller than wide there); `fill` crops around the image's focal point, never enlarging.
HERO_CROPS = {
    "page": {"wide": ((8, 3), (960, 1280, 1920)), "narrow": ((5, 4), (480, 640, 800))},
    "home": {"wide": ((16, 7), (960, 1280, 1920)), "narrow": ((5, 6), (480, 640, 800))},
}


PHOTO_HERO_WIDTHS = (480, 800, 1280, 1920)


@register.simple_tag
def hero_renditions(image, kind="page"):
    """{"wide": [...], "narrow": [...]} WebP renditions for a hero, from a Wagtail image (in one call to
    Wagtail's cached renditions) or an uploaded photo; None without an image."""
    if not image:
        return None
    crops = HERO_CROPS[kind]
    if hasattr(image, "get_renditions"):
        specs = {
            part: [f"fill-{width}x{round(width * down / across)}|format-webp" for width in widths]
            for part, ((across, down), widths) in crops.items()
        }
        found = get_renditions_or_not_found(image, [spec for part_specs in specs.values() for spec in part_specs])
        if any(not rendition.width for rendition in found.values()):  # the original is missing: a plain hero
            return None
        result = {part: _distinct([found[spec] for spec in part_specs]) for part, part_specs in specs.items()}
    else:  # uploaded photos are not cropped (no focal point to crop around): CSS places them, as it did
        result = {"wide": _photo_renditions(_name(image), widths=PHOTO_HERO_WIDTHS), "narrow": []}
    return result if result["wide"] else None


def _distinct(renditions):
    """Renditions of distinct widths (a small original gives the same size for several specs)."""
    seen = {}
    for rendition in renditions:
        seen.setdefault(rendition.width, rendition)
    return list(seen.values())
