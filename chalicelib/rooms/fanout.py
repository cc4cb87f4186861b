"""Stream-driven room-list updates: membership changes reach the affected user's connections.

The Memberships table stream carries every change of "who is in which room, and how the room
looks in their list". Each record goes to that one user's open connections (Query on the
connections' user index), so room lists refresh live even for rooms the user is not viewing.
Activity-only changes (``last_activity_at`` moving) are not sent: they would flood the lists.
"""

from __future__ import annotations

from typing import Any

from chalicelib.connections.delivery import deliver_to_user
from chalicelib.core import clock
from chalicelib.core.streams import process_stream_batch
from chalicelib.rooms.models import MembershipModel

LISTED_FIELDS = ("status", "severity", "incident_type", "search_text", "role", "acknowledged_at")


def frame_for(record: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The user and ``system`` frame for one membership change (``None``: nothing to say)."""
    change = record.get("dynamodb", {})
    name = record.get("eventName")
    new = MembershipModel.from_raw_data(change["NewImage"]) if change.get("NewImage") else None
    old = MembershipModel.from_raw_data(change["OldImage"]) if change.get("OldImage") else None
    current = new or old
    if current is None:
        return None
    base = {"type": "system", "room_id": current.room_id, "user_id": current.user_id, "timestamp": clock.iso()}
    if name == "INSERT" and new is not None:
        return new.user_id, {**base, "event": "member_added", "role": new.role}
    if name == "REMOVE" and old is not None:
        return old.user_id, {**base, "event": "member_removed"}
    if name == "MODIFY" and new is not None and old is not None:
        changed = [f for f in LISTED_FIELDS if getattr(old, f) != getattr(new, f)]
        actor = {"user_id": new.changed_by} if new.changed_by else {}
        if "status" in changed:
            return new.user_id, {**base, **actor, "event": "room_status_changed", "status": new.status,
                                 "old_status": old.status}
        if "acknowledged_at" in changed and new.acknowledged_at:
            return new.user_id, {**base, **actor, "event": "room_acknowledged", "acknowledged_at": new.acknowledged_at}
        if "role" in changed:
            return new.user_id, {**base, "event": "role_changed", "role": new.role, "old_role": old.role}
        if changed:
            return new.user_id, {**base, **actor, "event": "room_updated"}
    return None


def handle_record(record: dict[str, Any]) -> None:
    """Deliver one stream record (raises so that the record is retried)."""
    result = frame_for(record)
    if result is not None:
        deliver_to_user(*result)


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Entry point for the stream event source; answers ``batchItemFailures``."""
    return process_stream_batch(event, context, handle_record)
