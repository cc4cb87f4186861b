"""Room members and roles: list, add, change role, remove/leave.

A room always keeps an OWNER (removing or demoting the last one is ``409``); a removed
member's live subscriptions to the room end at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.auth import users
from chalicelib.auth.principal import Principal
from chalicelib.auth.users import User
from chalicelib.connections import service as connections
from chalicelib.core import clock
from chalicelib.core.db import condition_failed, transaction
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.text import user_id_path
from chalicelib.notifications import service as notifications
from chalicelib.rooms import schemas
from chalicelib.rooms.access import get_access
from chalicelib.rooms.models import MembershipModel, RoomModel
from chalicelib.rooms.service import membership_for, touch_room
from chalicelib.timeline.service import append_system_event


def _member_view(m: MembershipModel, known: dict[str, User], online: set[str]) -> dict[str, Any]:
    user = known.get(m.user_id)
    return {"user_id": m.user_id, "display_name": user.display_name if user else m.user_id,
            "department": user.department if user else "", "role": m.role,
            "joined_at": m.joined_at, "online": m.user_id in online}


def list_members(room_id: str, principal: Principal) -> dict[str, Any]:
    """Members with display names and online state (anyone in the room)."""
    get_access(room_id, principal)
    members = list(MembershipModel.query(room_id))
    known = users.users_by_id(m.user_id for m in members)
    online = connections.online_users(room_id)
    order = {"OWNER": 0, "EDITOR": 1, "VIEWER": 2}
    members.sort(key=lambda m: (order.get(m.role, 3), m.joined_at))
    return {"members": [_member_view(m, known, online) for m in members]}


def _target(user_id: str) -> str:
    return user_id_path(user_id)


def add_member(room_id: str, principal: Principal, body: schemas.AddMember) -> dict[str, Any]:
    """OWNER adds a known user with a role (409 if already a member)."""
    access = get_access(room_id, principal, "OWNER")
    access.require_open()
    user_id = body.user_id.lower()
    user = users.get_user(user_id)
    if user is None:
        raise NotFound("No such user (they must have logged in once)")
    _ensure_owner_count(access.room)
    now = clock.iso()
    membership = membership_for(access.room, user_id, body.role, now)
    counts: list[Action] = [RoomModel.member_count.add(1)]
    if body.role == "OWNER":
        counts.append(RoomModel.owner_count.add(1))
    try:
        with transaction() as tx:
            tx.save(membership, condition=MembershipModel.user_id.does_not_exist())
            tx.update(access.room, actions=counts)
    except TransactWriteError as exc:
        if _refused(exc) != [True, False]:
            raise
        raise Conflict("Already a member") from None
    touch_room(room_id)
    append_system_event(room_id, "member_added", user_id, role=body.role, by=principal.user_id)
    if user_id != principal.user_id:
        notifications.notify([user_id], "added_to_room", f"added:{room_id}:{user_id}:{now}", room_id,
                             access.room.title, f"你已被加入 You were added ({body.role}): {access.room.title}")
    return _member_view(membership, {user_id: user}, set())


def change_role(room_id: str, principal: Principal, user_id: str, body: schemas.ChangeRole) -> dict[str, Any]:
    """OWNER changes a member's role; the last OWNER cannot be demoted (409)."""
    access = get_access(room_id, principal, "OWNER")
    access.require_open()
    membership = _existing_member(room_id, _target(user_id))
    if membership.role == body.role:
        return _member_view(membership, users.users_by_id([membership.user_id]), set())
    old_role = membership.role
    _ensure_owner_count(access.room)
    owners = 1 if body.role == "OWNER" else -1 if old_role == "OWNER" else 0
    with _guarded(owners) as (tx, room_condition):
        tx.update(membership, actions=[MembershipModel.role.set(body.role)],
                  condition=MembershipModel.role == old_role)
        tx.update(access.room, actions=[RoomModel.owner_count.add(owners)], condition=room_condition)
    membership.role = body.role
    append_system_event(room_id, "role_changed", membership.user_id, role=body.role, old_role=old_role,
                        by=principal.user_id)
    touch_room(room_id)
    return _member_view(membership, users.users_by_id([membership.user_id]), set())


def remove_member(room_id: str, principal: Principal, user_id: str) -> None:
    """OWNER removes anyone, a member removes themselves; the last OWNER stays (409)."""
    target = _target(user_id)
    leaving = target == principal.user_id
    access = get_access(room_id, principal, "VIEWER" if leaving else "OWNER")
    membership = _existing_member(room_id, target)
    _ensure_owner_count(access.room)
    owners = -1 if membership.role == "OWNER" else 0
    with _guarded(owners) as (tx, room_condition):
        tx.delete(membership, condition=MembershipModel.role == membership.role)
        tx.update(access.room, actions=[RoomModel.member_count.add(-1), RoomModel.owner_count.add(owners)],
                  condition=room_condition)
    connections.drop_user_from_room(room_id, target)  # their live subscriptions end at once
    append_system_event(room_id, "member_removed", target, by=principal.user_id)
    touch_room(room_id)


def _refused(exc: TransactWriteError) -> list[bool]:
    """Which items of a cancelled transaction failed their condition."""
    return [getattr(r, "code", None) == "ConditionalCheckFailed" if r else False
            for r in (exc.cancellation_reasons or [])]


@contextmanager
def _guarded(owners: int) -> Iterator[tuple[Any, Any]]:
    """A transaction of one membership change and the room's counters. Losing an OWNER needs
    another one to remain (``owner_count > 1``, checked atomically with the change); the
    membership's own condition catches a concurrent change of the same member."""
    condition = RoomModel.owner_count > 1 if owners < 0 else None
    try:
        with transaction() as tx:
            yield tx, condition
    except TransactWriteError as exc:
        refused = _refused(exc)
        if len(refused) == 2 and refused[1]:
            raise Conflict("A room needs at least one OWNER; promote someone first") from None
        if len(refused) == 2 and refused[0]:
            raise Conflict("The member changed meanwhile; reload and try again") from None
        raise


def _ensure_owner_count(room: RoomModel) -> None:
    """Rooms created before ``owner_count`` existed get it once (counted, then set if absent)."""
    if room.owner_count is not None:
        return
    owners = sum(1 for _ in MembershipModel.query(room.room_id, filter_condition=MembershipModel.role == "OWNER",
                                                  consistent_read=True))
    try:
        room.update(actions=[RoomModel.owner_count.set(owners)], condition=RoomModel.owner_count.does_not_exist())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        room.refresh(consistent_read=True)


def _existing_member(room_id: str, user_id: str) -> MembershipModel:
    try:
        return MembershipModel.get(room_id, user_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound("Not a member of this room") from None

