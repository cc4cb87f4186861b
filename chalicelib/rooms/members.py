"""Room members and roles: list, add, change role, remove/leave.

A room always keeps an OWNER (removing or demoting the last one is ``409``); a removed
member's live subscriptions to the room end at once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.auth import users
from chalicelib.auth.principal import Principal
from chalicelib.auth.users import User
from chalicelib.connections import service as connections
from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Conflict, NotFound
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
    return unquote(user_id).strip().lower()


def add_member(room_id: str, principal: Principal, body: schemas.AddMember) -> dict[str, Any]:
    """OWNER adds a known user with a role (409 if already a member)."""
    access = get_access(room_id, principal, "OWNER")
    access.require_open()
    user_id = body.user_id.lower()
    user = users.get_user(user_id)
    if user is None:
        raise NotFound("No such user (they must have logged in once)")
    now = clock.iso()
    membership = membership_for(access.room, user_id, body.role, now)
    try:
        membership.save(condition=MembershipModel.user_id.does_not_exist())
    except PutError as exc:
        if not condition_failed(exc):
            raise
        raise Conflict("Already a member") from None
    access.room.update(actions=[RoomModel.member_count.add(1)])
    touch_room(room_id)
    append_system_event(room_id, "member_added", user_id, role=body.role, by=principal.user_id)
    return _member_view(membership, {user_id: user}, set())


def change_role(room_id: str, principal: Principal, user_id: str, body: schemas.ChangeRole) -> dict[str, Any]:
    """OWNER changes a member's role; the last OWNER cannot be demoted (409)."""
    access = get_access(room_id, principal, "OWNER")
    access.require_open()
    membership = _existing_member(room_id, _target(user_id))
    if membership.role == body.role:
        return _member_view(membership, users.users_by_id([membership.user_id]), set())
    if membership.role == "OWNER":
        _keep_an_owner(room_id)
    old_role = membership.role
    membership.update(actions=[MembershipModel.role.set(body.role)])
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
    if membership.role == "OWNER":
        _keep_an_owner(room_id)
    membership.delete()
    access.room.update(actions=[RoomModel.member_count.add(-1)])
    connections.drop_user_from_room(room_id, target)  # their live subscriptions end at once
    append_system_event(room_id, "member_removed", target, by=principal.user_id)
    touch_room(room_id)


def _existing_member(room_id: str, user_id: str) -> MembershipModel:
    try:
        return MembershipModel.get(room_id, user_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound("Not a member of this room") from None


def _keep_an_owner(room_id: str) -> None:
    owners = MembershipModel.query(room_id, filter_condition=MembershipModel.role == "OWNER",
                                   consistent_read=True)
    if sum(1 for _ in owners) <= 1:
        raise Conflict("A room needs at least one OWNER; promote someone first")
