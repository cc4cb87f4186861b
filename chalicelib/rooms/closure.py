"""Closure codes (plant-and-reports.md): resolving a room whose event code defines root causes
needs ``root_cause_code`` from that list unless ``false_alarm``; ``downtime_minutes`` is optional.
After resolution an OWNER may correct root cause, false alarm and downtime — each correction is a
``room_closure_changed`` system event in the room's history (its audit). Reopening clears them.
"""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import service as catalog
from chalicelib.core.errors import Conflict, Forbidden, ValidationFailed
from chalicelib.rooms.models import RoomModel

FIELDS = ("root_cause_code", "false_alarm", "downtime_minutes")


def _check(room: RoomModel, state: dict[str, Any], old_code: str | None) -> None:
    entry = catalog.lookup(room.event_code) if room.event_code else None
    causes = {c["code"] for c in (entry or {}).get("root_causes", []) if not c.get("retired")}
    code = state["root_cause_code"]
    if code is not None and code not in causes and code != old_code:
        raise ValidationFailed("Not a root cause of the room's event code",
                               details=[{"field": "root_cause_code", "message": "not in the event code's root causes"}])
    if causes and code is None and not state["false_alarm"]:
        raise ValidationFailed("Resolving needs a root cause (or false_alarm: true)",
                               details=[{"field": "root_cause_code", "message": "field required"}])


def apply(room: RoomModel, changes: dict[str, Any], old_status: str, effective: str) -> dict[str, Any] | None:
    """Set the closure fields of ``room`` (in memory) for this PATCH; returns the audit record
    ``{"changes": {field: {"old", "new"}}}`` of an OWNER's correction, else None."""
    asked = {k: changes[k] for k in FIELDS if k in changes}
    if room.status == "active" and old_status == "resolved":  # reopened: closed again later
        room.root_cause_code = room.false_alarm = room.downtime_minutes = None
        if asked:
            raise ValidationFailed("Closure fields go with resolving",
                                   details=[{"field": k, "message": "only when resolving"} for k in asked])
        return None
    resolving = room.status == "resolved" and old_status != "resolved"
    if not resolving and not asked:
        return None
    if not resolving:
        if room.status != "resolved":
            raise Conflict("Root cause, false alarm and downtime are set when the room is resolved")
        if effective != "OWNER":
            raise Forbidden("Only an OWNER corrects root cause, false alarm or downtime")
    old = {k: getattr(room, k) for k in FIELDS}
    state = {**({k: None for k in FIELDS} if resolving else old), **asked}
    state["false_alarm"] = bool(state["false_alarm"]) or None
    _check(room, state, None if resolving else old["root_cause_code"])
    for key, value in state.items():
        setattr(room, key, value)
    if resolving:
        return None
    diff = {k: {"old": old[k], "new": state[k]} for k in FIELDS if old[k] != state[k]}
    return {"changes": diff} if diff else None
