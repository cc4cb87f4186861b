"""WebSocket use cases: connect with a ticket, frames on ``$default``, disconnect."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from pynamodb.exceptions import DoesNotExist

from chalicelib.auth import service as auth
from chalicelib.auth.service import Principal
from chalicelib.core import clock
from chalicelib.core.db import bind_models
from chalicelib.core.errors import AppError, TooLarge, Unauthorized, ValidationFailed, from_dependency_failure
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.messaging import operations
from chalicelib.messaging import service as messaging
from chalicelib.realtime import presence, sender
from chalicelib.realtime.models import ConnectionModel, SubscriptionModel
from chalicelib.realtime.schemas import (
    MAX_FRAME_BYTES,
    DeleteFrame,
    EditFrame,
    MessageFrame,
    PingFrame,
    ReactionFrame,
    SubscribeFrame,
    TypingFrame,
    UnsubscribeFrame,
    parse_frame,
)
from chalicelib.rooms import members
from chalicelib.rooms import service as rooms

OK = {"statusCode": 200}
REJECTED = {"statusCode": 401}
CHANGE_MARGIN = 5.0  # seconds: writes stamped just before a client's last sync
ACTIVITY_EVERY = 30.0  # seconds: how often messages move a room's last_activity_at



def connect(connection_id: str, query: dict[str, str] | None) -> dict[str, int]:
    """``$connect``: redeem the single-use ticket; refuse with 401 and write nothing otherwise.

    The seed's form ``?room_id=`` (``/ws/{room_id}`` locally) subscribes at connect; a caller
    who may not read that room is refused with 403 (still nothing written).
    """
    query = query or {}
    try:
        principal = auth.redeem_ws_ticket(query.get("ticket"))
    except Unauthorized:
        logger.info("websocket connect refused", extra={"connection_id": connection_id})
        return REJECTED
    room_id = query.get("room_id")
    if room_id is not None:
        try:
            rooms.get_access(room_id, principal, "VIEWER")
        except AppError:
            return {"statusCode": 403}
    bind_models()
    connection = ConnectionModel(connection_id, user_id=principal.user_id, session_id=principal.session_id,
                                 connected_at=clock.iso(), expires_at=clock.expires_in(get_settings().connection_ttl))
    connection.save()
    if room_id is not None:
        # the client cannot be sent to before $connect returns: it gets `subscribed` when it
        # sends its own subscribe (with last_seq) or any other frame's reply
        _add_subscription(connection, principal, room_id)
    logger.info("websocket connected", extra={"connection_id": connection_id, "user_id": principal.user_id})
    return OK


def disconnect(connection_id: str) -> dict[str, int]:
    """``$disconnect`` (or a 410 on send): forget the connection and its subscriptions."""
    forget_connection(connection_id)
    return OK


def forget_connection(connection_id: str) -> None:
    """Delete a connection and its subscriptions; a user's last tab leaving a room is announced."""
    bind_models()
    gone: list[str] = []
    for sub in SubscriptionModel.by_connection.query(connection_id):
        gone += _leave(sub.room_id, connection_id)
    try:
        ConnectionModel(connection_id).delete()
    except Exception:  # noqa: BLE001 - already gone is fine
        pass
    for other in set(gone) - {connection_id}:
        forget_connection(other)


def _leave(room_id: str, connection_id: str) -> list[str]:
    try:
        sub = SubscriptionModel.get(room_id, connection_id)
    except DoesNotExist:
        return []
    sub.delete()
    remaining = presence.subscribers(room_id)
    if any(s.user_id == sub.user_id for s in remaining):
        return []
    return presence.announce(room_id, sub.user_id, "user_left", remaining)


