"""Query strings of the inbox routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.core.cursor import CURSOR_MAX, CURSOR_PATTERN


class ListNotifications(BaseModel):
    """``GET /api/notifications``."""

    model_config = ConfigDict(extra="forbid")
    unread: bool = False
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=CURSOR_MAX, pattern=CURSOR_PATTERN)
