"""When a room's next escalation step is due (pure arithmetic on the room's policy copy).

Levels are 1-based: level ``k`` ≤ ``len(steps)`` is step ``k``; the ``repeat`` extra levels
repeat the last step, spaced by the gap between the last two steps (or the last step's own
delay when there is one step), at least one minute.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock
from chalicelib.rooms.models import RoomModel

DUE_PARTITION = "due"


def levels(policy: dict[str, Any]) -> int:
    """How many levels a policy has (its steps plus the repeats)."""
    return len(policy["steps"]) + int(policy.get("repeat") or 0)


def step_for(policy: dict[str, Any], level: int) -> dict[str, Any]:
    """The step that fires at ``level`` (repeats use the last step)."""
    steps = policy["steps"]
    return dict(steps[min(level, len(steps)) - 1])


def due_minutes(policy: dict[str, Any], level: int) -> int:
    """Minutes after the room's creation at which ``level`` fires."""
    steps = policy["steps"]
    if level <= len(steps):
        return int(steps[level - 1]["after_minutes"])
    last = int(steps[-1]["after_minutes"])
    gap = last - int(steps[-2]["after_minutes"]) if len(steps) > 1 else last
    return last + (level - len(steps)) * max(1, gap)


def schedule_next(room: RoomModel) -> None:
    """Set (or clear) the room's due time for the level after ``escalation_level``."""
    policy = room.escalation
    level = int(room.escalation_level or 0) + 1
    if (not policy or room.acknowledged_at or room.status != "active" or level > levels(policy)):
        room.escalation_due_at = None
        room.due_partition = None
        return
    room.escalation_due_at = clock.iso(clock.parse_iso(room.created_at) + 60 * due_minutes(policy, level))
    room.due_partition = DUE_PARTITION


def seconds_between(start: str | None, end: str | None) -> int | None:
    """Whole seconds from ``start`` to ``end`` (None when either is unknown)."""
    if not start or not end:
        return None
    return max(0, round(clock.parse_iso(end) - clock.parse_iso(start)))
