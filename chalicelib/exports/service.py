"""Incident report export (plant-and-reports.md): gather one room's facts and history, render it
as Markdown or PDF. Station QR sheets live in :mod:`chalicelib.exports.qr`.

Any member (VIEWER and up, administrators) may export; others get what every room route answers
(``rooms.access.get_access``). Reads are Query/GetItem on keys only, and memory stays bounded:
at most ``MAX_MESSAGES`` messages and ``MAX_FILES`` file records are read, and photo thumbnails
are fetched one at a time while the PDF is drawn (at most ``MAX_PHOTOS``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from chalicelib.auth.principal import Principal
from chalicelib.catalog import service as catalog
from chalicelib.core.errors import Unavailable
from chalicelib.exports.report import Entry, Report
from chalicelib.files import storage
from chalicelib.files.models import FileModel
from chalicelib.plant import service as plant
from chalicelib.rooms import timers
from chalicelib.rooms.access import get_access
from chalicelib.rooms.models import RoomModel
from chalicelib.timeline.models import MessageModel

MAX_MESSAGES = 5000
MAX_FILES = 500
MAX_PHOTOS = 20
MAX_SERIES = 6  # incident-data fields charted
MAX_POINTS = 500  # points per charted field
CONTENT_TYPES = {"md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}
CLOSURE_FIELDS = ("event_code", "root_cause_code", "root_cause", "downtime_minutes", "false_alarm", "resolved_by")


def _room_facts(room: RoomModel) -> dict[str, Any]:
    """The header fields; closure fields read defensively (they may not exist on the model)."""
    names = ("room_id", "title", "incident_type", "severity", "status", "location", "description", "created_by",
             "created_at", "acknowledged_at", "acknowledged_by", "resolved_at", "resolution_note", "line_id",
             "station_id", "equipment_id")
    facts: dict[str, Any] = {name: getattr(room, name, None) for name in (*names, *CLOSURE_FIELDS)}
    if facts.get("event_code") or facts.get("root_cause_code"):
        named = catalog.names()  # the catalog's names, retired ones included (old rooms keep theirs)
        if facts.get("root_cause_code") and not facts.get("root_cause"):
            facts["root_cause"] = named["root_causes"].get(facts["root_cause_code"])
        if facts.get("event_code") in named["codes"]:
            facts["event_code"] = f"{facts['event_code']} {named['codes'][facts['event_code']]}"
    facts["mtta_s"] = timers.seconds_between(room.created_at, room.acknowledged_at)
    facts["mttr_s"] = timers.seconds_between(room.created_at, room.resolved_at)
    return facts


def _place(line_id: str | None, station_id: str | None) -> dict[str, str]:
    """Display names of the room's line and station (ids when the plant no longer has them)."""
    names = {"line": line_id or "", "station": station_id or ""}
    if not line_id:
        return names
    for site in plant.get_plant()["sites"]:
        for area in site.get("areas", []):
            for line in area.get("lines", []):
                if line.get("line_id") != line_id:
                    continue
                names["line"] = str(line.get("name") or line_id)
                for station in line.get("stations", []):
                    if station.get("station_id") == station_id:
                        names["station"] = str(station.get("name") or station_id)
    return names


def _numeric(content: Any) -> dict[str, float]:
    if not isinstance(content, dict):
        return {}
    return {k: float(v) for k, v in content.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))}


def _system_text(content: Any) -> str:
    data = dict(content) if isinstance(content, dict) else {}
    event = str(data.pop("event", "event"))
    data.pop("user_id", None)
    details = ", ".join(f"{k}={v}" for k, v in data.items() if v not in (None, "", [], {}))
    return f"{event}" + (f" ({details})" if details else "")


def _entry(message: MessageModel) -> Entry:
    deleted = message.deleted_at is not None
    content = message.content
    if message.message_type == "system":
        text = _system_text(content)
    elif deleted:
        text = ""
    elif message.message_type == "incident_data":
        text = ", ".join(f"{k}: {v}" for k, v in (content or {}).items()) if isinstance(content, dict) else ""
    else:
        text = content if isinstance(content, str) else ""
    return Entry(seq=int(message.sequence_number), at=message.created_at, sender=message.sender_id,
                 kind=message.message_type, text=text, deleted=deleted, edited=message.edited_at is not None,
                 file_id=message.file_id)


def _read_history(report: Report, room_id: str) -> None:
    for count, message in enumerate(MessageModel.query(room_id, page_size=500)):
        if count >= MAX_MESSAGES:
            report.truncated = True
            return
        report.entries.append(_entry(message))
        if message.message_type == "incident_data" and message.deleted_at is None:
            stamp = message.content.get("timestamp") if isinstance(message.content, dict) else None
            at = stamp if isinstance(stamp, str) and stamp else message.created_at
            for name, value in _numeric(message.content).items():
                points = report.series.setdefault(name, [])
                if len(report.series) <= MAX_SERIES and len(points) < MAX_POINTS:
                    points.append((at, value))
    report.series = {k: v for k, v in list(report.series.items())[:MAX_SERIES] if v}


def _read_files(report: Report, room_id: str) -> None:
    for record in FileModel.by_created.query(room_id, limit=MAX_FILES):  # oldest first, like the timeline
        if record.status != "complete":
            continue
        report.files.append({"file_id": record.file_id, "filename": record.filename, "kind": record.kind,
                             "size": int(record.size), "uploaded_by": record.uploaded_by,
                             "created_at": record.created_at})
        if record.kind == "image" and record.has_thumbnail and record.thumbnail_key and len(report.photos) < MAX_PHOTOS:
            report.photos.append({"file_id": record.file_id, "filename": record.filename,
                                  "thumbnail_key": record.thumbnail_key})
    report.files.sort(key=lambda f: str(f["created_at"]))


def gather(room_id: str, principal: Principal) -> Report:
    """The report's data (any member; 404/403 like every room route)."""
    access = get_access(room_id, principal, "VIEWER")
    room = access.room
    report = Report(room=_room_facts(room), place=_place(room.line_id, room.station_id))
    _read_history(report, room_id)
    _read_files(report, room_id)
    return report


def read_thumbnail(key: str) -> bytes | None:
    """One thumbnail's bytes (``None`` when it is gone or the store does not answer)."""
    try:
        return storage.read(key)
    except (storage.ObjectMissing, Unavailable):
        return None


def filename(report: Report, fmt: str) -> str:
    """An ASCII-safe download name: ``incident-<date>-<room id prefix>.<fmt>``."""
    day = re.sub(r"[^0-9-]", "", str(report.room.get("created_at") or "")[:10]) or "report"
    return f"incident-{day}-{str(report.room.get('room_id'))[:8]}.{fmt}"


def export(room_id: str, principal: Principal, fmt: str) -> tuple[bytes | str, str, str]:
    """``(body, content type, file name)`` of the room's report in ``fmt`` (``md`` | ``pdf``)."""
    report = gather(room_id, principal)
    # fpdf2 and its font machinery load on the first report, not with every function's cold start
    from chalicelib.exports import markdown, pdf

    # bytes for the binary type (base64 on the wire), text for Markdown
    body: bytes | str = pdf.render(report, read_thumbnail) if fmt == "pdf" else markdown.render(report)
    return body, CONTENT_TYPES[fmt], filename(report, fmt)
