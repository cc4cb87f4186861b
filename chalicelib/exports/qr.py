"""Station QR sheets (plant-and-reports.md, "station QR codes"): one SVG page per line with a QR
code per active station, each encoding ``<PUBLIC_APP_URL>/rooms/new?line_id=…&station_id=…``
(the SPA opens the create-room dialog pre-filled). Administrators only."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from chalicelib.auth.principal import Principal
from chalicelib.core.errors import Forbidden, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.plant import service as plant

COLUMNS = 3
CELL_W, CELL_H = 240, 300  # px of one label: the code and two lines of text
QR_SCALE = 5
MAX_ID = 64


def _line(line_id: str) -> dict[str, Any]:
    if len(line_id) <= MAX_ID:
        for site in plant.get_plant()["sites"]:
            for area in site.get("areas", []):
                for line in area.get("lines", []):
                    if line.get("line_id") == line_id:
                        return dict(line)
    raise NotFound("Production line not found")


def station_url(base: str, line_id: str, station_id: str) -> str:
    """What a station's code encodes."""
    return f"{base.rstrip('/')}/rooms/new?{urlencode({'line_id': line_id, 'station_id': station_id})}"


def _label(index: int, line: dict[str, Any], station: dict[str, Any], base: str) -> str:
    url = station_url(base, str(line["line_id"]), str(station["station_id"]))
    import segno  # on the first sheet only (cold starts stay lean)

    code = segno.make(url, error="m").svg_inline(scale=QR_SCALE, border=2, omitsize=False)
    x, y = (index % COLUMNS) * CELL_W, (index // COLUMNS) * CELL_H
    return (f'<g transform="translate({x},{y})" data-station-id="{escape(str(station["station_id"]))}">'
            f'<rect x="4" y="4" width="{CELL_W - 8}" height="{CELL_H - 8}" fill="none" stroke="#999" '
            f'stroke-dasharray="4 3"/><g transform="translate(20,14)">{code}</g>'
            f'<text x="{CELL_W // 2}" y="{CELL_H - 48}" text-anchor="middle" font-size="18" '
            f'font-family="Noto Sans CJK TC, sans-serif">{escape(str(station.get("name") or ""))}</text>'
            f'<text x="{CELL_W // 2}" y="{CELL_H - 24}" text-anchor="middle" font-size="13" fill="#555" '
            f'font-family="Noto Sans CJK TC, sans-serif">{escape(str(line.get("name") or ""))} · 掃描開立異常 Scan to report'
            "</text>"
            "</g>")


def qr_sheet(principal: Principal, line_id: str, request_origin: str) -> str:
    """The line's sheet as one SVG document (administrators; 404 for an unknown line)."""
    if not principal.is_admin:
        raise Forbidden("Only administrators print station QR codes")
    line = _line(line_id)
    base = get_settings().public_app_url or request_origin
    stations = list(line.get("stations", []))
    rows = max(1, -(-len(stations) // COLUMNS))
    width, height = COLUMNS * CELL_W, rows * CELL_H + 40
    title = escape(f"{line.get('name') or line_id} — 站別 QR 碼 Station QR codes")
    labels = "".join(_label(i, line, s, base) for i, s in enumerate(stations))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{title}</title>'
            f'<text x="8" y="26" font-size="20" font-family="Noto Sans CJK TC, sans-serif">{title}</text>'
            f'<g transform="translate(0,40)">{labels}</g></svg>')
