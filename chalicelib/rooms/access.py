"""Room access: who may do what in a room, and the room facts other domains read.

Roles rank ``OWNER`` > ``EDITOR`` > ``VIEWER``; administrators act as ``OWNER`` anywhere
(chat-room.md). This module reads the rooms and memberships tables only; files, messaging and
the WebSocket API use it instead of those tables. It imports nothing of the room use cases, so
stream consumers stay small.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from cachetools import TTLCache
from pynamodb.exceptions import DoesNotExist

from chalicelib.auth.principal import Principal
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, Forbidden, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.rooms.models import MembershipModel, RoomModel

RANK = {"VIEWER": 1, "EDITOR": 2, "OWNER": 3}


def at_least(role: str | None, minimum: str) -> bool:
    """True when ``role`` ranks at or above ``minimum``."""
    return role is not None and RANK[role] >= RANK[minimum]


@dataclass(frozen=True)
class Access:
    """A caller's standing in a room."""

    room: RoomModel
    role: str | None  # membership role (None for an administrator who is not a member)
    effective: str  # what the caller may do as

    @property
    def room_id(self) -> str:
        """The room's id."""
        return str(self.room.room_id)

    @property
    def is_owner(self) -> bool:
        """OWNER (or an administrator)."""
        return self.effective == "OWNER"

    def require_open(self, message: str = "The room is archived") -> None:
        """``409 conflict`` when the room is archived (it takes no new content)."""
        if self.room.status == "archived":
            raise Conflict(message)


def get_access(room_id: str, principal: Principal, minimum: str = "VIEWER") -> Access:
    """Load a room and check the caller's role (404 unknown room, 403 not allowed)."""
    return _check(_load(room_id, principal.user_id), principal, minimum)


def _load(room_id: str, user_id: str) -> tuple[RoomModel, str | None]:
    if not clock.is_uuid(room_id):
        raise NotFound("Room not found")
    try:
        room = RoomModel.get(room_id)
    except DoesNotExist:
        raise NotFound("Room not found") from None
    try:
        role: str | None = MembershipModel.get(room_id, user_id).role
    except DoesNotExist:
        role = None
    return room, role


def _check(loaded: tuple[RoomModel, str | None], principal: Principal, minimum: str) -> Access:
    room, role = loaded
    effective = "OWNER" if principal.is_admin else role
    if effective is None:
        raise Forbidden("You are not a member of this room")
    if not at_least(effective, minimum):
        raise Forbidden(f"This needs the {minimum} role")
    return Access(room=room, role=role, effective=effective)


# The WebSocket path reads a sender's room and role once per SESSION_CACHE_SECONDS (like the
# session itself): a chat of many messages then costs no reads before its write. Only members
# are kept (someone just added is let in at once); a removal, a lowered role or an archived room
# takes effect within that bound — the same bound as a revoked session (README, "Performance").
_ACCESS: TTLCache[tuple[str, str], tuple[RoomModel, str | None]] | None = None
_ACCESS_LOCK = threading.Lock()


def _access_cache() -> TTLCache[tuple[str, str], tuple[RoomModel, str | None]]:
    global _ACCESS
    with _ACCESS_LOCK:
        if _ACCESS is None:
            _ACCESS = TTLCache(maxsize=10_000, ttl=get_settings().session_cache_seconds, timer=lambda: clock.now())
        return _ACCESS


def recent_access(room_id: str, principal: Principal, minimum: str = "VIEWER") -> Access:
    """:func:`get_access` read at most once per ``SESSION_CACHE_SECONDS`` per room and user
    (WebSocket frames; REST routes always read)."""
    cache = _access_cache()
    key = (room_id, principal.user_id)
    with _ACCESS_LOCK:
        loaded = cache.get(key)
    if loaded is None:
        loaded = _load(room_id, principal.user_id)
        if loaded[1] is not None:
            with _ACCESS_LOCK:
                cache[key] = loaded
    return _check(loaded, principal, minimum)


def forget_access() -> None:
    """Drop what :func:`recent_access` keeps (tests; a changed ``SESSION_CACHE_SECONDS``)."""
    global _ACCESS
    with _ACCESS_LOCK:
        _ACCESS = None


def room_title(room_id: str) -> str:
    """A room's title ("" when unknown)."""
    try:
        return str(RoomModel.get(room_id, attributes_to_get=["title"]).title)
    except DoesNotExist:
        return ""


def room_titles(room_ids: Iterable[str]) -> dict[str, str]:
    """Titles of several rooms (BatchGet)."""
    ids = list(dict.fromkeys(room_ids))
    if not ids:
        return {}
    return {r.room_id: r.title for r in RoomModel.batch_get(ids, attributes_to_get=["room_id", "title"])}


def member_ids(room_id: str) -> set[str]:
    """The user ids of a room's members (Query on the room's partition)."""
    return {m.user_id for m in MembershipModel.query(room_id, attributes_to_get=["room_id", "user_id"])}


def is_member(room_id: str, user_id: str) -> bool:
    """True when the user is a member (administrators who are not members: False)."""
    try:
        MembershipModel.get(room_id, user_id, attributes_to_get=["room_id"])
        return True
    except DoesNotExist:
        return False


def room_ids_of(user_id: str) -> list[str]:
    """The rooms a user belongs to (Query on the memberships' user index)."""
    return [m.room_id for m in MembershipModel.by_user.query(user_id)]
