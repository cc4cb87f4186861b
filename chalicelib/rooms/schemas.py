"""Request bodies and query strings of the rooms, members and templates routes."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from chalicelib.catalog.schemas import CODE
from chalicelib.core.cursor import CURSOR_MAX, CURSOR_PATTERN
from chalicelib.core.schema import Schema
from chalicelib.core.text import USER_ID_MAX, USER_ID_PATTERN, clean_name, clean_text
from chalicelib.plant.schemas import NODE_ID

IncidentType = Literal["equipment_failure", "quality_issue", "material_shortage", "safety", "other"]
Severity = Literal["low", "medium", "high", "critical"]
Status = Literal["active", "resolved", "archived"]
Role = Literal["OWNER", "EDITOR", "VIEWER"]
UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _clean(value: str | None) -> str | None:
    """Multi-line text (descriptions, notes): valid, no control characters; trimmed."""
    return None if value is None else clean_text(value).strip()


def _name(value: str | None) -> str | None:
    """A title, name or location: one line, no bidi controls, something visible; trimmed."""
    return None if value is None else clean_name(value).strip()


class Strict(Schema):
    """Unknown fields are an error (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", str_max_length=5000)


class CreateRoom(Strict):
    """``POST /api/rooms``."""

    title: str = Field(min_length=1, max_length=200)
    incident_type: IncidentType | None = None
    severity: Severity | None = None
    location: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=4000)
    template_id: str | None = Field(default=None, max_length=64)
    escalation_policy_id: str | None = Field(default=None, pattern=UUID)
    line_id: str | None = Field(default=None, pattern=NODE_ID)
    station_id: str | None = Field(default=None, pattern=NODE_ID)
    equipment_id: str | None = Field(default=None, min_length=1, max_length=64)
    event_code: str | None = Field(default=None, pattern=CODE)  # pre-fills type, severity, template, policy

    _equipment = field_validator("equipment_id")(classmethod(lambda cls, v: _name(v)))

    _names = field_validator("title", "location")(classmethod(lambda cls, v: _name(v)))
    _clean = field_validator("description")(classmethod(lambda cls, v: _clean(v)))

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class UpdateRoom(Strict):
    """``PATCH /api/rooms/{room_id}`` (any subset)."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    incident_type: IncidentType | None = None
    severity: Severity | None = None
    location: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    status: Status | None = None
    resolution_note: str | None = Field(default=None, max_length=4000)
    line_id: str | None = Field(default=None, pattern=NODE_ID)
    station_id: str | None = Field(default=None, pattern=NODE_ID)
    equipment_id: str | None = Field(default=None, min_length=1, max_length=64)
    # closure (set when resolving; corrected later by an OWNER, audited)
    root_cause_code: str | None = Field(default=None, pattern=CODE)
    false_alarm: bool | None = None
    downtime_minutes: int | None = Field(default=None, ge=0, le=525600)

    _equipment = field_validator("equipment_id")(classmethod(lambda cls, v: _name(v)))

    _names = field_validator("title", "location")(classmethod(lambda cls, v: _name(v)))
    _clean = field_validator("description", "resolution_note")(classmethod(lambda cls, v: _clean(v)))


class ListRooms(Strict):
    """Query string of ``GET /api/rooms``."""

    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=CURSOR_MAX, pattern=CURSOR_PATTERN)
    status: Status | None = None
    incident_type: IncidentType | None = None
    severity: Severity | None = None
    q: str | None = Field(default=None, max_length=200)
    scope: Literal["mine", "all"] = "mine"
    area_id: str | None = Field(default=None, pattern=NODE_ID)
    line_id: str | None = Field(default=None, pattern=NODE_ID)
    event_code: str | None = Field(default=None, pattern=CODE)

    _clean = field_validator("q")(classmethod(lambda cls, v: _name(v)))


class AddMember(Strict):
    """``POST /api/rooms/{room_id}/members``."""

    user_id: str = Field(pattern=USER_ID_PATTERN, max_length=USER_ID_MAX)
    role: Role = "VIEWER"


class ChangeRole(Strict):
    """``PATCH /api/rooms/{room_id}/members/{user_id}``."""

    role: Role


class TemplateMember(Strict):
    """One default member of a template."""

    user_id: str = Field(pattern=USER_ID_PATTERN, max_length=USER_ID_MAX)
    role: Role


class CreateTemplate(Strict):
    """``POST /api/room-templates``."""

    name: str = Field(min_length=1, max_length=100)
    incident_type: IncidentType
    default_severity: Severity = "medium"
    description: str = Field(default="", max_length=4000)
    default_members: list[TemplateMember] = Field(default_factory=list, max_length=50)
    escalation_policy_id: str | None = Field(default=None, pattern=UUID)

    _names = field_validator("name")(classmethod(lambda cls, v: _name(v)))
    _clean = field_validator("description")(classmethod(lambda cls, v: _clean(v)))


class UpdateTemplate(Strict):
    """``PATCH /api/room-templates/{template_id}``."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    incident_type: IncidentType | None = None
    default_severity: Severity | None = None
    description: str | None = Field(default=None, max_length=4000)
    default_members: list[TemplateMember] | None = Field(default=None, max_length=50)
    escalation_policy_id: str | None = Field(default=None, pattern=UUID)

    _names = field_validator("name")(classmethod(lambda cls, v: _name(v)))
    _clean = field_validator("description")(classmethod(lambda cls, v: _clean(v)))
