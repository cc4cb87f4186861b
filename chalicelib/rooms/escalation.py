"""Acknowledge and timed escalation (response-loop.md).

The scheduler (:func:`run_due`, a scheduled Lambda every minute) Queries the sparse
``escalation-due-index`` for rooms whose next step is due (never a Scan) and fires each step
exactly once, even when two invocations overlap or one is retried:

1. the targets are resolved (named users, members by role, who is on duty on the lines);
2. targets who are not members become EDITORs (idempotent: already a member is fine);
3. they are notified with a stable key per (room, level) — a repeated run stores nothing new;
4. the step is claimed with a conditional write (level still ``k - 1``, not acknowledged, still
   active) that also schedules the next level; only the winner writes the ``escalated`` event.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.auth.principal import Principal
from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Conflict
from chalicelib.core.observability import add_metric, logger
from chalicelib.notifications import service as notifications
from chalicelib.response import service as response
from chalicelib.rooms import members, schemas, service, timers
from chalicelib.rooms.access import get_access
from chalicelib.rooms.models import MembershipModel, RoomModel
from chalicelib.timeline.service import append_system_event

SYSTEM = Principal(user_id="system", display_name="系統 System", department="", is_admin=True, session_id="system")
BATCH = 100  # due rooms handled per run (the rest wait a minute)


# ------------------------------------------------------------------------------ acknowledge
def acknowledge(room_id: str, principal: Principal) -> dict[str, Any]:
    """「我來處理」: the caller takes the room (EDITOR+). Idempotent; stops escalation."""
    access = get_access(room_id, principal, "EDITOR")
    room = access.room
    if room.status != "active":
        raise Conflict(f"A {room.status} room cannot be acknowledged")
    if room.acknowledged_at:
        return service.room_view(room, access.role or access.effective)
    now = clock.iso()
    try:
        room.update(actions=[RoomModel.acknowledged_at.set(now), RoomModel.acknowledged_by.set(principal.user_id),
                             RoomModel.escalation_due_at.remove(), RoomModel.due_partition.remove(),
                             RoomModel.updated_at.set(now)],
                    condition=RoomModel.acknowledged_at.does_not_exist() & (RoomModel.status == "active"))
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        room.refresh(consistent_read=True)  # someone else was first (or it was resolved): theirs stands
        if room.status != "active" and not room.acknowledged_at:
            raise Conflict(f"A {room.status} room cannot be acknowledged") from None
        return service.room_view(room, access.role or access.effective)
    service.touch_room(room_id, actor=principal.user_id)  # members' room lists show it live
    elapsed = timers.seconds_between(room.created_at, now)
    append_system_event(room_id, "room_acknowledged", principal.user_id, time_to_acknowledge_s=elapsed)
    service.notify_owners(room, "room_acknowledged", principal.user_id,
                          f"{principal.display_name} 已接手 acknowledged: {room.title}", key=f"ack:{room_id}")
    add_metric("RoomsAcknowledged", unit="Count", value=1)
    return service.room_view(room, access.role or access.effective)


# ------------------------------------------------------------------------------ scheduler
def due_room_ids(now: float | None = None, limit: int = BATCH) -> list[str]:
    """Rooms whose next step is due (Query on the sparse due index, oldest due first)."""
    deadline = clock.iso(clock.now() if now is None else now)
    keys = RoomModel.by_due.query(timers.DUE_PARTITION, RoomModel.escalation_due_at <= deadline, limit=limit)
    return [k.room_id for k in keys]


def run_due(now: float | None = None) -> dict[str, int]:
    """One scheduler run: fire every due step; returns counts (for logs and tests)."""
    fired = skipped = 0
    for room_id in due_room_ids(now):
        try:
            if fire(room_id, now):
                fired += 1
            else:
                skipped += 1
        except Exception:  # noqa: BLE001 - one broken room must not stop the others; it is retried next run
            logger.exception("escalation step failed", extra={"room_id": room_id})
    if fired:
        add_metric("EscalationsFired", unit="Count", value=fired)
    return {"fired": fired, "skipped": skipped}


def _targets(room: RoomModel, step: dict[str, Any], at: float) -> list[str]:
    notify = step.get("notify") or {}
    users: list[str] = list(notify.get("users") or [])
    roles = set(notify.get("roles") or [])
    if roles:
        users += [m.user_id for m in MembershipModel.query(room.room_id) if m.role in roles]
    for line_id in notify.get("on_duty") or []:
        users += response.on_duty(line_id, at)
    return list(dict.fromkeys(u for u in users if u != SYSTEM.user_id))


def fire(room_id: str, now: float | None = None) -> bool:
    """Fire the room's next step if it is due; True when this call fired it."""
    at = clock.now() if now is None else now
    try:
        room = RoomModel.get(room_id, consistent_read=True)
    except DoesNotExist:
        return False
    level = int(room.escalation_level or 0) + 1
    if (not room.escalation or room.acknowledged_at or room.status != "active"
            or level > timers.levels(room.escalation)
            or not room.escalation_due_at or room.escalation_due_at > clock.iso(at)):
        return False
    targets = _targets(room, timers.step_for(room.escalation, level), at)
    present = {m.user_id for m in MembershipModel.query(room_id, attributes_to_get=["room_id", "user_id"])}
    for user_id in targets:
        if user_id not in present:
            try:
                members.add_member(room_id, SYSTEM, schemas.AddMember(user_id=user_id, role="EDITOR"))
            except Conflict:
                pass  # added meanwhile (an overlapping run): a member is what we want
            except Exception:  # noqa: BLE001 - an unknown user is still notified if possible
                logger.warning("escalation target not added", extra={"room_id": room_id})
    notifications.notify(targets, "escalation", f"escalation:{room_id}:{level}", room_id, room.title,
                         f"升級通報 第 {level} 級 Escalation level {level}: {room.title}（{room.severity}）")
    room.escalation_level = level
    timers.schedule_next(room)
    actions: list[Action] = [RoomModel.escalation_level.set(level)]
    if room.escalation_due_at:
        actions += [RoomModel.escalation_due_at.set(room.escalation_due_at), RoomModel.due_partition.set(timers.DUE_PARTITION)]
    else:
        actions += [RoomModel.escalation_due_at.remove(), RoomModel.due_partition.remove()]
    try:
        room.update(actions=actions, condition=(RoomModel.escalation_level == level - 1)
                    & RoomModel.acknowledged_at.does_not_exist() & (RoomModel.status == "active"))
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return False  # another run fired it (or the room was taken meanwhile)
    append_system_event(room_id, "escalated", SYSTEM.user_id, level=level, notified=targets)
    logger.info("escalated", extra={"room_id": room_id, "level": level, "notified": len(targets)})
    return True
