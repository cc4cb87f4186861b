"""Stream-driven fan-out: each change of the Messages table goes to the room's connections.

Invoked by the DynamoDB Streams event source with batches of records; failed records are
reported back (partial batch response) so only they are retried. Delivery is at-least-once:
clients drop duplicates by ``message_id``.
"""

from __future__ import annotations

from typing import Any

from pynamodb.models import Model

from chalicelib.core.streams import process_stream_batch
from chalicelib.messaging.models import MessageModel
from chalicelib.messaging.views import message_view, system_frame
from chalicelib.realtime.delivery import deliver_to_room, deliver_to_user


def _image(model: type[Model], image: dict[str, Any] | None) -> Any:
    return model.from_raw_data(image) if image else None


def frame_for(record: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The room and client frame for one stream record (``None`` when nothing is sent)."""
    change = record.get("dynamodb", {})
    if record.get("eventName") != "INSERT":
        return None
    message = _image(MessageModel, change.get("NewImage"))
    if message.message_type == "system":
        return message.room_id, system_frame(message)
    return message.room_id, {"type": "message", "message": message_view(message)}


def handle_record(record: dict[str, Any]) -> None:
    """Deliver one stream record (raises so that the record is retried)."""
    result = frame_for(record)
    if result is None:
        return
    room_id, frame = result
    deliver_to_room(room_id, frame)
    if frame["type"] == "message":
        for user_id in frame["message"]["mentions"]:
            deliver_to_user(user_id, {"type": "mention", "room_id": room_id, "message": frame["message"]})


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Entry point for the stream event source; answers ``batchItemFailures``."""
    return process_stream_batch(event, context, handle_record)
