"""WebSocket use cases: connect with a ticket, frames on ``$default``, disconnect.

Every frame goes the same way: size and JSON checks, the registry entry for its ``type``
(``handlers.FRAMES``), schema validation, the caller's connection and session, the room access
(once, for frames about a room), the handler — and any failure becomes one ``error`` frame
through the app's one error path (``core.errors.to_app_error``).
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError

from chalicelib.auth import service as auth
from chalicelib.connections import sender
from chalicelib.connections import service as connections
from chalicelib.core import ratelimit
from chalicelib.core.errors import AppError, RateLimited, TooLarge, Unauthorized, ValidationFailed, to_app_error
from chalicelib.core.http import validation_details
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.core.text import parse_json
from chalicelib.realtime.handlers import FRAMES, FrameCall
from chalicelib.realtime.schemas import MAX_FRAME_BYTES
from chalicelib.rooms.access import get_access, recent_access

OK = {"statusCode": 200}
REJECTED = {"statusCode": 401}
FORBIDDEN = {"statusCode": 403}


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
            get_access(room_id, principal, "VIEWER")
        except AppError:
            return FORBIDDEN
    # at most MAX_CONNECTIONS_PER_USER: the user's oldest connections make room for this one
    connections.make_room_for(principal.user_id, get_settings().max_connections_per_user - 1)
    connections.register_connection(connection_id, principal.user_id, principal.session_id)
    if room_id is not None:
        # the client cannot be sent to before $connect returns: it gets `subscribed` when it
        # sends its own subscribe (with last_seq) or any other frame's reply
        connections.subscribe(connection_id, principal.user_id, room_id)
    logger.info("websocket connected", extra={"connection_id": connection_id, "user_id": principal.user_id})
    return OK


def disconnect(connection_id: str) -> dict[str, int]:
    """``$disconnect``: forget the connection and its subscriptions."""
    connections.forget_connection(connection_id)
    return OK


def handle_frame(connection_id: str, body: str | None) -> dict[str, Any]:
    """``$default``: one client frame; replies (or one ``error`` frame) go back to the sender.

    The last reply — for a message, its ``ack`` — is the route's response: the ``$default`` route
    is two-way (a route response in the template; the local gateway does the same), so API
    Gateway hands it to the client without a Management API call. Earlier replies (a
    subscription's replay) are posted first, so the order holds."""
    raw: Any = None
    try:
        raw = _decode(body)
        replies = _dispatch(connection_id, raw)
    except Exception as exc:  # noqa: BLE001 - a frame must never crash the connection
        kind = raw.get("type") if isinstance(raw, dict) else None
        replies = [error_frame(to_app_error(exc, connection_id=connection_id, frame_type=str(kind)[:40]), raw)]
    if not replies:
        return OK
    for reply in replies[:-1]:
        if not sender.post(connection_id, reply):
            connections.forget_connection(connection_id)
            return OK
    return {**OK, "body": sender.encode(replies[-1]).decode("utf-8")}


def error_frame(err: AppError, raw: Any = None) -> dict[str, Any]:
    """The ``error`` frame: the contract's error fields plus the frame's ``client_id``."""
    frame: dict[str, Any] = {"type": "error", **err.body()["error"]}
    client_id = raw.get("client_id") if isinstance(raw, dict) else None
    if isinstance(client_id, str) and client_id:
        frame["client_id"] = client_id[:64]
    return frame


def _decode(body: str | None) -> Any:
    if body is not None and len(body.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise TooLarge(f"Frames are limited to {MAX_FRAME_BYTES // 1024} KB")
    return parse_json(body or "", what="frame")


def _dispatch(connection_id: str, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, dict):
        raise ValidationFailed("A frame must be a JSON object")
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise ValidationFailed("type: field required", details=[{"field": "type", "message": "field required"}])
    spec = FRAMES.get(kind)
    if spec is None:
        raise ValidationFailed(f"Unknown frame type: {kind[:40]}", details=[{"field": "type", "message": "unknown"}])
    try:
        frame = spec.schema.model_validate(raw)
    except ValidationError as exc:
        details = validation_details(exc)
        first = details[0]
        raise ValidationFailed(f"{first['field']}: {first['message']}", details=details) from None
    if spec.anonymous:
        return spec.handler(FrameCall(connection_id, None, frame))  # type: ignore[arg-type]
    connection = connections.get_connection(connection_id)
    principal = auth.principal_for_session(connection.session_id, connection.user_id)
    if spec.rate is not None and not _within_rate(spec.rate, principal.user_id):
        return []  # typing over its rate: not relayed, no reply needed
    access = recent_access(frame.room_id, principal, spec.minimum_role) if spec.minimum_role else None
    return spec.handler(FrameCall(connection_id, principal, frame, access))


def _within_rate(kind: str, user_id: str) -> bool:
    """Per-user frame rates (``MESSAGE_RATE``/``MESSAGE_BURST``, ``TYPING_RATE``): a message over
    the limit is refused with ``rate_limited`` and ``retry_after``; typing is dropped."""
    settings = get_settings()
    if kind == "typing":
        return ratelimit.take("typing", user_id, settings.typing_rate, settings.typing_burst) == 0.0
    wait = ratelimit.take("message", user_id, settings.message_rate, settings.message_burst)
    if wait:
        retry = max(1, math.ceil(wait))
        raise RateLimited("Too many messages; slow down", retry_after=retry)
    return True
