"""Webhooks as the API accepts them (pydantic; a 400 names the field). The address itself is
checked by :mod:`chalicelib.webhooks.ssrf` in the service (it needs DNS and the settings)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_name, clean_text

EVENTS = ("room_created", "room_acknowledged", "room_escalated", "room_resolved")
Event = Literal["room_created", "room_acknowledged", "room_escalated", "room_resolved"]
MAX_URL = 2000


def _unique(events: list[str]) -> list[str]:
    return list(dict.fromkeys(events))


def _description(value: str) -> str:
    value = value.strip()
    return clean_name(value) if value else value


class WebhookBody(Schema):
    """``POST /api/webhooks``."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=MAX_URL)
    events: list[Event] = Field(min_length=1, max_length=len(EVENTS))
    description: str = Field(default="", max_length=200)

    _url = field_validator("url")(classmethod(lambda cls, v: clean_text(v, multiline=False).strip()))
    _events = field_validator("events")(classmethod(lambda cls, v: _unique(v)))
    _description = field_validator("description")(classmethod(lambda cls, v: _description(v)))


class ListDeliveries(Schema):
    """``GET /api/webhooks/{webhook_id}/deliveries?limit=``."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=100)
