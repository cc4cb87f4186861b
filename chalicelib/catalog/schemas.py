"""Bodies and query strings of the event catalog routes."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_name

# the rooms' vocabulary (chalicelib.rooms.schemas sits above this package and uses the same words)
IncidentType = Literal["equipment_failure", "quality_issue", "material_shortage", "safety", "other"]
Severity = Literal["low", "medium", "high", "critical"]
CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class Strict(Schema):
    model_config = ConfigDict(extra="forbid", str_max_length=1000)


class RootCause(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=100)

    _name = field_validator("name")(classmethod(lambda cls, v: clean_name(v).strip()))


class EventCodeFields(Strict):
    """What an administrator sets on a code (``PUT /api/event-codes/{event_code}``)."""

    name: str = Field(min_length=1, max_length=100)
    incident_type: IncidentType
    default_severity: Severity = "medium"
    template_id: str | None = Field(default=None, pattern=UUID)
    escalation_policy_id: str | None = Field(default=None, pattern=UUID)
    root_causes: list[RootCause] = Field(default_factory=list, max_length=100)

    _name = field_validator("name")(classmethod(lambda cls, v: clean_name(v).strip()))

    @model_validator(mode="after")
    def _unique_root_causes(self) -> EventCodeFields:
        codes = [cause.code for cause in self.root_causes]
        if len(codes) != len(set(codes)):
            raise ValueError("root cause codes must be unique")
        return self


class CreateEventCode(EventCodeFields):
    """``POST /api/event-codes``."""

    code: str = Field(pattern=CODE)


class ListEventCodes(Strict):
    """Query string of ``GET /api/event-codes``."""

    include_retired: bool = False
