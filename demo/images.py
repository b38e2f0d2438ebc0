"""Pictures for the demo data, drawn with Pillow (nothing is downloaded).

``product_image`` draws an 800×800 JPEG: a background colour per category, a simple shape
that suggests the product (round persimmons, a bowl of grains, a bundle of noodles, a jar
of honey, a bottle of wine ..., drawn by ``demo.shapes``) and the product name in Chinese.
``banner_image`` and
``collection_image`` draw a pavilion banner and a collection background.

Chinese text needs a CJK font; one is looked for on the machine (``PAVILION_CJK_FONT``,
the usual Noto CJK / WenQuanYi paths, then ``fc-list :lang=zh``). Without one the
pictures are drawn without text. Output is deterministic: the random layout is seeded by
the slug.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess

from PIL import Image, ImageDraw, ImageFont

from .drawing import ellipse, jitter, seeded_rng, shade
from .shapes import SHAPE_OPTIONS, SHAPES

SIZE = 800
SCALE = 2  # drawn at twice the size and scaled down: smooth edges without anti-aliasing
S = SIZE * SCALE

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
]

# Background colour per top-level category slug.
BACKGROUNDS = {
    "dried-fruit-nuts": (253, 234, 210),
    "grain-oil": (250, 240, 200),
    "condiments": (252, 222, 214),
    "herbs": (224, 236, 212),
    "bee-products": (255, 242, 200),
    "drinks": (234, 224, 242),
    "mushrooms": (236, 226, 212),
    "meat": (250, 226, 224),
    "fresh-fruit": (255, 226, 238),
    "eggs-dairy": (232, 240, 250),
    "local-specialties": (240, 228, 214),
    "textiles-crafts": (222, 232, 246),
}
DEFAULT_BACKGROUND = (240, 236, 228)


# Fonts --------------------------------------------------------------------------------

def _renders_chinese(path: str) -> bool:
    try:
        font = ImageFont.truetype(path, 32)
        bbox = font.getbbox("柿饼小米")
    except (OSError, ValueError):
        return False
    return bbox is not None and bbox[2] - bbox[0] > 32


@functools.cache
def find_cjk_font() -> str | None:
    """The path of a font that draws Chinese, or ``None`` when the machine has none."""
    configured = os.environ.get("PAVILION_CJK_FONT", "").strip()
    candidates = ([configured] if configured else []) + FONT_CANDIDATES
    for path in candidates:
        if os.path.isfile(path) and _renders_chinese(path):
            return path
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True,
                                 text=True, timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in sorted(out.splitlines()):
            path = line.split(":")[0].strip()
            if path and os.path.isfile(path) and _renders_chinese(path):
                return path
    return None


@functools.cache
def _load_font(path: str, size: int):
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return None


def _font(size: int):
    path = find_cjk_font()
    return None if path is None else _load_font(path, size)


def _fitting_font(draw, text: str, max_width: int, size: int, min_size: int = 12):
    """The largest font (from ``size`` down) in which ``text`` fits ``max_width``."""
    while size >= min_size:
        font = _font(size)
        if font is None:
            return None
        if draw.textlength(text, font=font) <= max_width:
            return font
        size = int(size * 0.9)
    return _font(min_size)


def _draw_centered_text(draw, text, center_x, top, max_width, size, fill):
    """Draw ``text`` centred at ``center_x``; return the height used (0 without a font)."""
    if not text:
        return 0
    font = _fitting_font(draw, text, max_width, size)
    if font is None:
        return 0
    try:
        left, t, right, bottom = draw.textbbox((0, 0), text, font=font)
        draw.text((center_x - (right - left) / 2 - left, top - t), text, font=font, fill=fill)
    except (OSError, ValueError):  # a glyph the font cannot draw: leave the text out
        return 0
    return bottom - t


def _encode(image: Image.Image, quality: int = 88) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def product_image(slug: str, name: str, shape: str, *, category: str = "",
                  root_category: str = "", subtitle: str = "", index: int = 0) -> bytes:
    """An 800×800 JPEG picture of a product (``index`` varies the layout)."""
    rng = seeded_rng(slug, str(index))
    base = BACKGROUNDS.get(root_category, DEFAULT_BACKGROUND)
    bg = jitter(base, rng, 8)
    image = Image.new("RGB", (S, S), bg)
    draw = ImageDraw.Draw(image)
    # a soft lighter disc behind the product, and a few decorative dots
    ellipse(draw, S / 2, S * 0.42, S * 0.44, S * 0.40, fill=shade(bg, 1.35))
    for _i in range(12):
        r = rng.randint(8, 22)
        ellipse(draw, rng.uniform(0, S), rng.uniform(0, S * 0.75), r, r, fill=shade(bg, 0.93))
    has_text = find_cjk_font() is not None
    panel_top = S - 330 if has_text else S
    margin = 170 if index == 0 else 110  # the second picture is a closer view
    box = (margin, 110 if index == 0 else 60, S - margin,
           (panel_top - 40) if has_text else S - 110)
    draw_shape = SHAPES.get(shape, SHAPES["gift"])
    options = SHAPE_OPTIONS.get(category, {})
    if shape == "mushroom" and "花菇" in name:
        options = {**options, "flower": True}
    draw_shape(draw, rng, box, bg, image=image, **options)
    if has_text:
        draw.rounded_rectangle((70, panel_top, S - 70, S - 60), radius=40,
                               fill=(255, 255, 255), outline=shade(bg, 0.8), width=4)
        used = _draw_centered_text(draw, name, S / 2, panel_top + 45, S - 260, 130,
                                   (50, 40, 36))
        if subtitle:
            _draw_centered_text(draw, subtitle, S / 2, panel_top + 45 + used + 30, S - 300, 60,
                                (140, 110, 90))
    return _encode(image.resize((SIZE, SIZE), Image.Resampling.LANCZOS))


def banner_image(slug: str, title: str, slogan: str, colors, brand: str = "") -> bytes:
    """A 1600×600 JPEG banner for a pavilion: a gradient sky, mountains, title and slogan."""
    width, height = 1600, 600
    rng = seeded_rng("banner", slug)
    start, end = colors
    gradient = Image.linear_gradient("L").rotate(90).resize((width, height))
    image = Image.composite(Image.new("RGB", (width, height), end),
                            Image.new("RGB", (width, height), start), gradient)
    draw = ImageDraw.Draw(image)
    ellipse(draw, width * 0.82, height * 0.28, 90, 90, fill=shade(end, 1.5))
    for layer in range(3):  # mountain ridges, far to near
        base_y = height * (0.6 + layer * 0.12)
        color = shade(start, 0.9 - layer * 0.18)
        pts = [(0, height)]
        x = 0
        while x <= width:
            pts.append((x, base_y - rng.uniform(40, 160) / (layer + 1)))
            x += rng.randint(90, 200)
        pts += [(width, base_y - 40), (width, height)]
        draw.polygon(pts, fill=color)
    used = _draw_centered_text(draw, title, width / 2, 120, width - 300, 110, (255, 255, 255))
    if used:
        used += _draw_centered_text(draw, slogan, width / 2, 120 + used + 40, width - 400, 56,
                                    (255, 250, 235))
        if brand:
            _draw_centered_text(draw, f"区域公用品牌 · {brand}", width / 2, 120 + used + 100,
                                width - 500, 40, (255, 244, 220))
    return _encode(image)


def collection_image(slug: str, name: str, color) -> bytes:
    """A 1200×400 JPEG background for a collection."""
    width, height = 1200, 400
    rng = seeded_rng("collection", slug)
    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    for _i in range(18):
        r = rng.randint(20, 120)
        ellipse(draw, rng.uniform(0, width), rng.uniform(0, height), r, r,
                 fill=shade(color, rng.uniform(1.08, 1.3)))
    _draw_centered_text(draw, name, width / 2, 140, width - 200, 110, (255, 255, 255))
    return _encode(image)
