"""Bodies of the integration routes: creating a key and a machine event (400 names the field)."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from chalicelib.core import clock
from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_name, clean_text
from chalicelib.plant.schemas import NODE_ID

EVENT_CODE = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}$"
READING_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")  # the incident_data field names
MAX_READINGS = 20
MAX_MESSAGE = 2000
MAX_FUTURE_SECONDS = 24 * 3600  # a machine clock running ahead is tolerated this much


class Strict(Schema):
    """Unknown fields are an error (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")


class CreateIntegrationKey(Strict):
    """``POST /api/integration-keys``."""

    name: str = Field(min_length=1, max_length=100)
    line_id: str | None = Field(default=None, pattern=NODE_ID)

    _name = field_validator("name")(classmethod(lambda cls, v: clean_name(v).strip()))

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be blank")
        return value


def _readings(value: dict[str, Any]) -> dict[str, float | int]:
    for name, reading in value.items():
        if not READING_NAME.match(name) or name == "timestamp":
            raise ValueError(f"invalid reading name: {name[:40]!r} (letters, digits, _; not 'timestamp')")
        if isinstance(reading, bool) or not isinstance(reading, (int, float)):
            raise ValueError(f"{name}: must be a number")
        if not math.isfinite(reading) or abs(reading) > 1e15:
            raise ValueError(f"{name}: not a finite number")
    return value


def _occurred_at(value: str | None) -> str | None:
    """ISO-8601 with a time zone → the contract's UTC form; not far in the future."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO-8601 time such as 2025-11-17T10:00:00Z") from None
    if moment.tzinfo is None:
        raise ValueError("needs a time zone (Z or ±hh:mm)")
    stamp = moment.timestamp()
    if stamp < 0 or stamp > clock.now() + MAX_FUTURE_SECONDS:
        raise ValueError("is not a plausible time")
    return clock.iso(stamp)


class MachineEvent(Strict):
    """``POST /api/integrations/events``: what a machine reports.

    ``line_id`` / ``station_id`` place the equipment in the plant (an equipment id is a free-text
    tool id, not a plant node); a key bound to a line may leave them out."""

    equipment_id: str = Field(min_length=1, max_length=64)
    event_code: str = Field(pattern=EVENT_CODE)
    message: str = Field(min_length=1, max_length=MAX_MESSAGE)
    severity: Literal["low", "medium", "high", "critical"] | None = None
    readings: dict[str, Any] | None = Field(default=None, max_length=MAX_READINGS)
    occurred_at: str | None = Field(default=None, max_length=40)
    line_id: str | None = Field(default=None, pattern=NODE_ID)
    station_id: str | None = Field(default=None, pattern=NODE_ID)
    # the machine's own id for this event: a resent request appends nothing twice
    event_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")

    _equipment = field_validator("equipment_id")(classmethod(lambda cls, v: clean_name(v).strip()))
    _readings = field_validator("readings")(classmethod(lambda cls, v: None if v is None else _readings(v)))
    _occurred = field_validator("occurred_at")(classmethod(lambda cls, v: _occurred_at(v)))

    @field_validator("equipment_id", "message")
    @classmethod
    def _visible(cls, value: str) -> str:
        clean_text(value)
        if not value.strip():
            raise ValueError("must not be blank")
        return value
