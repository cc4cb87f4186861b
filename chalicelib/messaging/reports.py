"""What a room's history yields for reports: the audit log and incident-data time series."""

from __future__ import annotations

import math
from typing import Any

from chalicelib.core.cursor import decode_cursor, encode_cursor
from chalicelib.messaging.models import AuditModel, IncidentPointModel
from chalicelib.timeline.models import MessageModel


def _numeric(content: Any) -> dict[str, float]:
    if not isinstance(content, dict):
        return {}
    return {k: float(v) for k, v in content.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}


def update_points(old: MessageModel | None, new: MessageModel | None) -> None:
    """Keep the ``<room>#<field>`` series in line with an ``incident_data`` message (idempotent)."""
    current = new or old
    if current is None or current.message_type != "incident_data":
        return
    before: dict[str, float] = _numeric(old.content) if old is not None and old.deleted_at is None else {}
    after: dict[str, float] = _numeric(new.content) if new is not None and new.deleted_at is None else {}
    seq = int(current.sequence_number)
    stamp = current.content.get("timestamp") if isinstance(current.content, dict) else None
    timestamp = stamp if isinstance(stamp, str) and stamp else current.created_at
    with IncidentPointModel.batch_write() as batch:
        for name in set(before) - set(after):
            batch.delete(IncidentPointModel(f"{current.room_id}#{name}", seq))
        for name, value in after.items():
            if before.get(name) != value or old is None:
                batch.save(IncidentPointModel(f"{current.room_id}#{name}", seq, timestamp=timestamp, value=value,
                                              message_id=current.message_id))


def incident_series(room_id: str, field: str, limit: int) -> dict[str, Any]:
    """``{"field", "points": [{"timestamp", "value", "message_id"}]}`` in time order."""
    points = [{"timestamp": p.timestamp, "value": p.value, "message_id": p.message_id}
              for p in IncidentPointModel.query(f"{room_id}#{field}", limit=limit)]
    points.sort(key=lambda p: str(p["timestamp"]))
    return {"field": field, "points": points}


def audit_entries(user_id: str, room_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """Edits and deletions, newest first, with the content before and after."""
    scope = {"room": room_id, "kind": "audit"}
    start = decode_cursor(cursor, user_id, scope)
    page = AuditModel.query(room_id, scan_index_forward=False, limit=limit, last_evaluated_key=start)
    entries = [{"action": e.action, "message_id": e.message_id, "actor_id": e.actor_id, "at": e.at,
                "before": e.before, "after": e.after} for e in page]
    return {"entries": entries, "next_cursor": encode_cursor(page.last_evaluated_key, user_id, scope)}
