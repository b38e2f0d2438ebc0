"""Pictures for the demo data, drawn with Pillow (nothing is downloaded).

``product_image`` draws an 800×800 JPEG: a background colour per category, a simple shape
that suggests the product (round persimmons, a bowl of grains, a bundle of noodles, a jar
of honey, a bottle of wine ...) and the product name in Chinese. ``banner_image`` and
``collection_image`` draw a pavilion banner and a collection background.

Chinese text needs a CJK font; one is looked for on the machine (``PAVILION_CJK_FONT``,
the usual Noto CJK / WenQuanYi paths, then ``fc-list :lang=zh``). Without one the
pictures are drawn without text. Output is deterministic: the random layout is seeded by
the slug.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import random
import shutil
import subprocess

from PIL import Image, ImageDraw, ImageFont

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


# Helpers ------------------------------------------------------------------------------

def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _jitter(color, rng, amount=10):
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)


def _vary(color, rng, amount=12):
    """``color`` made a little lighter or darker (the same shift on every channel)."""
    d = rng.randint(-amount, amount)
    return tuple(max(0, min(255, c + d)) for c in color)


def _shade(color, factor):
    """Darker (factor < 1) or lighter (factor > 1) version of ``color``."""
    if factor >= 1:
        return tuple(int(c + (255 - c) * (factor - 1)) for c in color)
    return tuple(int(c * factor) for c in color)


def _mix(a, b, t):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _ellipse(draw, cx, cy, rx, ry, fill, outline=None, width=0):
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=outline, width=width)


def _rotated_rect(cx, cy, w, h, angle):
    c, s = math.cos(angle), math.sin(angle)
    pts = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        pts.append((cx + dx * c - dy * s, cy + dx * s + dy * c))
    return pts


def _blob(cx, cy, r, rng, points=14, wobble=0.3):
    pts = []
    for i in range(points):
        a = 2 * math.pi * i / points
        rr = r * (1 + rng.uniform(-wobble, wobble))
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def _shadow(draw, cx, cy, rx, ry, bg):
    _ellipse(draw, cx, cy, rx, ry, fill=_shade(bg, 0.86))


# Shapes: each draws into the box (x0, y0, x1, y1) of a 2×-sized canvas ----------------------

def _persimmons(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    spots = [(-0.22, 0.12), (0.22, 0.12), (0, -0.12), (-0.02, 0.3)]
    for i, (dx, dy) in enumerate(spots[: rng.randint(3, 4)]):
        px, py = cx + dx * (x1 - x0), cy + dy * (y1 - y0)
        r = rng.randint(170, 200)
        color = _jitter((226, 110, 30), rng, 12)
        _ellipse(draw, px, py, r, r * 0.78, fill=color, outline=_shade(color, 0.75), width=6)
        _ellipse(draw, px - r * 0.35, py - r * 0.3, r * 0.25, r * 0.14, fill=_shade(color, 1.25))
        for _i in range(40):  # the white frost (柿霜)
            a, d = rng.uniform(0, 2 * math.pi), rng.uniform(0, r * 0.85)
            fx, fy = px + d * math.cos(a), py + d * math.sin(a) * 0.75
            _ellipse(draw, fx, fy, 5, 5, fill=(250, 240, 225))
        leaf = (96, 110, 40) if i % 2 == 0 else (120, 90, 40)
        for k in range(4):
            a = k * math.pi / 2 + rng.uniform(-0.2, 0.2)
            lx, ly = px + 34 * math.cos(a), py - r * 0.78 + 18 * math.sin(a)
            _ellipse(draw, lx, ly, 34, 16, fill=leaf)
        draw.line((px, py - r * 0.78, px + 6, py - r * 0.78 - 40), fill=(90, 60, 30), width=12)


def _walnuts(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(6):
        px = cx + rng.uniform(-0.3, 0.3) * (x1 - x0)
        py = cy + rng.uniform(-0.2, 0.25) * (y1 - y0)
        r = rng.randint(110, 150)
        color = _jitter((176, 128, 78), rng, 14)
        _ellipse(draw, px, py, r, r * 0.9, fill=color, outline=_shade(color, 0.7), width=6)
        draw.line((px, py - r * 0.9, px, py + r * 0.9), fill=_shade(color, 0.7), width=8)
        for _k in range(7):
            ax = px + rng.uniform(-r * 0.7, r * 0.7)
            ay = py + rng.uniform(-r * 0.6, r * 0.6)
            draw.arc((ax - 40, ay - 24, ax + 40, ay + 24), rng.randint(0, 180),
                     rng.randint(200, 360), fill=_shade(color, 0.78), width=5)


def _bowl(draw, box, bg, bowl_color=(120, 72, 40)):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    top = y0 + (y1 - y0) * 0.48
    rx = (x1 - x0) * 0.42
    _shadow(draw, cx, y1 - 30, rx * 0.8, 50, bg)
    depth = y1 - 20 - top
    draw.chord((cx - rx, top - depth, cx + rx, top + depth), 0, 180, fill=bowl_color)
    _ellipse(draw, cx, top, rx, 48, fill=_shade(bowl_color, 0.8))
    return cx, top, rx


def _grains(draw, rng, box, bg, color=(236, 182, 40), **_):
    cx, top, rx = _bowl(draw, box, bg)
    # a heap of grains above the rim and grains spilled in front
    for _i in range(900):
        a = rng.uniform(math.pi, 2 * math.pi)
        d = math.sqrt(rng.random())
        gx = cx + rx * 0.95 * d * math.cos(a)
        gy = top + 40 + 250 * d * math.sin(a) * 0.9
        r = rng.randint(9, 13)
        _ellipse(draw, gx, gy, r, r, fill=_jitter(color, rng, 18))
    for _i in range(50):
        gx = cx + rng.uniform(-rx * 1.1, rx * 1.1)
        gy = box[3] - rng.uniform(0, 60)
        _ellipse(draw, gx, gy, 11, 11, fill=_jitter(color, rng, 18))


def _rice(draw, rng, box, bg, color=(246, 242, 230), **_):
    cx, top, rx = _bowl(draw, box, bg, bowl_color=(60, 90, 120))
    for _i in range(650):
        a = rng.uniform(math.pi, 2 * math.pi)
        d = math.sqrt(rng.random())
        gx = cx + rx * 0.95 * d * math.cos(a)
        gy = top + 40 + 240 * d * math.sin(a) * 0.9
        ang = rng.uniform(0, math.pi)
        dx, dy = 16 * math.cos(ang), 16 * math.sin(ang)
        fill = _vary(color, rng, 10)
        draw.line((gx - dx, gy - dy, gx + dx, gy + dy), fill=fill, width=14)
        _ellipse(draw, gx - dx, gy - dy, 7, 7, fill=fill)
        _ellipse(draw, gx + dx, gy + dy, 7, 7, fill=fill)


def _noodles(draw, rng, box, bg, color=(242, 226, 180), **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 30, (x1 - x0) * 0.4, 50, bg)
    for b, (bx, tilt) in enumerate(((-0.16, -0.18), (0.16, 0.18))):
        bcx = cx + bx * (x1 - x0)
        for _i in range(70):
            off = rng.uniform(-110, 110)
            top = (bcx + off + tilt * 300, y0 + 40 + rng.uniform(0, 30))
            bottom = (bcx + off * 0.9 - tilt * 300, y1 - 60 - rng.uniform(0, 30))
            draw.line((*top, *bottom), fill=_jitter(color, rng, 14), width=6)
        band_y = (y0 + y1) / 2 + (b * 20)
        draw.rounded_rectangle((bcx - 130, band_y - 50, bcx + 130, band_y + 50), radius=14,
                               fill=(200, 40, 40) if b == 0 else (30, 80, 150))
        draw.rectangle((bcx - 60, band_y - 30, bcx + 60, band_y + 30), fill=(250, 244, 230))


def _pepper(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 60
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _k in range(3):  # leaves
        a = rng.uniform(-2.6, -0.5)
        lx, ly = cx + 260 * math.cos(a), cy - 100 + 200 * math.sin(a)
        draw.polygon(_rotated_rect(lx, ly, 260, 90, a), fill=(70, 130, 50))
    for _i in range(260):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
        px = cx + 380 * d * math.cos(a)
        py = cy + 220 * d * math.sin(a)
        r = rng.randint(16, 22)
        color = _jitter((170, 40, 30), rng, 20)
        _ellipse(draw, px, py, r, r, fill=color)
        draw.line((px - r * 0.6, py, px + r * 0.6, py), fill=(60, 15, 10), width=4)


def _chili(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for i in range(7):
        sx = cx - 420 + i * 140 + rng.uniform(-20, 20)
        sy = y0 + 120 + rng.uniform(-30, 30)
        bend = rng.uniform(-160, 160)
        length = rng.uniform(650, 800)
        left, right = [], []
        for k in range(21):
            t = k / 20
            px = sx + bend * t * t
            py = sy + length * t
            w = 48 * (1 - t) ** 0.8 + 3
            left.append((px - w, py))
            right.append((px + w, py))
        color = _jitter((200, 30, 30), rng, 20)
        draw.polygon(left + right[::-1], fill=color)
        draw.line((sx - 12, sy + 40, sx - 12 + bend * 0.1, sy + length * 0.5),
                  fill=_shade(color, 1.35), width=8)
        draw.rounded_rectangle((sx - 40, sy - 30, sx + 40, sy + 14), radius=12, fill=(70, 120, 40))
        draw.line((sx, sy - 30, sx + 20, sy - 80), fill=(70, 120, 40), width=14)


def _tapered(sx, sy, ex, ey, width, bend, steps=18):
    """A curved, tapering stroke from (sx, sy) to (ex, ey) as a polygon."""
    left, right = [], []
    length = math.hypot(ex - sx, ey - sy) or 1
    nx, ny = -(ey - sy) / length, (ex - sx) / length
    for k in range(steps + 1):
        t = k / steps
        off = bend * math.sin(math.pi * t)
        px, py = sx + (ex - sx) * t + nx * off, sy + (ey - sy) * t + ny * off
        w = width * (1 - t) ** 0.7 + 3
        left.append((px + nx * w, py + ny * w))
        right.append((px - nx * w, py - ny * w))
    return left + right[::-1]


def _roots(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for i in range(6):
        sx = cx - 330 + rng.uniform(-30, 30)
        sy = y0 + 130 + i * 62
        ex = sx + rng.uniform(560, 700)
        ey = sy + rng.uniform(40, 200)
        color = _jitter((150, 48, 38), rng, 16)
        draw.polygon(_tapered(sx, sy, ex, ey, 34, rng.uniform(-50, 50)), fill=color,
                     outline=_shade(color, 0.7))
        for _k in range(2):  # side rootlets
            t = rng.uniform(0.3, 0.7)
            bx, by = sx + (ex - sx) * t, sy + (ey - sy) * t
            draw.polygon(_tapered(bx, by, bx + rng.uniform(80, 160), by + rng.uniform(40, 110),
                                  10, 10, 6), fill=color)
    for _i in range(7):  # slices
        px = cx + rng.uniform(-360, 360)
        py = y1 - rng.uniform(100, 220)
        r = rng.randint(50, 70)
        _ellipse(draw, px, py, r, r * 0.85, fill=(120, 40, 35))
        _ellipse(draw, px, py, r * 0.75, r * 0.62, fill=(196, 150, 110))
        _ellipse(draw, px, py, r * 0.25, r * 0.2, fill=(160, 90, 70))


def _tubers(draw, rng, box, bg, color=(236, 226, 200), **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(80):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
        px = cx + 400 * d * math.cos(a)
        py = cy + 60 + 260 * d * math.sin(a)
        r = rng.randint(28, 44)
        fill = _vary(color, rng, 14)
        draw.polygon(_blob(px, py, r, rng, 10, 0.18), fill=fill, outline=_shade(fill, 0.62),
                     width=5)
        _ellipse(draw, px - r * 0.3, py - r * 0.3, r * 0.25, r * 0.18, fill=_shade(fill, 1.2))


def _jar(draw, rng, box, bg, fill_color=(214, 150, 20), lid=(180, 40, 40), **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 40, 360, 60, bg)
    top, bottom = y0 + 170, y1 - 50
    draw.rounded_rectangle((cx - 300, top, cx + 300, bottom), radius=90,
                           fill=(236, 240, 244), outline=(190, 196, 204), width=8)
    draw.rounded_rectangle((cx - 280, top + 110, cx + 280, bottom - 20), radius=80,
                           fill=fill_color)
    draw.rounded_rectangle((cx - 230, top - 130, cx + 230, top + 30), radius=30, fill=lid)
    for k in range(5):
        x = cx - 200 + k * 100
        draw.line((x, top - 120, x, top + 20), fill=_shade(lid, 0.8), width=8)
    draw.rounded_rectangle((cx - 200, top + 250, cx + 200, top + 500), radius=20,
                           fill=(252, 248, 238))
    draw.line((cx - 150, top + 330, cx + 150, top + 330), fill=_shade(fill_color, 0.7), width=10)
    draw.line((cx - 110, top + 400, cx + 110, top + 400), fill=_shade(fill_color, 0.7), width=10)
    draw.line((cx - 230, top + 160, cx - 230, bottom - 120), fill=(255, 255, 255), width=22)


def _hexagon(cx, cy, r):
    return [(cx + r * math.cos(math.pi / 3 * k), cy + r * math.sin(math.pi / 3 * k))
            for k in range(6)]


def _honey(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    for i in range(12):  # honeycomb in the corner
        hx = x1 - 60 - (i % 4) * 95
        hy = y0 + 40 + (i // 4) * 110 + (55 if i % 2 else 0)
        draw.polygon(_hexagon(hx, hy, 55), fill=_jitter((244, 196, 60), rng, 12),
                     outline=(200, 140, 20))
    _jar(draw, rng, (x0 - 120, y0 + 60, x1 - 120, y1), bg, fill_color=(232, 160, 20),
         lid=(200, 150, 60))
    # a honey dipper
    hx, hy = x1 - 160, y1 - 330
    draw.line((hx - 240, hy - 300, hx, hy), fill=(150, 100, 50), width=24)
    for k in range(4):
        _ellipse(draw, hx + k * 14, hy + k * 14, 70 - k * 8, 70 - k * 8, fill=(176, 120, 60))
        _ellipse(draw, hx + k * 14, hy + k * 14, 60 - k * 8, 60 - k * 8, fill=(224, 168, 40))


def _honeycomb(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _shadow(draw, cx, y1 - 30, 420, 60, bg)
    draw.rounded_rectangle((cx - 440, cy - 340, cx + 440, cy + 340), radius=30,
                           fill=(250, 250, 250), outline=(200, 200, 200), width=8)
    r = 58
    for row in range(7):
        for col in range(9):
            hx = cx - 380 + col * r * 1.5
            hy = cy - 290 + row * r * 1.73 + (r * 0.86 if col % 2 else 0)
            if hy > cy + 300:
                continue
            draw.polygon(_hexagon(hx, hy, r - 4), fill=_jitter((232, 170, 30), rng, 16),
                         outline=(176, 110, 10))


def _bottle(draw, rng, box, bg, glass=(60, 110, 60), label=(250, 244, 226), liquid=None, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2 - (140 if liquid else 0)
    _shadow(draw, (x0 + x1) / 2, y1 - 30, 420, 60, bg)
    body_top, bottom = y0 + 420, y1 - 40
    draw.rounded_rectangle((cx - 170, body_top, cx + 170, bottom), radius=50, fill=glass)
    _ellipse(draw, cx, body_top + 10, 170, 130, fill=glass)
    draw.rectangle((cx - 55, y0 + 140, cx + 55, body_top), fill=glass)
    draw.rounded_rectangle((cx - 65, y0 + 60, cx + 65, y0 + 170), radius=16, fill=(150, 30, 40))
    draw.rounded_rectangle((cx - 150, body_top + 190, cx + 150, body_top + 500), radius=16,
                           fill=label)
    draw.line((cx - 100, body_top + 290, cx + 100, body_top + 290), fill=glass, width=12)
    draw.line((cx - 70, body_top + 370, cx + 70, body_top + 370), fill=(190, 40, 40), width=10)
    draw.line((cx - 120, body_top + 60, cx - 120, bottom - 80), fill=_shade(glass, 1.35),
              width=20)
    if liquid:  # a glass beside the bottle
        gx = cx + 380
        gy = y1 - 420
        draw.chord((gx - 150, gy - 260, gx + 150, gy + 80), 0, 180, fill=liquid)
        draw.arc((gx - 150, gy - 260, gx + 150, gy + 80), 0, 180, fill=(180, 180, 190), width=6)
        draw.line((gx - 150, gy - 90, gx - 150, gy - 200), fill=(180, 180, 190), width=6)
        draw.line((gx + 150, gy - 90, gx + 150, gy - 200), fill=(180, 180, 190), width=6)
        draw.line((gx, gy + 80, gx, y1 - 70), fill=(200, 200, 210), width=14)
        _ellipse(draw, gx, y1 - 60, 100, 22, fill=(200, 200, 210))


def _wine(draw, rng, box, bg, **kw):
    _bottle(draw, rng, box, bg, glass=(70, 110, 40), label=(250, 240, 210),
            liquid=(236, 200, 80), **kw)


def _mushrooms(draw, rng, box, bg, cap=(140, 86, 50), flower=False, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    spots = [(-0.25, 0.1, 1.0), (0.22, 0.0, 1.1), (0.02, 0.22, 0.9), (-0.05, -0.15, 0.8)]
    for dx, dy, scale in spots:
        mx = cx + dx * (x1 - x0)
        my = (y0 + y1) / 2 + dy * (y1 - y0)
        r = 190 * scale
        color = _jitter(cap, rng, 14)
        draw.rounded_rectangle((mx - r * 0.28, my - 20, mx + r * 0.28, my + r * 1.1),
                               radius=int(r * 0.2), fill=(238, 226, 200))
        draw.chord((mx - r, my - r * 0.8, mx + r, my + r * 0.5), 180, 360, fill=color)
        draw.line((mx - r * 0.92, my - r * 0.15, mx + r * 0.92, my - r * 0.15),
                  fill=_shade(color, 0.75), width=10)
        if flower:
            for _k in range(9):
                ax = mx + rng.uniform(-r * 0.7, r * 0.7)
                ay = my - rng.uniform(r * 0.25, r * 0.7)
                draw.line((ax, ay, ax + rng.uniform(-50, 50), ay + rng.uniform(-30, 30)),
                          fill=(246, 240, 226), width=9)
        else:
            _ellipse(draw, mx - r * 0.35, my - r * 0.5, r * 0.25, r * 0.1,
                     fill=_shade(color, 1.3))


def _wood_ear(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 40
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(14):
        px = cx + rng.uniform(-360, 360)
        py = cy + rng.uniform(-240, 240)
        r = rng.randint(80, 130)
        fill = _jitter((44, 30, 28), rng, 10)
        draw.polygon(_blob(px, py, r, rng, 16, 0.35), fill=fill)
        draw.arc((px - r * 0.6, py - r * 0.5, px + r * 0.6, py + r * 0.5), 200, 330,
                 fill=(90, 70, 62), width=8)


def _meat(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 40
    draw.rounded_rectangle((x0 + 20, cy - 260, x1 - 20, y1 - 40), radius=60,
                           fill=(176, 122, 70))
    for k in range(5):
        y = cy - 200 + k * 90
        draw.line((x0 + 60, y, x1 - 60, y + 10), fill=(160, 108, 60), width=6)
    for i in range(2):
        px = cx - 190 + i * 380
        py = cy + 40
        pts = _blob(px, py, 240, rng, 16, 0.16)
        draw.polygon(pts, fill=(176, 40, 48), outline=(245, 230, 220), width=14)
        for _k in range(7):
            ax, ay = px + rng.uniform(-170, 150), py + rng.uniform(-150, 150)
            draw.arc((ax - 70, ay - 30, ax + 70, ay + 30), rng.randint(0, 90),
                     rng.randint(180, 300), fill=(246, 226, 220), width=7)
    for _k in range(4):  # rosemary-like herb sprigs
        sx, sy = cx + rng.uniform(-300, 300), cy + rng.uniform(-240, -150)
        draw.line((sx, sy, sx + 120, sy - 40), fill=(60, 110, 50), width=8)


def _jerky(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(11):
        px, py = cx + rng.uniform(-300, 300), cy + rng.uniform(-220, 220)
        ang = rng.uniform(-0.9, 0.9)
        color = _jitter((110, 50, 30), rng, 16)
        draw.polygon(_rotated_rect(px, py, 340, 70, ang), fill=color,
                     outline=_shade(color, 0.7))
        for k in (-1, 1):
            ox, oy = -math.sin(ang) * 14 * k, math.cos(ang) * 14 * k
            dx, dy = math.cos(ang) * 140, math.sin(ang) * 140
            draw.line((px - dx + ox, py - dy + oy, px + dx + ox, py + dy + oy),
                      fill=_shade(color, 1.3), width=5)


def _pitaya(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    wx, wy = cx - 170, cy - 30  # a whole fruit
    for k in range(10):
        a = 2 * math.pi * k / 10
        tip = (wx + 330 * math.cos(a), wy + 270 * math.sin(a))
        base1 = (wx + 200 * math.cos(a - 0.25), wy + 190 * math.sin(a - 0.25))
        base2 = (wx + 200 * math.cos(a + 0.25), wy + 190 * math.sin(a + 0.25))
        draw.polygon([base1, tip, base2], fill=(120, 170, 60))
    _ellipse(draw, wx, wy, 260, 220, fill=(214, 40, 110))
    for _k in range(8):
        a = rng.uniform(0, 2 * math.pi)
        px, py = wx + 170 * math.cos(a), wy + 140 * math.sin(a)
        draw.polygon([(px - 30, py + 20), (px + 40 * math.cos(a), py + 40 * math.sin(a)),
                      (px + 30, py + 20)], fill=(150, 190, 70))
    hx, hy = cx + 250, cy + 200  # a halved one, red flesh with black seeds
    _ellipse(draw, hx, hy, 230, 190, fill=(214, 40, 110))
    _ellipse(draw, hx, hy, 205, 168, fill=(176, 20, 80))
    for _k in range(160):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
        _ellipse(draw, hx + 190 * d * math.cos(a), hy + 155 * d * math.sin(a), 5, 4,
                 fill=(25, 10, 15))


def _eggs(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for i, (dx, dy) in enumerate(((-0.25, -0.05), (0.0, -0.15), (0.25, -0.05))):
        ex, ey = cx + dx * (x1 - x0), cy + dy * (y1 - y0)
        color = _jitter((196, 170, 120) if i != 1 else (150, 140, 110), rng, 10)
        _ellipse(draw, ex, ey, 120, 160, fill=color, outline=_shade(color, 0.8), width=5)
        for _k in range(14):
            _ellipse(draw, ex + rng.uniform(-90, 90), ey + rng.uniform(-130, 130), 6, 6,
                     fill=_shade(color, 0.8))
    for dx in (-0.15, 0.15):  # halves of a cut egg: amber white, dark green yolk
        hx, hy = cx + dx * (x1 - x0), cy + 0.25 * (y1 - y0)
        _ellipse(draw, hx, hy, 150, 120, fill=(90, 50, 20))
        _ellipse(draw, hx, hy, 130, 102, fill=(150, 90, 30))
        _ellipse(draw, hx, hy + 5, 62, 55, fill=(70, 80, 40))
        _ellipse(draw, hx, hy + 5, 34, 30, fill=(200, 150, 40))
        for _k in range(6):
            ax, ay = hx + rng.uniform(-100, 100), hy + rng.uniform(-80, 80)
            draw.line((ax, ay, ax + 18, ay - 14), fill=(220, 190, 120), width=4)


def _sack(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 30, 380, 60, bg)
    pts = [(cx - 250, y0 + 230), (cx + 250, y0 + 230), (cx + 330, y1 - 120),
           (cx + 300, y1 - 50), (cx - 300, y1 - 50), (cx - 330, y1 - 120)]
    draw.polygon(pts, fill=(238, 226, 196), outline=(200, 180, 140), width=8)
    draw.polygon([(cx - 250, y0 + 230), (cx - 120, y0 + 80), (cx, y0 + 150), (cx + 120, y0 + 80),
                  (cx + 250, y0 + 230)], fill=(228, 212, 176))
    draw.rounded_rectangle((cx - 220, y0 + 200, cx + 220, y0 + 250), radius=20,
                           fill=(180, 60, 40))
    for side in (-1, 1):  # an ear of wheat on the sack
        sx, sy = cx + side * 80, y0 + 380
        draw.line((sx, sy + 380, sx, sy), fill=(200, 150, 50), width=10)
        for k in range(7):
            ky = sy + k * 42
            _ellipse(draw, sx - 26, ky, 20, 30, fill=(222, 170, 60))
            _ellipse(draw, sx + 26, ky, 20, 30, fill=(222, 170, 60))


def _plaid(width, height, rng, base=(236, 232, 220)):
    tile = Image.new("RGB", (width, height), base)
    d = ImageDraw.Draw(tile)
    palette = [(40, 70, 140), (200, 40, 50), (30, 110, 80), (60, 60, 60)]
    stripe = palette[rng.randint(0, len(palette) - 1)]
    accent = palette[rng.randint(0, len(palette) - 1)]
    step = rng.choice((80, 100, 120))
    for x in range(0, width, step):
        d.rectangle((x, 0, x + step // 3, height), fill=_mix(base, stripe, 0.55))
        d.line((x + step // 2, 0, x + step // 2, height), fill=accent, width=5)
    for y in range(0, height, step):
        d.rectangle((0, y, width, y + step // 3), fill=_mix(base, stripe, 0.55))
        d.line((0, y + step // 2, width, y + step // 2), fill=accent, width=5)
    for x in range(0, width, step):
        for y in range(0, height, step):
            d.rectangle((x, y, x + step // 3, y + step // 3), fill=_mix(base, stripe, 0.85))
    return tile


def _cloth(draw, rng, box, bg, image=None, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 20, 460, 60, bg)
    layers = 3
    for i in range(layers):  # a stack of folded cloth, bottom first
        top = y1 - 80 - (i + 1) * 200
        left, right = x0 + 40 + i * 20, x1 - 40 - i * 20
        tile = _plaid(int(right - left), 190, rng)
        image.paste(tile, (int(left), int(top)))
        draw.rounded_rectangle((left, top, right, top + 190), radius=24,
                               outline=_shade(bg, 0.7), width=6)
        draw.line((left + 10, top + 180, right - 10, top + 180), fill=(0, 0, 0), width=3)


def _gift(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 30, 440, 60, bg)
    color = _jitter((196, 30, 40), rng, 12)
    top = y0 + 300
    draw.rectangle((cx - 380, top, cx + 380, y1 - 50), fill=color)
    draw.rectangle((cx - 410, top - 90, cx + 410, top + 20), fill=_shade(color, 0.85))
    gold = (236, 190, 70)
    draw.rectangle((cx - 45, top - 90, cx + 45, y1 - 50), fill=gold)
    draw.rectangle((cx - 380, top + 200, cx + 380, top + 270), fill=gold)
    for side in (-1, 1):
        _ellipse(draw, cx + side * 120, top - 150, 130, 70, fill=gold, outline=(200, 150, 40),
                 width=8)
    _ellipse(draw, cx, top - 120, 55, 55, fill=(210, 160, 50))
    draw.rectangle((cx + 120, top + 330, cx + 330, top + 480), fill=(250, 240, 220))
    draw.line((cx + 150, top + 380, cx + 300, top + 380), fill=color, width=10)
    draw.line((cx + 150, top + 430, cx + 260, top + 430), fill=color, width=10)


def _yogurt(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    _shadow(draw, cx, y1 - 30, 420, 60, bg)
    for i, dx in enumerate((-230, 230, 0)):
        px = cx + dx
        top = y0 + (260 if i < 2 else 340)
        bottom = y1 - (90 if i < 2 else 40)
        draw.polygon([(px - 170, top), (px + 170, top), (px + 130, bottom), (px - 130, bottom)],
                     fill=(250, 250, 248), outline=(200, 204, 210))
        draw.rectangle((px - 160, top + 90, px + 160, top + 190), fill=(40, 90, 160))
        _ellipse(draw, px, top, 170, 34, fill=(236, 236, 232), outline=(200, 204, 210), width=5)
        _ellipse(draw, px, top, 150, 26, fill=(252, 246, 224))


SHAPES = {
    "persimmon": _persimmons,
    "walnut": _walnuts,
    "grains": _grains,
    "rice": _rice,
    "noodles": _noodles,
    "pepper": _pepper,
    "chili": _chili,
    "root": _roots,
    "tubers": _tubers,
    "jar": _jar,
    "honey": _honey,
    "honeycomb": _honeycomb,
    "bottle": _bottle,
    "wine": _wine,
    "mushroom": _mushrooms,
    "woodear": _wood_ear,
    "meat": _meat,
    "jerky": _jerky,
    "pitaya": _pitaya,
    "eggs": _eggs,
    "sack": _sack,
    "cloth": _cloth,
    "gift": _gift,
    "yogurt": _yogurt,
}

# Per-category tweaks of a shape (colours), keyed by category slug.
SHAPE_OPTIONS = {
    "coarse-grains": {"color": (196, 170, 110)},
    "juema": {"color": (150, 66, 48)},
    "pinellia": {"color": (226, 208, 168)},
    "yellow-mushroom": {"cap": (220, 170, 40)},
    "vinegar": {"glass": (70, 40, 25), "label": (240, 220, 180)},
    "edible-oil": {"glass": (226, 176, 30), "label": (200, 40, 40)},
    "baijiu": {"glass": (240, 240, 236), "label": (196, 30, 40)},
    "sichuan-pepper": {"fill_color": (150, 50, 30), "lid": (60, 60, 60)},
    "chili": {"fill_color": (200, 40, 30), "lid": (40, 40, 40)},
}


def _encode(image: Image.Image, quality: int = 88) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def product_image(slug: str, name: str, shape: str, *, category: str = "",
                  root_category: str = "", subtitle: str = "", index: int = 0) -> bytes:
    """An 800×800 JPEG picture of a product (``index`` varies the layout)."""
    rng = _rng(slug, str(index))
    base = BACKGROUNDS.get(root_category, DEFAULT_BACKGROUND)
    bg = _jitter(base, rng, 8)
    image = Image.new("RGB", (S, S), bg)
    draw = ImageDraw.Draw(image)
    # a soft lighter disc behind the product, and a few decorative dots
    _ellipse(draw, S / 2, S * 0.42, S * 0.44, S * 0.40, fill=_shade(bg, 1.35))
    for _i in range(12):
        r = rng.randint(8, 22)
        _ellipse(draw, rng.uniform(0, S), rng.uniform(0, S * 0.75), r, r, fill=_shade(bg, 0.93))
    has_text = find_cjk_font() is not None
    panel_top = S - 330 if has_text else S
    margin = 170 if index == 0 else 110  # the second picture is a closer view
    box = (margin, 110 if index == 0 else 60, S - margin,
           (panel_top - 40) if has_text else S - 110)
    draw_shape = SHAPES.get(shape, _gift)
    options = SHAPE_OPTIONS.get(category, {})
    if shape == "mushroom" and "花菇" in name:
        options = {**options, "flower": True}
    draw_shape(draw, rng, box, bg, image=image, **options)
    if has_text:
        draw.rounded_rectangle((70, panel_top, S - 70, S - 60), radius=40,
                               fill=(255, 255, 255), outline=_shade(bg, 0.8), width=4)
        used = _draw_centered_text(draw, name, S / 2, panel_top + 45, S - 260, 130,
                                   (50, 40, 36))
        if subtitle:
            _draw_centered_text(draw, subtitle, S / 2, panel_top + 45 + used + 30, S - 300, 60,
                                (140, 110, 90))
    return _encode(image.resize((SIZE, SIZE), Image.Resampling.LANCZOS))


def banner_image(slug: str, title: str, slogan: str, colors, brand: str = "") -> bytes:
    """A 1600×600 JPEG banner for a pavilion: a gradient sky, mountains, title and slogan."""
    width, height = 1600, 600
    rng = _rng("banner", slug)
    start, end = colors
    gradient = Image.linear_gradient("L").rotate(90).resize((width, height))
    image = Image.composite(Image.new("RGB", (width, height), end),
                            Image.new("RGB", (width, height), start), gradient)
    draw = ImageDraw.Draw(image)
    _ellipse(draw, width * 0.82, height * 0.28, 90, 90, fill=_shade(end, 1.5))
    for layer in range(3):  # mountain ridges, far to near
        base_y = height * (0.6 + layer * 0.12)
        color = _shade(start, 0.9 - layer * 0.18)
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
    rng = _rng("collection", slug)
    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    for _i in range(18):
        r = rng.randint(20, 120)
        _ellipse(draw, rng.uniform(0, width), rng.uniform(0, height), r, r,
                 fill=_shade(color, rng.uniform(1.08, 1.3)))
    _draw_centered_text(draw, name, width / 2, 140, width - 200, 110, (255, 255, 255))
    return _encode(image)
