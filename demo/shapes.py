"""The product shapes of the demo pictures (``SHAPES``): each function draws something that
suggests the product (round persimmons, a bowl of grains, a jar of honey ...) into the box
``(x0, y0, x1, y1)`` of a 2×-sized canvas. ``SHAPE_OPTIONS`` tweaks colours per category."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from .drawing import blob, ellipse, jitter, mix, rotated_rect, shade, shadow, vary


def _persimmons(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    spots = [(-0.22, 0.12), (0.22, 0.12), (0, -0.12), (-0.02, 0.3)]
    for i, (dx, dy) in enumerate(spots[: rng.randint(3, 4)]):
        px, py = cx + dx * (x1 - x0), cy + dy * (y1 - y0)
        r = rng.randint(170, 200)
        color = jitter((226, 110, 30), rng, 12)
        ellipse(draw, px, py, r, r * 0.78, fill=color, outline=shade(color, 0.75), width=6)
        ellipse(draw, px - r * 0.35, py - r * 0.3, r * 0.25, r * 0.14, fill=shade(color, 1.25))
        for _i in range(40):  # the white frost (柿霜)
            a, d = rng.uniform(0, 2 * math.pi), rng.uniform(0, r * 0.85)
            fx, fy = px + d * math.cos(a), py + d * math.sin(a) * 0.75
            ellipse(draw, fx, fy, 5, 5, fill=(250, 240, 225))
        leaf = (96, 110, 40) if i % 2 == 0 else (120, 90, 40)
        for k in range(4):
            a = k * math.pi / 2 + rng.uniform(-0.2, 0.2)
            lx, ly = px + 34 * math.cos(a), py - r * 0.78 + 18 * math.sin(a)
            ellipse(draw, lx, ly, 34, 16, fill=leaf)
        draw.line((px, py - r * 0.78, px + 6, py - r * 0.78 - 40), fill=(90, 60, 30), width=12)


def _walnuts(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(6):
        px = cx + rng.uniform(-0.3, 0.3) * (x1 - x0)
        py = cy + rng.uniform(-0.2, 0.25) * (y1 - y0)
        r = rng.randint(110, 150)
        color = jitter((176, 128, 78), rng, 14)
        ellipse(draw, px, py, r, r * 0.9, fill=color, outline=shade(color, 0.7), width=6)
        draw.line((px, py - r * 0.9, px, py + r * 0.9), fill=shade(color, 0.7), width=8)
        for _k in range(7):
            ax = px + rng.uniform(-r * 0.7, r * 0.7)
            ay = py + rng.uniform(-r * 0.6, r * 0.6)
            draw.arc((ax - 40, ay - 24, ax + 40, ay + 24), rng.randint(0, 180),
                     rng.randint(200, 360), fill=shade(color, 0.78), width=5)


def _bowl(draw, box, bg, bowl_color=(120, 72, 40)):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    top = y0 + (y1 - y0) * 0.48
    rx = (x1 - x0) * 0.42
    shadow(draw, cx, y1 - 30, rx * 0.8, 50, bg)
    depth = y1 - 20 - top
    draw.chord((cx - rx, top - depth, cx + rx, top + depth), 0, 180, fill=bowl_color)
    ellipse(draw, cx, top, rx, 48, fill=shade(bowl_color, 0.8))
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
        ellipse(draw, gx, gy, r, r, fill=jitter(color, rng, 18))
    for _i in range(50):
        gx = cx + rng.uniform(-rx * 1.1, rx * 1.1)
        gy = box[3] - rng.uniform(0, 60)
        ellipse(draw, gx, gy, 11, 11, fill=jitter(color, rng, 18))


def _rice(draw, rng, box, bg, color=(246, 242, 230), **_):
    cx, top, rx = _bowl(draw, box, bg, bowl_color=(60, 90, 120))
    for _i in range(650):
        a = rng.uniform(math.pi, 2 * math.pi)
        d = math.sqrt(rng.random())
        gx = cx + rx * 0.95 * d * math.cos(a)
        gy = top + 40 + 240 * d * math.sin(a) * 0.9
        ang = rng.uniform(0, math.pi)
        dx, dy = 16 * math.cos(ang), 16 * math.sin(ang)
        fill = vary(color, rng, 10)
        draw.line((gx - dx, gy - dy, gx + dx, gy + dy), fill=fill, width=14)
        ellipse(draw, gx - dx, gy - dy, 7, 7, fill=fill)
        ellipse(draw, gx + dx, gy + dy, 7, 7, fill=fill)


def _noodles(draw, rng, box, bg, color=(242, 226, 180), **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 30, (x1 - x0) * 0.4, 50, bg)
    for b, (bx, tilt) in enumerate(((-0.16, -0.18), (0.16, 0.18))):
        bcx = cx + bx * (x1 - x0)
        for _i in range(70):
            off = rng.uniform(-110, 110)
            top = (bcx + off + tilt * 300, y0 + 40 + rng.uniform(0, 30))
            bottom = (bcx + off * 0.9 - tilt * 300, y1 - 60 - rng.uniform(0, 30))
            draw.line((*top, *bottom), fill=jitter(color, rng, 14), width=6)
        band_y = (y0 + y1) / 2 + (b * 20)
        draw.rounded_rectangle((bcx - 130, band_y - 50, bcx + 130, band_y + 50), radius=14,
                               fill=(200, 40, 40) if b == 0 else (30, 80, 150))
        draw.rectangle((bcx - 60, band_y - 30, bcx + 60, band_y + 30), fill=(250, 244, 230))


def _pepper(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 60
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _k in range(3):  # leaves
        a = rng.uniform(-2.6, -0.5)
        lx, ly = cx + 260 * math.cos(a), cy - 100 + 200 * math.sin(a)
        draw.polygon(rotated_rect(lx, ly, 260, 90, a), fill=(70, 130, 50))
    for _i in range(260):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
        px = cx + 380 * d * math.cos(a)
        py = cy + 220 * d * math.sin(a)
        r = rng.randint(16, 22)
        color = jitter((170, 40, 30), rng, 20)
        ellipse(draw, px, py, r, r, fill=color)
        draw.line((px - r * 0.6, py, px + r * 0.6, py), fill=(60, 15, 10), width=4)


def _chili(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
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
        color = jitter((200, 30, 30), rng, 20)
        draw.polygon(left + right[::-1], fill=color)
        draw.line((sx - 12, sy + 40, sx - 12 + bend * 0.1, sy + length * 0.5),
                  fill=shade(color, 1.35), width=8)
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
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for i in range(6):
        sx = cx - 330 + rng.uniform(-30, 30)
        sy = y0 + 130 + i * 62
        ex = sx + rng.uniform(560, 700)
        ey = sy + rng.uniform(40, 200)
        color = jitter((150, 48, 38), rng, 16)
        draw.polygon(_tapered(sx, sy, ex, ey, 34, rng.uniform(-50, 50)), fill=color,
                     outline=shade(color, 0.7))
        for _k in range(2):  # side rootlets
            t = rng.uniform(0.3, 0.7)
            bx, by = sx + (ex - sx) * t, sy + (ey - sy) * t
            draw.polygon(_tapered(bx, by, bx + rng.uniform(80, 160), by + rng.uniform(40, 110),
                                  10, 10, 6), fill=color)
    for _i in range(7):  # slices
        px = cx + rng.uniform(-360, 360)
        py = y1 - rng.uniform(100, 220)
        r = rng.randint(50, 70)
        ellipse(draw, px, py, r, r * 0.85, fill=(120, 40, 35))
        ellipse(draw, px, py, r * 0.75, r * 0.62, fill=(196, 150, 110))
        ellipse(draw, px, py, r * 0.25, r * 0.2, fill=(160, 90, 70))


def _tubers(draw, rng, box, bg, color=(236, 226, 200), **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(80):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
        px = cx + 400 * d * math.cos(a)
        py = cy + 60 + 260 * d * math.sin(a)
        r = rng.randint(28, 44)
        fill = vary(color, rng, 14)
        draw.polygon(blob(px, py, r, rng, 10, 0.18), fill=fill, outline=shade(fill, 0.62),
                     width=5)
        ellipse(draw, px - r * 0.3, py - r * 0.3, r * 0.25, r * 0.18, fill=shade(fill, 1.2))


def _jar(draw, rng, box, bg, fill_color=(214, 150, 20), lid=(180, 40, 40), **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 40, 360, 60, bg)
    top, bottom = y0 + 170, y1 - 50
    draw.rounded_rectangle((cx - 300, top, cx + 300, bottom), radius=90,
                           fill=(236, 240, 244), outline=(190, 196, 204), width=8)
    draw.rounded_rectangle((cx - 280, top + 110, cx + 280, bottom - 20), radius=80,
                           fill=fill_color)
    draw.rounded_rectangle((cx - 230, top - 130, cx + 230, top + 30), radius=30, fill=lid)
    for k in range(5):
        x = cx - 200 + k * 100
        draw.line((x, top - 120, x, top + 20), fill=shade(lid, 0.8), width=8)
    draw.rounded_rectangle((cx - 200, top + 250, cx + 200, top + 500), radius=20,
                           fill=(252, 248, 238))
    draw.line((cx - 150, top + 330, cx + 150, top + 330), fill=shade(fill_color, 0.7), width=10)
    draw.line((cx - 110, top + 400, cx + 110, top + 400), fill=shade(fill_color, 0.7), width=10)
    draw.line((cx - 230, top + 160, cx - 230, bottom - 120), fill=(255, 255, 255), width=22)


def _hexagon(cx, cy, r):
    return [(cx + r * math.cos(math.pi / 3 * k), cy + r * math.sin(math.pi / 3 * k))
            for k in range(6)]


def _honey(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    for i in range(12):  # honeycomb in the corner
        hx = x1 - 60 - (i % 4) * 95
        hy = y0 + 40 + (i // 4) * 110 + (55 if i % 2 else 0)
        draw.polygon(_hexagon(hx, hy, 55), fill=jitter((244, 196, 60), rng, 12),
                     outline=(200, 140, 20))
    _jar(draw, rng, (x0 - 120, y0 + 60, x1 - 120, y1), bg, fill_color=(232, 160, 20),
         lid=(200, 150, 60))
    # a honey dipper
    hx, hy = x1 - 160, y1 - 330
    draw.line((hx - 240, hy - 300, hx, hy), fill=(150, 100, 50), width=24)
    for k in range(4):
        ellipse(draw, hx + k * 14, hy + k * 14, 70 - k * 8, 70 - k * 8, fill=(176, 120, 60))
        ellipse(draw, hx + k * 14, hy + k * 14, 60 - k * 8, 60 - k * 8, fill=(224, 168, 40))


def _honeycomb(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    shadow(draw, cx, y1 - 30, 420, 60, bg)
    draw.rounded_rectangle((cx - 440, cy - 340, cx + 440, cy + 340), radius=30,
                           fill=(250, 250, 250), outline=(200, 200, 200), width=8)
    r = 58
    for row in range(7):
        for col in range(9):
            hx = cx - 380 + col * r * 1.5
            hy = cy - 290 + row * r * 1.73 + (r * 0.86 if col % 2 else 0)
            if hy > cy + 300:
                continue
            draw.polygon(_hexagon(hx, hy, r - 4), fill=jitter((232, 170, 30), rng, 16),
                         outline=(176, 110, 10))


def _bottle(draw, rng, box, bg, glass=(60, 110, 60), label=(250, 244, 226), liquid=None, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2 - (140 if liquid else 0)
    shadow(draw, (x0 + x1) / 2, y1 - 30, 420, 60, bg)
    body_top, bottom = y0 + 420, y1 - 40
    draw.rounded_rectangle((cx - 170, body_top, cx + 170, bottom), radius=50, fill=glass)
    ellipse(draw, cx, body_top + 10, 170, 130, fill=glass)
    draw.rectangle((cx - 55, y0 + 140, cx + 55, body_top), fill=glass)
    draw.rounded_rectangle((cx - 65, y0 + 60, cx + 65, y0 + 170), radius=16, fill=(150, 30, 40))
    draw.rounded_rectangle((cx - 150, body_top + 190, cx + 150, body_top + 500), radius=16,
                           fill=label)
    draw.line((cx - 100, body_top + 290, cx + 100, body_top + 290), fill=glass, width=12)
    draw.line((cx - 70, body_top + 370, cx + 70, body_top + 370), fill=(190, 40, 40), width=10)
    draw.line((cx - 120, body_top + 60, cx - 120, bottom - 80), fill=shade(glass, 1.35),
              width=20)
    if liquid:  # a glass beside the bottle
        gx = cx + 380
        gy = y1 - 420
        draw.chord((gx - 150, gy - 260, gx + 150, gy + 80), 0, 180, fill=liquid)
        draw.arc((gx - 150, gy - 260, gx + 150, gy + 80), 0, 180, fill=(180, 180, 190), width=6)
        draw.line((gx - 150, gy - 90, gx - 150, gy - 200), fill=(180, 180, 190), width=6)
        draw.line((gx + 150, gy - 90, gx + 150, gy - 200), fill=(180, 180, 190), width=6)
        draw.line((gx, gy + 80, gx, y1 - 70), fill=(200, 200, 210), width=14)
        ellipse(draw, gx, y1 - 60, 100, 22, fill=(200, 200, 210))


def _wine(draw, rng, box, bg, **kw):
    _bottle(draw, rng, box, bg, glass=(70, 110, 40), label=(250, 240, 210),
            liquid=(236, 200, 80), **kw)


def _mushrooms(draw, rng, box, bg, cap=(140, 86, 50), flower=False, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    spots = [(-0.25, 0.1, 1.0), (0.22, 0.0, 1.1), (0.02, 0.22, 0.9), (-0.05, -0.15, 0.8)]
    for dx, dy, scale in spots:
        mx = cx + dx * (x1 - x0)
        my = (y0 + y1) / 2 + dy * (y1 - y0)
        r = 190 * scale
        color = jitter(cap, rng, 14)
        draw.rounded_rectangle((mx - r * 0.28, my - 20, mx + r * 0.28, my + r * 1.1),
                               radius=int(r * 0.2), fill=(238, 226, 200))
        draw.chord((mx - r, my - r * 0.8, mx + r, my + r * 0.5), 180, 360, fill=color)
        draw.line((mx - r * 0.92, my - r * 0.15, mx + r * 0.92, my - r * 0.15),
                  fill=shade(color, 0.75), width=10)
        if flower:
            for _k in range(9):
                ax = mx + rng.uniform(-r * 0.7, r * 0.7)
                ay = my - rng.uniform(r * 0.25, r * 0.7)
                draw.line((ax, ay, ax + rng.uniform(-50, 50), ay + rng.uniform(-30, 30)),
                          fill=(246, 240, 226), width=9)
        else:
            ellipse(draw, mx - r * 0.35, my - r * 0.5, r * 0.25, r * 0.1,
                     fill=shade(color, 1.3))


def _wood_ear(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 40
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(14):
        px = cx + rng.uniform(-360, 360)
        py = cy + rng.uniform(-240, 240)
        r = rng.randint(80, 130)
        fill = jitter((44, 30, 28), rng, 10)
        draw.polygon(blob(px, py, r, rng, 16, 0.35), fill=fill)
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
        pts = blob(px, py, 240, rng, 16, 0.16)
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
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for _i in range(11):
        px, py = cx + rng.uniform(-300, 300), cy + rng.uniform(-220, 220)
        ang = rng.uniform(-0.9, 0.9)
        color = jitter((110, 50, 30), rng, 16)
        draw.polygon(rotated_rect(px, py, 340, 70, ang), fill=color,
                     outline=shade(color, 0.7))
        for k in (-1, 1):
            ox, oy = -math.sin(ang) * 14 * k, math.cos(ang) * 14 * k
            dx, dy = math.cos(ang) * 140, math.sin(ang) * 140
            draw.line((px - dx + ox, py - dy + oy, px + dx + ox, py + dy + oy),
                      fill=shade(color, 1.3), width=5)


def _pitaya(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    wx, wy = cx - 170, cy - 30  # a whole fruit
    for k in range(10):
        a = 2 * math.pi * k / 10
        tip = (wx + 330 * math.cos(a), wy + 270 * math.sin(a))
        base1 = (wx + 200 * math.cos(a - 0.25), wy + 190 * math.sin(a - 0.25))
        base2 = (wx + 200 * math.cos(a + 0.25), wy + 190 * math.sin(a + 0.25))
        draw.polygon([base1, tip, base2], fill=(120, 170, 60))
    ellipse(draw, wx, wy, 260, 220, fill=(214, 40, 110))
    for _k in range(8):
        a = rng.uniform(0, 2 * math.pi)
        px, py = wx + 170 * math.cos(a), wy + 140 * math.sin(a)
        draw.polygon([(px - 30, py + 20), (px + 40 * math.cos(a), py + 40 * math.sin(a)),
                      (px + 30, py + 20)], fill=(150, 190, 70))
    hx, hy = cx + 250, cy + 200  # a halved one, red flesh with black seeds
    ellipse(draw, hx, hy, 230, 190, fill=(214, 40, 110))
    ellipse(draw, hx, hy, 205, 168, fill=(176, 20, 80))
    for _k in range(160):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
        ellipse(draw, hx + 190 * d * math.cos(a), hy + 155 * d * math.sin(a), 5, 4,
                 fill=(25, 10, 15))


def _eggs(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    shadow(draw, cx, y1 - 40, (x1 - x0) * 0.42, 60, bg)
    for i, (dx, dy) in enumerate(((-0.25, -0.05), (0.0, -0.15), (0.25, -0.05))):
        ex, ey = cx + dx * (x1 - x0), cy + dy * (y1 - y0)
        color = jitter((196, 170, 120) if i != 1 else (150, 140, 110), rng, 10)
        ellipse(draw, ex, ey, 120, 160, fill=color, outline=shade(color, 0.8), width=5)
        for _k in range(14):
            ellipse(draw, ex + rng.uniform(-90, 90), ey + rng.uniform(-130, 130), 6, 6,
                     fill=shade(color, 0.8))
    for dx in (-0.15, 0.15):  # halves of a cut egg: amber white, dark green yolk
        hx, hy = cx + dx * (x1 - x0), cy + 0.25 * (y1 - y0)
        ellipse(draw, hx, hy, 150, 120, fill=(90, 50, 20))
        ellipse(draw, hx, hy, 130, 102, fill=(150, 90, 30))
        ellipse(draw, hx, hy + 5, 62, 55, fill=(70, 80, 40))
        ellipse(draw, hx, hy + 5, 34, 30, fill=(200, 150, 40))
        for _k in range(6):
            ax, ay = hx + rng.uniform(-100, 100), hy + rng.uniform(-80, 80)
            draw.line((ax, ay, ax + 18, ay - 14), fill=(220, 190, 120), width=4)


def _sack(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 30, 380, 60, bg)
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
            ellipse(draw, sx - 26, ky, 20, 30, fill=(222, 170, 60))
            ellipse(draw, sx + 26, ky, 20, 30, fill=(222, 170, 60))


def _plaid(width, height, rng, base=(236, 232, 220)):
    tile = Image.new("RGB", (width, height), base)
    d = ImageDraw.Draw(tile)
    palette = [(40, 70, 140), (200, 40, 50), (30, 110, 80), (60, 60, 60)]
    stripe = palette[rng.randint(0, len(palette) - 1)]
    accent = palette[rng.randint(0, len(palette) - 1)]
    step = rng.choice((80, 100, 120))
    for x in range(0, width, step):
        d.rectangle((x, 0, x + step // 3, height), fill=mix(base, stripe, 0.55))
        d.line((x + step // 2, 0, x + step // 2, height), fill=accent, width=5)
    for y in range(0, height, step):
        d.rectangle((0, y, width, y + step // 3), fill=mix(base, stripe, 0.55))
        d.line((0, y + step // 2, width, y + step // 2), fill=accent, width=5)
    for x in range(0, width, step):
        for y in range(0, height, step):
            d.rectangle((x, y, x + step // 3, y + step // 3), fill=mix(base, stripe, 0.85))
    return tile


def _cloth(draw, rng, box, bg, image=None, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 20, 460, 60, bg)
    layers = 3
    for i in range(layers):  # a stack of folded cloth, bottom first
        top = y1 - 80 - (i + 1) * 200
        left, right = x0 + 40 + i * 20, x1 - 40 - i * 20
        tile = _plaid(int(right - left), 190, rng)
        image.paste(tile, (int(left), int(top)))
        draw.rounded_rectangle((left, top, right, top + 190), radius=24,
                               outline=shade(bg, 0.7), width=6)
        draw.line((left + 10, top + 180, right - 10, top + 180), fill=(0, 0, 0), width=3)


def _gift(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 30, 440, 60, bg)
    color = jitter((196, 30, 40), rng, 12)
    top = y0 + 300
    draw.rectangle((cx - 380, top, cx + 380, y1 - 50), fill=color)
    draw.rectangle((cx - 410, top - 90, cx + 410, top + 20), fill=shade(color, 0.85))
    gold = (236, 190, 70)
    draw.rectangle((cx - 45, top - 90, cx + 45, y1 - 50), fill=gold)
    draw.rectangle((cx - 380, top + 200, cx + 380, top + 270), fill=gold)
    for side in (-1, 1):
        ellipse(draw, cx + side * 120, top - 150, 130, 70, fill=gold, outline=(200, 150, 40),
                 width=8)
    ellipse(draw, cx, top - 120, 55, 55, fill=(210, 160, 50))
    draw.rectangle((cx + 120, top + 330, cx + 330, top + 480), fill=(250, 240, 220))
    draw.line((cx + 150, top + 380, cx + 300, top + 380), fill=color, width=10)
    draw.line((cx + 150, top + 430, cx + 260, top + 430), fill=color, width=10)


def _yogurt(draw, rng, box, bg, **_):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    shadow(draw, cx, y1 - 30, 420, 60, bg)
    for i, dx in enumerate((-230, 230, 0)):
        px = cx + dx
        top = y0 + (260 if i < 2 else 340)
        bottom = y1 - (90 if i < 2 else 40)
        draw.polygon([(px - 170, top), (px + 170, top), (px + 130, bottom), (px - 130, bottom)],
                     fill=(250, 250, 248), outline=(200, 204, 210))
        draw.rectangle((px - 160, top + 90, px + 160, top + 190), fill=(40, 90, 160))
        ellipse(draw, px, top, 170, 34, fill=(236, 236, 232), outline=(200, 204, 210), width=5)
        ellipse(draw, px, top, 150, 26, fill=(252, 246, 224))


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
