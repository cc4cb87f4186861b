"""Client → server WebSocket frames, validated with pydantic (dispatch on ``type``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.core.errors import ValidationFailed
from chalicelib.messaging.schemas import UUID_PATTERN, NewMessage

MAX_FRAME_BYTES = 32 * 1024  # API Gateway's WebSocket frame limit


class Frame(BaseModel):
    """Common base: unknown extra fields are ignored (forward compatible clients)."""

    model_config = ConfigDict(extra="ignore")


class PingFrame(Frame):
    """Client keep-alive; answered with ``pong``."""

    type: Literal["ping"]


class SubscribeFrame(Frame):
    """Start receiving a room; replay what came (or changed) after ``last_seq`` / ``changed_since``."""

    type: Literal["subscribe"]
    room_id: str = Field(pattern=UUID_PATTERN)
    last_seq: int | None = Field(default=None, ge=0)
    changed_since: str | None = Field(default=None, max_length=40,
                                      pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")


class UnsubscribeFrame(Frame):
    """Stop receiving a room."""

    type: Literal["unsubscribe"]
    room_id: str = Field(pattern=UUID_PATTERN)


class MessageFrame(Frame, NewMessage):
    """Send a message (see :class:`NewMessage`)."""

    type: Literal["message"]


class TypingFrame(Frame):
    """Typing indicator (not persisted)."""

    type: Literal["typing"]
    room_id: str = Field(pattern=UUID_PATTERN)
    is_typing: bool


class EditFrame(Frame):
    """Change the text (or readings) of one's own message within 15 minutes."""

    type: Literal["edit_message"]
    room_id: str = Field(pattern=UUID_PATTERN)
    message_id: str = Field(pattern=UUID_PATTERN)
    content: str | dict[str, Any]


class DeleteFrame(Frame):
    """Soft-delete a message."""

    type: Literal["delete_message"]
    room_id: str = Field(pattern=UUID_PATTERN)
    message_id: str = Field(pattern=UUID_PATTERN)


class ReactionFrame(Frame):
    """Add or remove the caller's emoji reaction."""

    type: Literal["add_reaction", "remove_reaction"]
    room_id: str = Field(pattern=UUID_PATTERN)
    message_id: str = Field(pattern=UUID_PATTERN)
    emoji: str = Field(min_length=1, max_length=32)


FRAME_TYPES: dict[str, type[Frame]] = {
    "ping": PingFrame,
    "subscribe": SubscribeFrame,
    "unsubscribe": UnsubscribeFrame,
    "message": MessageFrame,
    "typing": TypingFrame,
    "edit_message": EditFrame,
    "delete_message": DeleteFrame,
    "add_reaction": ReactionFrame,
    "remove_reaction": ReactionFrame,
}


def parse_frame(raw: Any) -> Frame:
    """Validate a decoded frame; unknown or missing ``type`` is a ``validation_error``."""
    if not isinstance(raw, dict):
        raise ValidationFailed("A frame must be a JSON object")
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise ValidationFailed("type: field required")
    model = FRAME_TYPES.get(kind)
    if model is None:
        raise ValidationFailed(f"Unknown frame type: {kind[:40]}")
    return model.model_validate(raw)
