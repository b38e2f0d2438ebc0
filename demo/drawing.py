"""Drawing helpers shared by the demo pictures: a random generator seeded by text (so a
picture is the same on every run), colour shifts and a few polygon shapes."""

from __future__ import annotations

import hashlib
import math
import random


def seeded_rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def jitter(color, rng, amount=10):
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)


def vary(color, rng, amount=12):
    """``color`` made a little lighter or darker (the same shift on every channel)."""
    d = rng.randint(-amount, amount)
    return tuple(max(0, min(255, c + d)) for c in color)


def shade(color, factor):
    """Darker (factor < 1) or lighter (factor > 1) version of ``color``."""
    if factor >= 1:
        return tuple(int(c + (255 - c) * (factor - 1)) for c in color)
    return tuple(int(c * factor) for c in color)


def mix(a, b, t):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def ellipse(draw, cx, cy, rx, ry, fill, outline=None, width=0):
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=outline, width=width)


def rotated_rect(cx, cy, w, h, angle):
    c, s = math.cos(angle), math.sin(angle)
    pts = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        pts.append((cx + dx * c - dy * s, cy + dx * s + dy * c))
    return pts


def blob(cx, cy, r, rng, points=14, wobble=0.3):
    pts = []
    for i in range(points):
        a = 2 * math.pi * i / points
        rr = r * (1 + rng.uniform(-wobble, wobble))
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def shadow(draw, cx, cy, rx, ry, bg):
    ellipse(draw, cx, cy, rx, ry, fill=shade(bg, 0.86))
