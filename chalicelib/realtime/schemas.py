"""Client → server WebSocket frames, validated with pydantic (the registry in ``handlers`` maps
each ``type`` to its schema)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from chalicelib.core.schema import Schema
from chalicelib.messaging.schemas import UUID_PATTERN, NewMessage

MAX_FRAME_BYTES = 32 * 1024  # API Gateway's WebSocket frame limit


class Frame(Schema):
    """Common base: unknown extra fields are ignored (forward compatible clients)."""

    model_config = ConfigDict(extra="ignore")
    type: str


class RoomFrame(Frame):
    """A frame about one room (its access is checked before the handler runs)."""

    room_id: str = Field(pattern=UUID_PATTERN)


class PingFrame(Frame):
    """Client keep-alive; answered with ``pong``."""

    type: Literal["ping"]


class SubscribeFrame(RoomFrame):
    """Start receiving a room; replay what came (or changed) after ``last_seq`` / ``changed_since``."""

    type: Literal["subscribe"]
    last_seq: int | None = Field(default=None, ge=0)
    changed_since: str | None = Field(default=None, max_length=40,
                                      pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")


class UnsubscribeFrame(RoomFrame):
    """Stop receiving a room."""

    type: Literal["unsubscribe"]


class MessageFrame(RoomFrame, NewMessage):
    """Send a message (see :class:`NewMessage`)."""

    type: Literal["message"]


class TypingFrame(RoomFrame):
    """Typing indicator (not persisted)."""

    type: Literal["typing"]
    is_typing: bool


class EditFrame(RoomFrame):
    """Change the text (or readings) of one's own message within 15 minutes."""

    type: Literal["edit_message"]
    message_id: str = Field(pattern=UUID_PATTERN)
    content: str | dict[str, Any]


class DeleteFrame(RoomFrame):
    """Soft-delete a message."""

    type: Literal["delete_message"]
    message_id: str = Field(pattern=UUID_PATTERN)


class ReactionFrame(RoomFrame):
    """Add or remove the caller's emoji reaction."""

    type: Literal["add_reaction", "remove_reaction"]
    message_id: str = Field(pattern=UUID_PATTERN)
    emoji: str = Field(min_length=1, max_length=32)
