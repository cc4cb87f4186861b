"""Client → server WebSocket frames, validated with pydantic (dispatch on ``type``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from chalicelib.core.errors import ValidationFailed

MAX_FRAME_BYTES = 32 * 1024  # API Gateway's WebSocket frame limit


class Frame(BaseModel):
    """Common base: unknown extra fields are ignored (forward compatible clients)."""

    model_config = ConfigDict(extra="ignore")


class PingFrame(Frame):
    """Client keep-alive; answered with ``pong``."""

    type: Literal["ping"]


FRAME_TYPES: dict[str, type[Frame]] = {"ping": PingFrame}


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


__all__ = ["MAX_FRAME_BYTES", "PingFrame", "ValidationError", "parse_frame"]
