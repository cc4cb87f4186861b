"""Station QR sheets (plant-and-reports.md): administrators get one SVG per line with one code
per active station, each encoding ``<PUBLIC_APP_URL>/rooms/new?line_id=…&station_id=…``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import segno

from chalicelib.core.settings import get_settings
from chalicelib.exports.qr import QR_SCALE, station_url
from tests.builders import ROLES, Api, bearer

PLANT: dict[str, Any] = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [
    {"area_id": "SMT", "name": "表面黏著 SMT", "lines": [
        {"line_id": "L3", "name": "三線 <Line 3>", "stations": [
            {"station_id": "REFLOW", "name": "回焊爐"}, {"station_id": "AOI", "name": "AOI & 目檢"},
            {"station_id": "SPI", "name": "錫膏檢查"}, {"station_id": "MOUNT", "name": "置件機"}]},
        {"line_id": "L4", "name": "四線", "stations": []}]}]}]}


def _sheet(api: Api, role: str | None, line: str) -> Any:
    headers = bearer(api.tokens[role]) if role else {}
    return api.client.http.get(f"/plant/lines/{line}/qr-sheet", headers={"Accept": "*/*", **headers})


@pytest.fixture
def plant(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PUBLIC_APP_URL", "https://andon.example.com/")
    get_settings.cache_clear()
    assert api.call("admin", "PUT", "/plant", PLANT).status_code == 200
    yield
    get_settings.cache_clear()  # later tests read their own environment


def test_one_code_per_station_encoding_the_create_room_url(api: Api, plant: None) -> None:
    response = _sheet(api, "admin", "L3")
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    svg = response.body if isinstance(response.body, str) else response.body.decode("utf-8")
    assert svg.count("data-station-id=") == 4
    for station in ("REFLOW", "AOI", "SPI", "MOUNT"):
        url = station_url("https://andon.example.com/", "L3", station)
        assert url == f"https://andon.example.com/rooms/new?line_id=L3&station_id={station}"
        # the exact code segno draws for this URL is on the sheet: the code encodes the URL
        assert segno.make(url, error="m").svg_inline(scale=QR_SCALE, border=2, omitsize=False) in svg
    assert "回焊爐" in svg and "AOI &amp; 目檢" in svg and "三線 &lt;Line 3&gt;" in svg  # names escaped
    empty = _sheet(api, "admin", "L4")
    assert empty.status_code == 200 and "data-station-id" not in str(empty.body)


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_print_sheets(api: Api, plant: None, role: str) -> None:
    assert _sheet(api, role, "L3").status_code == (200 if role == "admin" else 403)


def test_no_token_unknown_and_hostile_lines_are_4xx(api: Api, plant: None) -> None:
    assert _sheet(api, None, "L3").status_code == 401
    for line in ("nope", "L3%00", "%E4%B8%89%E7%B7%9A", "x" * 300, "..%2F..%2Fetc"):
        response = _sheet(api, "admin", line)
        assert response.status_code == 404, (line, response.body)
        assert response.json_body["error"]["code"] == "not_found"
