"""Draws the PWA icons in frontend/public/icons/ (run from the repository root):

    .venv/bin/python frontend/scripts/make_icons.py

One drawing — a white warning triangle with an "!" on the theme blue — is written as
``icon.svg`` (the favicon) and rendered with Pillow (4x supersampled, then downscaled) to the
PNGs the manifest, iOS and notifications need:

- ``icon-192.png`` / ``icon-512.png``: purpose "any", rounded square, transparent corners;
- ``maskable-192.png`` / ``maskable-512.png``: full-bleed background, the mark shrunk into the
  safe zone (a centred circle of 40 % of the size) so any launcher mask keeps it whole;
- ``apple-touch-icon.png`` (180 px, opaque: iOS paints transparency black);
- ``badge-96.png``: the Android status-bar badge, white on transparent (only alpha is used).

The PNGs are committed; rerun this after changing the drawing.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "public" / "icons"
BLUE = "#0b5cad"
WHITE = "#ffffff"
BOX = 512  # the drawing's coordinate system
CORNER = 96  # corner radius of the "any" icon's square
TRIANGLE = ((256.0, 122.0), (408.0, 384.0), (104.0, 384.0))
TRIANGLE_ROUND = 36.0  # stroke width that rounds the triangle's corners
BAR = (238.0, 196.0, 274.0, 306.0)  # the "!" stem: left, top, right, bottom (rounded ends)
DOT = (256.0, 344.0, 20.0)  # the "!" dot: centre x, y, radius
MASKABLE_SCALE = 0.9  # keeps the mark (farthest point 217 units from the centre) inside the 40 % safe circle
SUPERSAMPLE = 4


def svg() -> str:
    """The drawing as SVG (the favicon; the same shapes the PNGs are rendered from)."""
    points = " ".join(f"{x:g},{y:g}" for x, y in TRIANGLE)
    left, top, right, bottom = BAR
    cx, cy, r = DOT
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BOX} {BOX}">\n'
        f'  <rect width="{BOX}" height="{BOX}" rx="{CORNER}" fill="{BLUE}"/>\n'
        f'  <polygon points="{points}" fill="{WHITE}" stroke="{WHITE}" '
        f'stroke-width="{TRIANGLE_ROUND:g}" stroke-linejoin="round"/>\n'
        f'  <rect x="{left:g}" y="{top:g}" width="{right - left:g}" height="{bottom - top:g}" '
        f'rx="{(right - left) / 2:g}" fill="{BLUE}"/>\n'
        f'  <circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{BLUE}"/>\n'
        "</svg>\n"
    )


def _rounded_triangle(radius: float, steps: int = 24) -> list[tuple[float, float]]:
    """The outline of TRIANGLE stroked with round joins: each corner becomes an arc of ``radius``
    around it, from the outward normal of the edge coming in to that of the edge going out."""
    outline: list[tuple[float, float]] = []
    n = len(TRIANGLE)
    for i, (x, y) in enumerate(TRIANGLE):
        px, py = TRIANGLE[i - 1]
        nx, ny = TRIANGLE[(i + 1) % n]
        # TRIANGLE runs clockwise on screen (y down): the outward normal of a step (dx, dy) is
        # (dy, -dx), and from one edge's normal to the next the angle grows.
        start = math.atan2(-(x - px), y - py)
        end = math.atan2(-(nx - x), ny - y)
        if end < start:
            end += 2 * math.pi
        for k in range(steps + 1):
            angle = start + (end - start) * k / steps
            outline.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    return outline


def _stadium(left: float, top: float, right: float, bottom: float, steps: int = 24) -> list[tuple[float, float]]:
    """A vertical bar with semicircular ends."""
    r = (right - left) / 2
    cx = left + r
    upper = [(cx - r * math.cos(math.pi * k / steps), top + r - r * math.sin(math.pi * k / steps)) for k in range(steps + 1)]
    lower = [(cx + r * math.cos(math.pi * k / steps), bottom - r + r * math.sin(math.pi * k / steps)) for k in range(steps + 1)]
    return upper + lower


def _mark(draw: ImageDraw.ImageDraw, scale: float, offset: float, fg: str, cutout: str | tuple[int, ...]) -> None:
    """The triangle (``fg``) with the "!" in ``cutout``, in drawing units mapped by scale/offset."""

    def mapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * scale + offset, y * scale + offset) for x, y in points]

    draw.polygon(mapped(_rounded_triangle(TRIANGLE_ROUND / 2)), fill=fg)
    draw.polygon(mapped(_stadium(*BAR)), fill=cutout)
    cx, cy, r = DOT
    draw.ellipse(
        [(cx - r) * scale + offset, (cy - r) * scale + offset, (cx + r) * scale + offset, (cy + r) * scale + offset],
        fill=cutout,
    )


def render(size: int, *, kind: str) -> Image.Image:
    """``kind``: "any" (rounded square), "maskable", "opaque" (full square) or "badge"."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big / BOX
    if kind == "badge":
        _mark(draw, unit, 0, WHITE, (0, 0, 0, 0))
    else:
        if kind == "any":
            draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=CORNER * unit, fill=BLUE)
        else:
            draw.rectangle([0, 0, big, big], fill=BLUE)
        scale = unit * (MASKABLE_SCALE if kind == "maskable" else 1)
        _mark(draw, scale, (big - BOX * scale) / 2, WHITE, BLUE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(), encoding="utf-8")
    outputs = {
        "icon-192.png": (192, "any"),
        "icon-512.png": (512, "any"),
        "maskable-192.png": (192, "maskable"),
        "maskable-512.png": (512, "maskable"),
        "apple-touch-icon.png": (180, "opaque"),
        "badge-96.png": (96, "badge"),
    }
    for name, (size, kind) in outputs.items():
        image = render(size, kind=kind)
        if kind == "opaque":
            image = image.convert("RGB")
        image.save(OUT / name, optimize=True)
        print(f"{OUT / name} {size}x{size}")


if __name__ == "__main__":
    main()
