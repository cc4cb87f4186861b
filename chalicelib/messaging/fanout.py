"""Stream-driven fan-out: each change of the Messages table goes to the room's connections.

INSERT → ``message`` (or ``system`` for a persisted system event) and ``mention`` to the
mentioned; MODIFY → ``message_edited`` / ``message_deleted`` / ``reaction_added`` /
``reaction_removed``. The same records keep the incident-data series in step (a chart refreshed
on the frame finds the reading); the search index is the stream's other consumer
(``messaging.search_index.handle_batch``), so indexing never holds up or retries a delivery. Invoked
with batches whose rooms are handled in parallel (each room in order); failed records are
reported back (partial batch response) so that the stream retries from them. Delivery is
at-least-once: clients keep the highest ``version`` per message.
"""

from __future__ import annotations

from typing import Any

from chalicelib.auth import users
from chalicelib.connections.delivery import RoomSubscribers, deliver_to_room, deliver_to_user
from chalicelib.core.streams import process_stream_batch_by_key
from chalicelib.messaging import reports
from chalicelib.notifications import service as notifications
from chalicelib.rooms import access
from chalicelib.timeline.models import MessageModel
from chalicelib.timeline.records import images, room_of
from chalicelib.timeline.views import message_view, reaction_sets, system_frame


def frames_for(name: str | None, new: MessageModel | None, old: MessageModel | None) -> list[dict[str, Any]]:
    """The frames one stream record (its event name and images) produces for the room."""
    if name == "INSERT" and new is not None:
        if new.message_type == "system":
            return [system_frame(new)]
        return [{"type": "message", "message": message_view(new)}]
    if name != "MODIFY" or new is None or old is None:
        return []
    base = {"room_id": new.room_id, "message_id": new.message_id, "version": int(new.version),
            "updated_at": new.changed_at}
    if new.deleted_at and not old.deleted_at:
        return [{"type": "message_deleted", **base, "deleted_at": new.deleted_at}]
    frames: list[dict[str, Any]] = []
    if new.content != old.content and new.edited_at:
        frames.append({"type": "message_edited", **base, "content": new.content, "edited_at": new.edited_at})
    before, after = reaction_sets(old), reaction_sets(new)
    for emoji in sorted(set(before) | set(after)):
        users_before, users_after = before.get(emoji, set()), after.get(emoji, set())
        for user in sorted(users_after - users_before):
            frames.append({"type": "reaction_added", **base, "emoji": emoji, "user_id": user,
                           "count": len(users_after)})
        for user in sorted(users_before - users_after):
            frames.append({"type": "reaction_removed", **base, "emoji": emoji, "user_id": user,
                           "count": len(users_after)})
    return frames


def handle_record(record: dict[str, Any], subscribers: RoomSubscribers | None = None) -> None:
    """Deliver one stream record (raises so that the record is retried; idempotent)."""
    new, old = images(record)
    if record.get("eventName") in ("INSERT", "MODIFY"):
        reports.update_points(old, new)  # first: a chart refreshed on the frame finds the reading
    frames = frames_for(record.get("eventName"), new, old)
    current = new or old
    if frames and current is not None:
        _deliver(current.room_id, frames, subscribers)


def _deliver(room_id: str, frames: list[dict[str, Any]], subscribers: RoomSubscribers | None) -> None:
    for frame in frames:
        deliver_to_room(room_id, frame, subscribers)
    first = frames[0]
    if first["type"] == "message" and first["message"]["mentions"]:
        notice = {"type": "mention", "room_id": room_id, "message": first["message"],
                  **_mention_context(room_id, first["message"]["sender_id"])}
        for user_id in first["message"]["mentions"]:
            deliver_to_user(user_id, notice)
        text = first["message"]["content"] if isinstance(first["message"]["content"], str) else ""
        notifications.notify(first["message"]["mentions"], "mention", f"mention:{first['message']['message_id']}",
                             room_id, notice["room_title"], f"{notice['sender_name']}: {text[:200]}")


def _mention_context(room_id: str, sender_id: str) -> dict[str, str]:
    """Room title and sender name, so a notification makes sense outside the room."""
    return {"room_title": access.room_title(room_id), "sender_name": users.display_name(sender_id)}


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Entry point for the stream event source; answers ``batchItemFailures``. Rooms are
    handled side by side, each room's records in order."""
    subscribers = RoomSubscribers()  # each room's subscriptions read once for the batch
    return process_stream_batch_by_key(event, context, lambda record: handle_record(record, subscribers), room_of)