# ------------------------------------------------------------------------------ frames
def handle_frame(connection_id: str, body: str | None) -> dict[str, int]:
    """``$default``: validate and dispatch one client frame; bad frames get an ``error`` frame."""
    replies: list[dict[str, Any]]
    client_id = None
    try:
        if body is not None and len(body.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
            raise TooLarge(f"Frames are limited to {MAX_FRAME_BYTES // 1024} KB")
        try:
            raw = json.loads(body or "")
        except ValueError:
            raise ValidationFailed("Frame is not valid JSON") from None
        if isinstance(raw, dict) and isinstance(raw.get("client_id"), str):
            client_id = raw["client_id"][:64]
        try:
            frame = parse_frame(raw)
        except ValidationError as exc:
            raise ValidationFailed(_frame_problem(exc)) from None
        replies = _dispatch(connection_id, frame)
    except AppError as err:
        error = {"type": "error", "code": err.code, "message": err.message}
        if client_id:
            error["client_id"] = client_id
        replies = [error]
    except Exception as exc:  # noqa: BLE001 - a frame must never crash the connection
        mapped = from_dependency_failure(exc)
        if mapped is None:
            logger.exception("frame handling failed", extra={"connection_id": connection_id})
            mapped = AppError("Internal error")
        error = {"type": "error", "code": mapped.code, "message": mapped.message}
        if client_id:
            error["client_id"] = client_id
        replies = [error]
    for reply in replies:
        if not sender.post(connection_id, reply):
            forget_connection(connection_id)
            break
    return OK


def _frame_problem(exc: ValidationError) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _caller(connection_id: str) -> tuple[ConnectionModel, Principal]:
    bind_models()
    try:
        connection = ConnectionModel.get(connection_id)
    except DoesNotExist:
        raise Unauthorized("Unknown connection; reconnect") from None
    return connection, auth.principal_for_session(connection.session_id, connection.user_id)


def _dispatch(connection_id: str, frame: Any) -> list[dict[str, Any]]:
    if isinstance(frame, PingFrame):
        return [{"type": "pong"}]
    connection, principal = _caller(connection_id)
    if isinstance(frame, SubscribeFrame):
        return subscribe(connection, principal, frame)
    if isinstance(frame, UnsubscribeFrame):
        _leave(frame.room_id, connection_id)
        return [{"type": "unsubscribed", "room_id": frame.room_id}]
    if isinstance(frame, MessageFrame):
        return [send(principal, frame)]
    if isinstance(frame, EditFrame):
        rooms.get_access(frame.room_id, principal, "EDITOR")
        operations.edit_message(principal.user_id, frame.room_id, frame.message_id, frame.content)
        return []
    if isinstance(frame, DeleteFrame):
        access = rooms.get_access(frame.room_id, principal, "EDITOR")
        operations.delete_message(principal.user_id, access.effective == "OWNER", frame.room_id, frame.message_id)
        return []
    if isinstance(frame, ReactionFrame):
        rooms.get_access(frame.room_id, principal, "EDITOR")
        operations.react(principal.user_id, frame.room_id, frame.message_id, frame.emoji,
                         add=frame.type == "add_reaction")
        return []
    if isinstance(frame, TypingFrame):
        rooms.get_access(frame.room_id, principal, "EDITOR")
        presence.broadcast(presence.subscribers(frame.room_id),
                           {"type": "typing", "room_id": frame.room_id, "user_id": principal.user_id,
                            "is_typing": frame.is_typing}, exclude_user=principal.user_id)
        return []
    raise ValidationFailed(f"Unsupported frame type: {frame.type}")


def subscribe(connection: ConnectionModel, principal: Principal, frame: SubscribeFrame) -> list[dict[str, Any]]:
    """Members only; subscription first, then the replay (so nothing falls in between)."""
    rooms.get_access(frame.room_id, principal, "VIEWER")
    subs = _add_subscription(connection, principal, frame.room_id)
    server_time = clock.iso()
    replayed: list[dict[str, Any]] = []
    truncated = False
    if frame.last_seq is not None:
        since = _minus_margin(frame.changed_since) if frame.changed_since else None
        views, truncated = messaging.replay(frame.room_id, frame.last_seq, since)
        replayed = [{"type": "message", "message": v, "replay": True} for v in views]
    subscribed = {"type": "subscribed", "room_id": frame.room_id,
                  "online": presence.online_users(subs),
                  "last_seq": messaging.last_sequence(frame.room_id), "server_time": server_time,
                  "has_more": truncated}
    return [subscribed, *replayed]


def _add_subscription(connection: ConnectionModel, principal: Principal, room_id: str) -> list[SubscriptionModel]:
    """Subscribe; a user's first tab in the room is announced. Returns the room's subscriptions."""
    existing = presence.subscribers(room_id)
    already_online = any(s.user_id == principal.user_id for s in existing)
    others = [s for s in existing if s.connection_id != connection.connection_id]
    mine = SubscriptionModel(room_id, connection.connection_id, user_id=principal.user_id, subscribed_at=clock.iso(),
                             expires_at=clock.expires_in(get_settings().connection_ttl))
    mine.save()
    subs = [*others, mine]
    if not already_online:
        presence.announce(room_id, principal.user_id, "user_joined", subs, exclude_connection=connection.connection_id)
    return subs


def _minus_margin(stamp: str) -> str:
    return clock.iso(clock.parse_iso(stamp) - CHANGE_MARGIN)


def send(principal: Principal, frame: MessageFrame) -> dict[str, Any]:
    """EDITOR/OWNER only; the ack goes back once the message is stored."""
    access = rooms.get_access(frame.room_id, principal, "EDITOR")
    if access.room.status == "archived":
        raise ValidationFailed("The room is archived")
    if frame.message_type in ("image_ref", "file_ref"):
        messaging.require_ready_file(frame.room_id, frame.file_id)
    in_room = members.member_ids(frame.room_id) if frame.mentions else set()
    ack = messaging.send_message(principal.user_id, frame, in_room)
    if clock.now() - clock.parse_iso(access.room.last_activity_at) > ACTIVITY_EVERY:
        rooms.touch_room(frame.room_id)
    return ack
