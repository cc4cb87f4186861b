"""Report use cases: who may read them, which rooms a range covers, labels, summary and Pareto.

Cost follows the range asked, never a Scan: the summary and the Pareto read the daily rollup
(:mod:`chalicelib.reports.rollup`, one small item per day, kept from the rooms stream); the CSV,
one row per room, reads the rooms through the ``opened-index`` (partition = UTC month of opening,
sorted by ``created_at``; a small projection). Both take one Query per month the range touches.
Ranges are plant days (``PLANT_TIMEZONE``), both ends included; a room belongs to the day it
opened (see :mod:`chalicelib.reports.stats` for the figures).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.auth.principal import Principal
from chalicelib.catalog import service as catalog
from chalicelib.core.errors import Forbidden
from chalicelib.core.settings import get_settings
from chalicelib.plant import service as plant
from chalicelib.reports import rollup, stats
from chalicelib.reports.schemas import ParetoQuery, ReportRange, SummaryQuery
from chalicelib.rooms.models import REPORT_FIELDS, RoomModel

NONE_LABEL = "未指定 Unspecified"
ROOM_KEYS = {"line": "line_id", "station": "station_id", "event_code": "event_code",
             "root_cause": "root_cause_code", "severity": "severity"}
SEVERITY_LABELS = {"low": "低 Low", "medium": "中 Medium", "high": "高 High", "critical": "緊急 Critical"}


def check_reader(principal: Principal) -> None:
    """Administrators and members of ``REPORT_GROUP`` read reports."""
    if not (principal.is_admin or principal.can_read_reports):
        raise Forbidden("Only administrators and report readers (REPORT_GROUP) read reports")


def utc_bounds(query: ReportRange) -> tuple[str, str]:
    """``[start, end)`` as ISO UTC strings: from 00:00 of ``from`` to 00:00 after ``to``, plant time."""
    zone = ZoneInfo(get_settings().plant_timezone)
    first, last = query.days
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return start.strftime("%Y-%m-%dT%H:%M:%S.000Z"), end.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def rooms_in(query: ReportRange) -> list[dict[str, Any]]:
    """The rooms opened in the range (one Query per UTC month touched), oldest first."""
    start, end = utc_bounds(query)
    rooms = []
    for month in rollup.months(start, end):
        for item in RoomModel.by_opened.query(month, RoomModel.created_at.between(start, end)):
            if item.created_at < end:
                room = {name: getattr(item, name) for name in ("room_id", "created_at", *REPORT_FIELDS)}
                rooms.append(room)
    return rooms


def labels() -> dict[str, dict[str, str]]:
    """Names of lines, stations, event codes and root causes (ids when unknown or retired)."""
    lines: dict[str, str] = {}
    stations: dict[str, str] = {}
    for site in plant.get_plant()["sites"]:
        for area in site.get("areas", []):
            for line in area.get("lines", []):
                lines[line["line_id"]] = line["name"]
                for station in line.get("stations", []):
                    stations[f"{line['line_id']}/{station['station_id']}"] = station["name"]
    names = catalog.names()
    return {"line": lines, "station": stations, "event_code": names["codes"], "root_cause": names["root_causes"],
            "severity": SEVERITY_LABELS}


def key_of(room: dict[str, Any], group_by: str) -> str:
    """The group a room falls in (``""`` when it has none); stations are ``line/station``."""
    if group_by == "station":
        return f"{room['line_id']}/{room['station_id']}" if room.get("station_id") else ""
    return str(room.get(ROOM_KEYS[group_by]) or "")


def label_of(key: str, group_by: str, names: dict[str, dict[str, str]]) -> str:
    if not key:
        return NONE_LABEL
    return names[group_by].get(key, key.split("/")[-1])


def summary(principal: Principal, query: SummaryQuery) -> dict[str, Any]:
    """``GET /api/reports/summary``: one row per group (most incidents first) and the totals."""
    check_reader(principal)
    rooms = rollup.facts(*utc_bounds(query))
    names = labels()
    groups = stats.group(rooms, lambda r: key_of(r, query.group_by))
    rows = [{"key": key, "label": label_of(key, query.group_by, names), **stats.aggregate(members)}
            for key, members in groups.items()]
    rows.sort(key=lambda row: (-row["count"], row["key"]))
    return {"from": query.start, "to": query.end, "group_by": query.group_by, "rows": rows,
            "totals": stats.aggregate(rooms)}


def pareto(principal: Principal, query: ParetoQuery) -> dict[str, Any]:
    """``GET /api/reports/pareto``: causes by count or downtime, descending, with cumulative %.
    False alarms are left out (they have no cause and no downtime)."""
    check_reader(principal)
    names = labels()
    values: dict[str, float] = {}
    for room in rollup.facts(*utc_bounds(query)):
        if room["false_alarm"]:
            continue
        key = key_of(room, query.by)
        values[key] = values.get(key, 0) + (1 if query.measure == "count" else room["downtime_minutes"])
    rows = [{**row, "label": label_of(row["key"], query.by, names)} for row in stats.pareto(values)]
    return {"from": query.start, "to": query.end, "by": query.by, "measure": query.measure, "rows": rows}
