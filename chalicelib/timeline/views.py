"""The wire form of a message (what REST and WebSocket clients see)."""

from __future__ import annotations

from typing import Any

from chalicelib.timeline.models import MessageModel

DELETED_PLACEHOLDER = None  # deleted messages carry no content on the wire


def reaction_sets(message: MessageModel) -> dict[str, set[str]]:
    """``{emoji: {user_id}}`` of a message."""
    raw = message.reactions.as_dict() if message.reactions else {}
    return {emoji: set(users or ()) for emoji, users in raw.items()}


def message_view(message: MessageModel) -> dict[str, Any]:
    """A message record as the contract's message object."""
    deleted = message.deleted_at is not None
    return {
        "message_id": message.message_id,
        "room_id": message.room_id,
        "sequence_number": int(message.sequence_number),
        "sender_id": message.sender_id,
        "message_type": message.message_type,
        "content": DELETED_PLACEHOLDER if deleted else message.content,
        "mentions": list(message.mentions or []),
        "file_id": message.file_id,
        "reactions": {} if deleted else {k: sorted(v) for k, v in reaction_sets(message).items() if v},
        "client_id": message.client_id,
        "created_at": message.created_at,
        "edited_at": message.edited_at,
        "deleted_at": message.deleted_at,
        "updated_at": message.changed_at,
        "version": int(message.version or 1),
    }


def system_frame(message: MessageModel) -> dict[str, Any]:
    """A persisted system event as the ``system`` frame (with its place in the history)."""
    content = dict(message.content or {})
    return {
        "type": "system",
        **content,
        "event": content.get("event"),
        "room_id": message.room_id,
        "user_id": content.get("user_id"),
        "timestamp": message.created_at,
        "message_id": message.message_id,
        "sequence_number": int(message.sequence_number),
    }
