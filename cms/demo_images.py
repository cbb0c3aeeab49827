"""Demo pictures drawn with Pillow at load time: Tuscan landscape gradients with the place's name.

They are ours (generated, dedicated to the public domain, CC0) so the demo ships no third-party photos;
each one says it is an illustration, so nobody mistakes it for the real place.
"""

import hashlib
import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter, ImageFont

# (sky top, sky bottom, far hills, near hills, accent) per mood
PALETTES = {
    "dawn": ((246, 205, 160), (250, 236, 214), (170, 150, 160), (110, 120, 80), (200, 90, 60)),
    "noon": ((120, 170, 215), (214, 230, 240), (120, 150, 130), (90, 120, 60), (230, 200, 80)),
    "dusk": ((120, 80, 110), (240, 160, 110), (120, 90, 100), (70, 60, 60), (250, 210, 140)),
    "forest": ((150, 185, 200), (225, 232, 220), (90, 120, 100), (40, 80, 50), (240, 230, 180)),
    "stone": ((190, 200, 210), (240, 232, 218), (170, 140, 110), (150, 90, 60), (250, 240, 200)),
}


def _lerp(a, b, t):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def landscape_png(title: str, *, mood: str = "noon", size=(1600, 900), caption: str = "") -> bytes:
    """A JPEG of sky, sun and rolling hills (plus a row of cypresses), with `title` written on it."""
    width, height = size
    sky_top, sky_bottom, far, near, accent = PALETTES.get(mood, PALETTES["noon"])
    rnd = random.Random(hashlib.sha256(title.encode()).digest())
    img = PILImage.new("RGB", size, sky_bottom)
    draw = ImageDraw.Draw(img)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_lerp(sky_top, sky_bottom, min(1, y / (height * 0.65))))
    sun_x, sun_y, r = rnd.randint(width // 5, 4 * width // 5), rnd.randint(height // 8, height // 3), height // 11
    # The sun's glow is blurred at an eighth of the size and scaled up: the same soft halo, 60 times faster.
    small = (max(1, width // 8), max(1, height // 8))
    glow = PILImage.new("RGBA", small, (0, 0, 0, 0))
    ImageDraw.Draw(glow).ellipse(
        [(sun_x - 3 * r) / 8, (sun_y - 3 * r) / 8, (sun_x + 3 * r) / 8, (sun_y + 3 * r) / 8], fill=(*accent, 70)
    )
    glow = glow.filter(ImageFilter.GaussianBlur(60 / 8)).resize(size, PILImage.BILINEAR)
    img.paste(glow, (0, 0), glow)
    draw = ImageDraw.Draw(img)
    draw.ellipse([sun_x - r, sun_y - r, sun_x + r, sun_y + r], fill=accent)
    layers = 4
    for i in range(layers):
        t = i / (layers - 1)
        color = _lerp(far, near, t)
        base = height * (0.55 + 0.12 * i)
        amp = height * (0.08 - 0.012 * i)
        phase, freq = rnd.random() * 6.28, 1.5 + rnd.random() * 2
        points = [(0, height)]
        for x in range(0, width + 20, 20):
            y = base - amp * math.sin(freq * x / width * 6.28 + phase) - amp * 0.4 * math.sin(3.1 * x / width * 6.28)
            points.append((x, y))
        points.append((width, height))
        draw.polygon(points, fill=color)
        if i == 2:  # a row of cypresses on the third hill
            start = rnd.randint(width // 10, width // 2)
            for k in range(rnd.randint(4, 9)):
                cx = start + k * rnd.randint(28, 48)
                cy = base - amp * math.sin(freq * cx / width * 6.28 + phase) + 4
                h = rnd.randint(60, 110)
                draw.ellipse([cx - 9, cy - h, cx + 9, cy], fill=_lerp(near, (20, 40, 25), 0.6))
    # A discreet label, bottom right, so the picture also works behind a page's own title.
    font = ImageFont.load_default(size=int(height * 0.05))
    small = ImageFont.load_default(size=int(height * 0.024))
    note = caption or "Illustrazione generata · Generated illustration · CC0"
    title_box = ImageDraw.Draw(img).textbbox((0, 0), title, font=font)
    note_box = ImageDraw.Draw(img).textbbox((0, 0), note, font=small)
    box_w = max(title_box[2], note_box[2]) + 48
    box_h = title_box[3] + note_box[3] + 44
    # Inside the crops pages use: cards cut ~5% each side, heroes ~17% top and bottom.
    x0, y0 = int(width * 0.92) - box_w, int(height * 0.8) - box_h
    label = PILImage.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(label).rounded_rectangle([x0, y0, x0 + box_w, y0 + box_h], radius=14, fill=(0, 0, 0, 80))
    img.paste(label, (0, 0), label)
    draw = ImageDraw.Draw(img)
    draw.text((x0 + 24, y0 + 14), title, font=font, fill=(255, 255, 255))
    draw.text((x0 + 24, y0 + 24 + title_box[3]), note, font=small, fill=(235, 235, 235))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=84, optimize=True)
    return out.getvalue()


def demo_image(title: str, *, mood: str = "noon", collection=None):
    """The Wagtail image called `title` (created once: the demo loader is idempotent)."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = landscape_png(title, mood=mood)
    filename = hashlib.sha1(title.encode()).hexdigest()[:12] + ".jpg"
    if collection is None:
        from wagtail.models import Collection

        # Wagtail's migrations create the root collection; a flushed database (transactional tests) has none.
        collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    image = image_model(title=title, description="Generated illustration (CC0)", collection=collection)
    image.file.save(filename, ImageFile(io.BytesIO(data), name=filename), save=False)
    image.save()
    return image
