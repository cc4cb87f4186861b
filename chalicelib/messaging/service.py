"""Messaging use cases shared with other domains: sequence numbers and system events."""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock
from chalicelib.core.db import bind_models
from chalicelib.messaging.models import MessageModel, SequenceModel

SYSTEM_SENDER = "system"


def next_sequence(room_id: str) -> int:
    """Atomically take the room's next sequence number (strictly increasing, no reuse)."""
    counter = SequenceModel(room_id)
    counter.update(actions=[SequenceModel.last_seq.add(1)])
    return int(counter.last_seq)


def append_system_event(room_id: str, event: str, user_id: str, **data: Any) -> dict[str, Any]:
    """Persist a system event in the room's history; the stream fans it out as a ``system`` frame."""
    bind_models()
    created_at = clock.iso()
    content = {"event": event, "user_id": user_id, **data}
    record = MessageModel(
        room_id, next_sequence(room_id), message_id=clock.new_id(), sender_id=SYSTEM_SENDER,
        message_type="system", content=content, created_at=created_at,
    )
    record.save(condition=MessageModel.sequence_number.does_not_exist())
    return content
