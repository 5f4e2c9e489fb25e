"""Pictures for the demo site, drawn with Pillow: nothing is downloaded, every run draws the same."""

import random
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

PALETTES = [
    ((163, 22, 26), (242, 201, 76)),
    ((10, 74, 143), (120, 190, 230)),
    ((33, 110, 57), (180, 220, 140)),
    ((124, 15, 18), (250, 160, 90)),
    ((70, 50, 120), (200, 170, 230)),
    ((20, 100, 110), (150, 220, 210)),
]


def _blend(start, end, share):
    return tuple(round(a + (b - a) * share) for a, b in zip(start, end, strict=True))


def _landscape(seed, size=(1600, 900)):
    """A gradient sky over rolling hills in one of the palettes."""
    rng = random.Random(seed)  # noqa: S311 - drawing, not security
    dark, light = PALETTES[seed % len(PALETTES)]
    width, height = size
    picture = PillowImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_blend(light, dark, y / height))
    for layer in range(3):
        base = height * (0.55 + 0.13 * layer)
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base + rng.randint(-60, 60)))
        points.append((width, height))
        draw.polygon(points, fill=_blend(dark, (20, 20, 20), 0.2 + 0.25 * layer))
    sun = (rng.randint(200, width - 200), rng.randint(120, 320))
    draw.ellipse([sun[0] - 70, sun[1] - 70, sun[0] + 70, sun[1] + 70], fill=(255, 244, 214))
    return picture


def _portrait(seed, size=(600, 750)):
    """A neutral head-and-shoulders silhouette: demo people have no real faces."""
    dark, light = PALETTES[seed % len(PALETTES)]
    width, height = size
    picture = PillowImage.new("RGB", size, _blend(light, (255, 255, 255), 0.55))
    draw = ImageDraw.Draw(picture)
    draw.ellipse([width * 0.3, height * 0.18, width * 0.7, height * 0.52], fill=_blend(dark, (255, 255, 255), 0.35))
    draw.ellipse([width * 0.1, height * 0.58, width * 0.9, height * 1.3], fill=dark)
    return picture


DRAWINGS = {"landscape": _landscape, "portrait": _portrait}


def demo_image(title, seed, kind="landscape"):
    """The demo image titled `title`, drawn and saved on the first call."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    buffer = BytesIO()
    DRAWINGS[kind](seed).save(buffer, format="JPEG", quality=85)
    image = image_model(title=title, file=ImageFile(buffer, name=f"demo-{kind}-{seed}.jpg"))
    image.save()
    return image
