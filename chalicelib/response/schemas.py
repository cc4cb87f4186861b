"""Escalation policies and rosters as the API accepts them (pydantic; 400 names the problem)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_name

EMAIL = r"^[^@\s\x00-\x1f]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$"
LINE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class Strict(Schema):
    """Unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


def _user_ids(value: list[str]) -> list[str]:
    for user in value:
        if not re.match(EMAIL, user):
            raise ValueError(f"not a user id (e-mail): {user[:60]!r}")
    return [u.lower() for u in value]


def _line_ids(value: list[str]) -> list[str]:
    for line in value:
        if not re.match(LINE_ID, line):
            raise ValueError(f"not a line id: {line[:60]!r}")
    return value


def _in_order(value: list[Step] | None) -> list[Step] | None:
    if value is not None:
        minutes = [s.after_minutes for s in value]
        if minutes != sorted(minutes):
            raise ValueError("steps must be ordered by after_minutes")
    return value


class Targets(Strict):
    """Who a step notifies: named users, the room's members with a role, who is on duty."""

    users: list[str] = Field(default_factory=list, max_length=50)
    roles: list[Literal["OWNER", "EDITOR", "VIEWER"]] = Field(default_factory=list, max_length=3)
    on_duty: list[str] = Field(default_factory=list, max_length=20)

    _users = field_validator("users")(classmethod(lambda cls, v: _user_ids(v)))
    _lines = field_validator("on_duty")(classmethod(lambda cls, v: _line_ids(v)))


class Step(Strict):
    """One step: after this many minutes from the room's creation, notify these."""

    after_minutes: int = Field(ge=0, le=7 * 24 * 60)
    notify: Targets


class PolicyBody(Strict):
    """``POST /api/escalation-policies`` (``PATCH``: any subset)."""

    name: str = Field(min_length=1, max_length=100)
    steps: list[Step] = Field(min_length=1, max_length=10)
    repeat: int = Field(default=0, ge=0, le=5)

    _name = field_validator("name")(classmethod(lambda cls, v: clean_name(v).strip()))

    _ordered = field_validator("steps")(classmethod(lambda cls, v: _in_order(v)))


class PolicyPatch(Strict):
    """``PATCH /api/escalation-policies/{policy_id}``."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    steps: list[Step] | None = Field(default=None, min_length=1, max_length=10)
    repeat: int | None = Field(default=None, ge=0, le=5)

    _name = field_validator("name")(classmethod(lambda cls, v: None if v is None else clean_name(v).strip()))
    _ordered = field_validator("steps")(classmethod(lambda cls, v: _in_order(v)))


class Shift(Strict):
    """One shift: ``start``–``end`` in the plant's time zone (may cross midnight)."""

    name: str = Field(min_length=1, max_length=40)
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    users: list[str] = Field(default_factory=list, max_length=50)

    _name = field_validator("name")(classmethod(lambda cls, v: clean_name(v).strip()))
    _users = field_validator("users")(classmethod(lambda cls, v: _user_ids(v)))


class RosterBody(Strict):
    """``PUT /api/rosters/{line_id}``."""

    shifts: list[Shift] = Field(max_length=6)
