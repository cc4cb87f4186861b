"""One handler per client frame type, and the registry that maps each ``type`` to its schema,
the minimum room role and its handler. Adding a frame type is one entry here.

The dispatcher (``realtime.service``) validates the frame with the schema, loads the caller and
— for frames about a room — checks their access once, then calls the handler with a
:class:`FrameCall`. Handlers return the replies for the sender (possibly none).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cachetools import TTLCache

from chalicelib.auth.principal import Principal
from chalicelib.connections import presence
from chalicelib.connections import service as connections
from chalicelib.core import clock
from chalicelib.core.observability import logger
from chalicelib.files.service import require_ready_file
from chalicelib.messaging import operations
from chalicelib.messaging import service as messaging
from chalicelib.realtime.schemas import (
    DeleteFrame,
    EditFrame,
    Frame,
    MessageFrame,
    PingFrame,
    ReactionFrame,
    SubscribeFrame,
    TypingFrame,
    UnsubscribeFrame,
)
from chalicelib.rooms import access as room_access
from chalicelib.rooms.access import Access
from chalicelib.rooms.service import touch_room
from chalicelib.timeline.service import last_sequence

F = TypeVar("F", bound=Frame)
Reply = dict[str, Any]

CHANGE_MARGIN = 5.0  # seconds: writes stamped just before a client's last sync
ACTIVITY_EVERY = 30.0  # seconds: how often messages move a room's last_activity_at

# Rooms whose last activity this container moved within ACTIVITY_EVERY (see _keep_active).
_MOVED: TTLCache[str, bool] = TTLCache(maxsize=10_000, ttl=ACTIVITY_EVERY, timer=lambda: clock.now())
_MOVED_LOCK = threading.Lock()


@dataclass(frozen=True)
class FrameCall(Generic[F]):
    """One validated frame from a known caller; ``access`` is set for frames about a room."""

    connection_id: str
    principal: Principal
    frame: F
    access: Access | None = None

    @property
    def room_access(self) -> Access:
        """The checked access (frames registered with a minimum role always have it)."""
        if self.access is None:
            raise RuntimeError("frame registered without a minimum role")
        return self.access


@dataclass(frozen=True)
class FrameSpec(Generic[F]):
    """How one frame type is handled."""

    schema: type[F]
    handler: Callable[[FrameCall[F]], list[Reply]]
    minimum_role: str | None = None  # checked on ``frame.room_id`` before the handler
    anonymous: bool = False  # no caller lookup (``ping``)
    rate: str | None = None  # per-user rate: "message" (over it: ``rate_limited``) or "typing" (over it: dropped)


# ------------------------------------------------------------------------------ handlers
def ping(call: FrameCall[PingFrame]) -> list[Reply]:
    """Keep-alive."""
    return [{"type": "pong"}]


def subscribe(call: FrameCall[SubscribeFrame]) -> list[Reply]:
    """Members only; subscription first, then the replay (so nothing falls in between)."""
    frame = call.frame
    online = connections.subscribe(call.connection_id, call.principal.user_id, frame.room_id)
    server_time = clock.iso()
    replayed: list[Reply] = []
    truncated = False
    if frame.last_seq is not None:
        since = clock.iso(clock.parse_iso(frame.changed_since) - CHANGE_MARGIN) if frame.changed_since else None
        views, truncated = messaging.replay(frame.room_id, frame.last_seq, since)
        replayed = [{"type": "message", "message": v, "replay": True} for v in views]
    subscribed = {"type": "subscribed", "room_id": frame.room_id, "online": online,
                  "last_seq": last_sequence(frame.room_id), "server_time": server_time, "has_more": truncated}
    return [subscribed, *replayed]


def unsubscribe(call: FrameCall[UnsubscribeFrame]) -> list[Reply]:
    """Stop receiving a room (no access check: leaving is always allowed)."""
    for gone in connections.unsubscribe(call.frame.room_id, call.connection_id):
        connections.forget_connection(gone)
    return [{"type": "unsubscribed", "room_id": call.frame.room_id}]


def send(call: FrameCall[MessageFrame]) -> list[Reply]:
    """Store the message; the ``ack`` goes back once it is stored (the stream fans it out)."""
    frame, access = call.frame, call.room_access
    access.require_open()
    if frame.message_type in ("image_ref", "file_ref"):
        require_ready_file(frame.room_id, frame.file_id)
    in_room = room_access.member_ids(frame.room_id) if frame.mentions else set()
    ack = messaging.send_message(call.principal.user_id, frame, in_room)
    _keep_active(access)
    return [ack]


def _keep_active(access: Access) -> None:
    """Move the room's ``last_activity_at`` (members' lists sort by it) when it is older than
    ``ACTIVITY_EVERY`` — once per container per period. The room in ``access`` is the one read
    at most every ``SESSION_CACHE_SECONDS``: it still shows the old time after the move, so
    without remembering, every message of that window moved it (and rewrote every membership)
    again."""
    room_id = access.room_id
    if clock.now() - clock.parse_iso(access.room.last_activity_at) <= ACTIVITY_EVERY:
        return
    with _MOVED_LOCK:
        if room_id in _MOVED:
            return
        _MOVED[room_id] = True
    try:
        touch_room(room_id)
    except Exception:  # noqa: BLE001 - the message is stored: its ack must not be lost to bookkeeping
        logger.warning("moving the room's last activity failed", extra={"room_id": room_id}, exc_info=True)
        with _MOVED_LOCK:
            _MOVED.pop(room_id, None)  # the next message tries again


def edit(call: FrameCall[EditFrame]) -> list[Reply]:
    """The sender edits their message (15 minutes)."""
    frame = call.frame
    operations.edit_message(call.principal.user_id, frame.room_id, frame.message_id, frame.content)
    return []


def delete(call: FrameCall[DeleteFrame]) -> list[Reply]:
    """The sender, an OWNER or an administrator soft-deletes a message."""
    frame = call.frame
    operations.delete_message(call.principal.user_id, call.room_access.is_owner, frame.room_id, frame.message_id)
    return []


def react(call: FrameCall[ReactionFrame]) -> list[Reply]:
    """Add or remove the caller's reaction."""
    frame = call.frame
    operations.react(call.principal.user_id, frame.room_id, frame.message_id, frame.emoji,
                     add=frame.type == "add_reaction")
    return []


