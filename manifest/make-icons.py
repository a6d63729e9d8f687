#!/usr/bin/env python3
"""Draws the Teams icons: color.png (192x192, a white shield with a check on the accent colour) and
outline.png (32x32, the same shape as a white outline on transparency).

Standard library only (PNG written with zlib + struct), so the committed icons can be regenerated on
any machine without network access: python3 manifest/make-icons.py
"""
import math
import os
import struct
import zlib

ACCENT = (0x25, 0x63, 0xEB)  # keep in step with accentColor in manifest.json
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per axis: 16 samples a pixel for smooth edges


def bezier(p0, p1, p2, steps=24):
    return [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1])
            for t in (i / steps for i in range(1, steps + 1))]


def shield(left, right, top, bottom):
    """A shield in unit coordinates: a slightly arched top, straight sides, curved sides to a point."""
    mid = (left + right) / 2
    shoulder = top + (bottom - top) * 0.45
    points = [(left, top + 0.04)]
    points += bezier((left, top + 0.04), (mid, top - 0.04), (right, top + 0.04))
    points.append((right, shoulder))
    points += bezier((right, shoulder), (right, bottom - 0.12), (mid, bottom))
    points += bezier((mid, bottom), (left, bottom - 0.12), (left, shoulder))
    return points


CHECK = [(0.36, 0.50), (0.46, 0.61), (0.65, 0.40)]


def inside(polygon, x, y):
    result = False
    j = len(polygon) - 1
    for i, (xi, yi) in enumerate(polygon):
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            result = not result
        j = i
    return result


def distance_to_segment(x, y, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - a[0] - t * dx, y - a[1] - t * dy)


def near_polyline(points, x, y, half_width, closed=False):
    pairs = list(zip(points, points[1:])) + ([(points[-1], points[0])] if closed else [])
    return any(distance_to_segment(x, y, a, b) <= half_width for a, b in pairs)


def coverage(size, test):
    """Fraction of each pixel's samples for which test(u, v) holds, u and v in 0..1."""
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            hits = sum(test((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)
                       for sx in range(SAMPLES) for sy in range(SAMPLES))
            row.append(hits / (SAMPLES * SAMPLES))
        rows.append(row)
    return rows


def write_png(path, size, color_type, pixels):
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n")
        file.write(chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, color_type, 0, 0, 0)))
        file.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        file.write(chunk(b"IEND", b""))


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def color_icon(path):
    # Teams shows the colour icon on its own tile: fill it, keep the mark inside the central safe area.
    outline = shield(0.24, 0.76, 0.18, 0.84)
    body = coverage(192, lambda u, v: inside(outline, u, v))
    tick = coverage(192, lambda u, v: near_polyline(CHECK, u, v, 0.045))
    pixels = [[mix(mix(ACCENT, WHITE, body[y][x]), ACCENT, tick[y][x]) for x in range(192)] for y in range(192)]
    write_png(path, 192, 2, pixels)


def outline_icon(path):
    # Teams tints the outline icon itself, so it must be white on transparency with no background.
    outline = shield(0.14, 0.86, 0.11, 0.92)
    check = [(0.5 + (x - 0.5) * 1.25, 0.5 + (y - 0.5) * 1.25) for x, y in CHECK]
    alpha = coverage(32, lambda u, v: near_polyline(outline, u, v, 0.04, closed=True)
                     or near_polyline(check, u, v, 0.05))
    pixels = [[WHITE + (round(255 * alpha[y][x]),) for x in range(32)] for y in range(32)]
    write_png(path, 32, 6, pixels)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    color_icon(os.path.join(here, "color.png"))
    outline_icon(os.path.join(here, "outline.png"))
