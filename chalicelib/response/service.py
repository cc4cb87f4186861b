"""Escalation policies (administrators) and the on-duty roster per line and shift.

Rooms keep a copy of their policy (:func:`policy_copy`) so later edits do not change open
rooms; the scheduler (``rooms.escalation``) asks :func:`on_duty` who is on duty when a step fires.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pynamodb.exceptions import DoesNotExist

from chalicelib.auth.principal import Principal
from chalicelib.core import clock
from chalicelib.core.errors import Forbidden, NotFound, ValidationFailed
from chalicelib.core.settings import get_settings
from chalicelib.plant import service as plant
from chalicelib.response.models import PolicyModel, RosterModel
from chalicelib.response.schemas import LINE_ID, PolicyBody, PolicyPatch, RosterBody


def _require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("Only administrators manage escalation policies and rosters")


# ------------------------------------------------------------------------------ policies
def policy_view(p: PolicyModel) -> dict[str, Any]:
    """The contract's policy object."""
    return {"policy_id": p.policy_id, "name": p.name, "steps": p.steps, "repeat": int(p.repeat or 0),
            "created_at": p.created_at, "updated_at": p.updated_at}


def _policy(policy_id: str) -> PolicyModel:
    if not clock.is_uuid(policy_id):
        raise NotFound("Escalation policy not found")
    try:
        return PolicyModel.get("policy", policy_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound("Escalation policy not found") from None


def list_policies() -> dict[str, Any]:
    """Every policy by name (one small partition: a Query)."""
    return {"escalation_policies": [policy_view(p) for p in sorted(PolicyModel.query("policy"), key=lambda p: p.name)]}


def _known_lines(steps: list[Any]) -> None:
    """Every ``on_duty`` line must be a line of the plant (400 naming the step otherwise)."""
    for number, step in enumerate(steps):
        for line_id in step.notify.on_duty:
            try:
                plant.locate(line_id)
            except ValidationFailed:
                raise ValidationFailed(f"Unknown production line {line_id}", details=[
                    {"field": f"steps.{number}.notify.on_duty", "message": f"not a line of the plant: {line_id}"}]) from None


def create_policy(principal: Principal, body: PolicyBody, policy_id: str | None = None) -> dict[str, Any]:
    """Administrators add (or, with a fixed id, replace) a policy."""
    _require_admin(principal)
    _known_lines(body.steps)
    now = clock.iso()
    policy = PolicyModel("policy", policy_id or clock.new_id(), name=body.name,
                         steps=[s.model_dump() for s in body.steps], repeat=body.repeat, created_at=now, updated_at=now)
    policy.save()
    return policy_view(policy)


def update_policy(principal: Principal, policy_id: str, body: PolicyPatch) -> dict[str, Any]:
    """Change a policy; open rooms keep the copy they were created with."""
    _require_admin(principal)
    policy = _policy(policy_id)
    changes = body.model_dump(exclude_unset=True)
    if not changes or any(v is None for v in changes.values()):
        raise ValidationFailed("Nothing to change", details=[{"field": "body", "message": "no fields"}])
    if "name" in changes:
        policy.name = changes["name"]
    if "steps" in changes:
        _known_lines(body.steps or [])
        policy.steps = changes["steps"]
    if "repeat" in changes:
        policy.repeat = changes["repeat"]
    policy.updated_at = clock.iso()
    policy.save()
    return policy_view(policy)


def delete_policy(principal: Principal, policy_id: str) -> None:
    """Remove a policy (rooms that copied it keep escalating by their copy)."""
    _require_admin(principal)
    _policy(policy_id).delete()


def policy_copy(policy_id: str) -> dict[str, Any]:
    """What a new room keeps of its policy (404 for an unknown id)."""
    policy = _policy(policy_id)
    return {"policy_id": policy.policy_id, "name": policy.name, "steps": policy.steps,
            "repeat": int(policy.repeat or 0)}


# ------------------------------------------------------------------------------ rosters
def _line(line_id: str) -> str:
    import re

    if not re.match(LINE_ID, line_id):
        raise NotFound("Line not found")
    return line_id


def get_roster(line_id: str) -> dict[str, Any]:
    """A line's shifts (empty when none is set)."""
    try:
        roster = RosterModel.get(_line(line_id), consistent_read=True)
    except DoesNotExist:
        return {"line_id": line_id, "shifts": [], "timezone": get_settings().plant_timezone}
    return {"line_id": line_id, "shifts": roster.shifts, "timezone": get_settings().plant_timezone}


def put_roster(principal: Principal, line_id: str, body: RosterBody) -> dict[str, Any]:
    """Administrators set a line's shifts (the whole list)."""
    _require_admin(principal)
    plant.locate(_line(line_id))  # 400 for a line the plant does not have
    RosterModel(_line(line_id), shifts=[s.model_dump() for s in body.shifts], updated_at=clock.iso()).save()
    return get_roster(line_id)


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def in_shift(shift: dict[str, Any], minute_of_day: int) -> bool:
    """Whether a time of day falls in ``[start, end)``; a shift may cross midnight; start == end
    is the whole day."""
    start, end = _minutes(shift["start"]), _minutes(shift["end"])
    if start == end:
        return True
    if start < end:
        return start <= minute_of_day < end
    return minute_of_day >= start or minute_of_day < end


def on_duty(line_id: str, at: float | None = None) -> list[str]:
    """The users on duty on a line at ``at`` (epoch seconds; now by default), in the plant's time zone."""
    try:
        roster = RosterModel.get(line_id)
    except DoesNotExist:
        return []
    local = datetime.fromtimestamp(clock.now() if at is None else at, tz=_zone(get_settings().plant_timezone))
    minute = local.hour * 60 + local.minute
    users: list[str] = []
    for shift in roster.shifts or []:
        if in_shift(shift, minute):
            users += [u for u in shift.get("users", []) if u not in users]
    return users