def typing(call: FrameCall[TypingFrame]) -> list[Reply]:
    """Relay a typing indicator to the room's other users (not persisted)."""
    frame = call.frame
    presence.broadcast(presence.subscribers(frame.room_id),
                       {"type": "typing", "room_id": frame.room_id, "user_id": call.principal.user_id,
                        "is_typing": frame.is_typing}, exclude_user=call.principal.user_id)
    return []


# ------------------------------------------------------------------------------ registry
FRAMES: dict[str, FrameSpec[Any]] = {
    "ping": FrameSpec(PingFrame, ping, anonymous=True),
    "subscribe": FrameSpec(SubscribeFrame, subscribe, minimum_role="VIEWER"),
    "unsubscribe": FrameSpec(UnsubscribeFrame, unsubscribe),
    "message": FrameSpec(MessageFrame, send, minimum_role="EDITOR", rate="message"),
    "edit_message": FrameSpec(EditFrame, edit, minimum_role="EDITOR", rate="message"),
    "delete_message": FrameSpec(DeleteFrame, delete, minimum_role="EDITOR", rate="message"),
    "add_reaction": FrameSpec(ReactionFrame, react, minimum_role="EDITOR", rate="message"),
    "remove_reaction": FrameSpec(ReactionFrame, react, minimum_role="EDITOR", rate="message"),
    "typing": FrameSpec(TypingFrame, typing, minimum_role="EDITOR", rate="typing"),
}
