"""``GET /api/reports/incidents.csv``: one row per room opened in the range, the same figures as
the summary (:func:`chalicelib.reports.stats.figures`), UTF-8 with a BOM so Excel shows Chinese.
Cells that a spreadsheet would run as a formula (``= + - @`` first) are prefixed with ``'``."""

from __future__ import annotations

import csv
import io
from typing import Any

from chalicelib.auth.principal import Principal
from chalicelib.reports import service, stats
from chalicelib.reports.schemas import ReportRange

COLUMNS = ["room_id", "title", "opened_at", "acknowledged_at", "resolved_at", "status", "severity",
           "line_id", "line", "station_id", "station", "event_code", "event", "root_cause_code", "root_cause",
           "false_alarm", "tta_s", "ttr_s", "downtime_minutes"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def incidents_csv(principal: Principal, query: ReportRange) -> str:
    """The CSV text, BOM first."""
    service.check_reader(principal)
    names = service.labels()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for room in service.rooms_in(query):
        f = stats.figures(room)
        station = service.key_of(room, "station")
        row = {
            "room_id": room["room_id"], "title": room["title"], "opened_at": room["created_at"],
            "acknowledged_at": room.get("acknowledged_at"), "resolved_at": room.get("resolved_at") if f["resolved"] else None,
            "status": room["status"], "severity": room["severity"],
            "line_id": room.get("line_id"), "line": names["line"].get(room.get("line_id") or ""),
            "station_id": room.get("station_id"), "station": names["station"].get(station) if station else None,
            "event_code": room.get("event_code"), "event": names["event_code"].get(room.get("event_code") or ""),
            "root_cause_code": room.get("root_cause_code"),
            "root_cause": names["root_cause"].get(room.get("root_cause_code") or ""),
            "false_alarm": f["false_alarm"], "tta_s": f["tta_s"], "ttr_s": f["ttr_s"],
            "downtime_minutes": f["downtime_minutes"],
        }
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return "\ufeff" + out.getvalue()
