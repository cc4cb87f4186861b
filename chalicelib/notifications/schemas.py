"""Query strings and bodies of the inbox, notification settings and push subscription routes."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, StrictBool, field_validator

from chalicelib.core.cursor import CURSOR_MAX, CURSOR_PATTERN
from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_name


class ListNotifications(Schema):
    """``GET /api/notifications``."""

    model_config = ConfigDict(extra="forbid")
    unread: bool = False
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=CURSOR_MAX, pattern=CURSOR_PATTERN)


class NotificationSettings(Schema):
    """``PUT /api/me/notification-settings`` (``escalation`` is always on, whatever is sent)."""

    model_config = ConfigDict(extra="forbid")
    email: StrictBool
    web_push: StrictBool
    kinds: dict[Literal["mention", "escalation", "added_to_room", "room_acknowledged", "room_resolved"],
                StrictBool] = {}


class PushKeys(Schema):
    model_config = ConfigDict(extra="forbid")
    p256dh: str = Field(min_length=40, max_length=200, pattern=r"^[A-Za-z0-9_-]+=*$")
    auth: str = Field(min_length=16, max_length=60, pattern=r"^[A-Za-z0-9_-]+=*$")


class PushSubscription(Schema):
    """``POST /api/me/push-subscriptions``: what ``PushSubscription.toJSON()`` gives in the browser."""

    model_config = ConfigDict(extra="ignore")  # browsers add fields (expirationTime)
    endpoint: str = Field(min_length=12, max_length=2048, pattern=r"^https?://[^\s]+$")
    keys: PushKeys
    user_agent: str = Field(default="", max_length=300)

    @field_validator("user_agent")
    @classmethod
    def _plain(cls, value: str) -> str:
        return clean_name(value) if value.strip() else ""


class PushUnsubscribe(Schema):
    """``DELETE /api/me/push-subscriptions``."""

    model_config = ConfigDict(extra="ignore")
    endpoint: str = Field(min_length=12, max_length=2048)
