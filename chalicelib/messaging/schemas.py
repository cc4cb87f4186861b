"""Message content rules: types, size limits, structured incident data."""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from chalicelib.core.cursor import CURSOR_MAX, CURSOR_PATTERN
from chalicelib.core.errors import ValidationFailed
from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_text

MAX_TEXT_CHARS = 4000
MAX_MENTIONS = 50
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
MessageType = Literal["text", "image_ref", "file_ref", "incident_data"]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _clean_text(value: str, limit: int) -> str:
    clean_text(value)
    if len(value) > limit:
        raise ValueError(f"at most {limit} characters")
    return value


def validate_incident_data(data: dict[str, Any]) -> dict[str, Any]:
    """Readings: up to 30 named fields, finite numbers (or short text/booleans), optional timestamp."""
    if not data:
        raise ValueError("incident data needs at least one field")
    if len(data) > 30:
        raise ValueError("at most 30 fields")
    numeric = 0
    for key, value in data.items():
        if not FIELD_NAME.match(key):
            raise ValueError(f"invalid field name: {key[:40]!r}")
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (int, float)):
            if not math.isfinite(value) or abs(value) > 1e15:
                raise ValueError(f"{key}: not a finite number")
            numeric += 1
        elif isinstance(value, str):
            _clean_text(value, 200)
        else:
            raise ValueError(f"{key}: must be a number, text or boolean")
    if numeric == 0:
        raise ValueError("incident data needs at least one numeric reading")
    if "timestamp" in data and not isinstance(data["timestamp"], str):
        raise ValueError("timestamp must be an ISO-8601 string")
    return data


def validate_content(message_type: str, content: Any) -> Any:
    """Content rules of a message type (used for new messages and edits)."""
    try:
        if message_type == "incident_data":
            if not isinstance(content, dict):
                raise ValueError("incident_data content must be an object")
            return validate_incident_data(content)
        if not isinstance(content, str):
            raise ValueError("content must be text")
        _clean_text(content, MAX_TEXT_CHARS)
        if message_type == "text" and not content.strip():
            raise ValueError("content must not be empty")
        return content
    except ValueError as exc:
        raise ValidationFailed(str(exc), details=[{"field": "content", "message": str(exc)}]) from None


class NewMessage(Schema):
    """The ``message`` frame's payload."""

    model_config = ConfigDict(extra="ignore")
    room_id: str = Field(pattern=UUID_PATTERN)
    client_id: str = Field(pattern=UUID_PATTERN)
    message_type: MessageType = "text"
    content: str | dict[str, Any]
    mentions: list[str] = Field(default_factory=list, max_length=MAX_MENTIONS)
    file_id: str | None = Field(default=None, pattern=UUID_PATTERN)

    @field_validator("mentions")
    @classmethod
    def _mentions(cls, value: list[str]) -> list[str]:
        out = []
        for item in value:
            if not isinstance(item, str) or len(item) > 256 or "@" not in item:
                raise ValueError("mentions are user ids (e-mail addresses)")
            out.append(item.strip().lower())
        return list(dict.fromkeys(out))

    @model_validator(mode="after")
    def _content_matches_type(self) -> NewMessage:
        if self.message_type == "incident_data":
            if not isinstance(self.content, dict):
                raise ValueError("incident_data content must be an object")
            validate_incident_data(self.content)
            return self
        if not isinstance(self.content, str):
            raise ValueError("content must be text")
        _clean_text(self.content, MAX_TEXT_CHARS)
        if self.message_type == "text" and not self.content.strip():
            raise ValueError("content must not be empty")
        if self.message_type in ("image_ref", "file_ref") and not self.file_id:
            raise ValueError("file_id is required for image_ref / file_ref")
        return self


class HistoryQuery(Schema):
    """Query string of ``GET /api/rooms/{room_id}/messages``."""

    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=50, ge=1, le=100)
    before: int | None = Field(default=None, ge=1)
    after_seq: int | None = Field(default=None, ge=0)


class SearchQuery(Schema):
    """Query string of ``GET /api/messages/search``."""

    model_config = ConfigDict(extra="forbid")
    q: str = Field(min_length=1, max_length=100)
    room_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=CURSOR_MAX, pattern=CURSOR_PATTERN)


class IncidentDataQuery(Schema):
    """Query string of ``GET /api/rooms/{room_id}/incident-data``."""

    model_config = ConfigDict(extra="forbid")
    field: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
    limit: int = Field(default=1000, ge=1, le=5000)


class AuditQuery(Schema):
    """Query string of ``GET /api/rooms/{room_id}/audit``."""

    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=CURSOR_MAX, pattern=CURSOR_PATTERN)
