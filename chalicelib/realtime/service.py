"""WebSocket use cases: connect with a ticket, frames on ``$default``, disconnect."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from chalicelib.auth import service as auth
from chalicelib.core import clock
from chalicelib.core.db import bind_models
from chalicelib.core.errors import AppError, TooLarge, Unauthorized, ValidationFailed
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.realtime import sender
from chalicelib.realtime.models import ConnectionModel, SubscriptionModel
from chalicelib.realtime.schemas import MAX_FRAME_BYTES, PingFrame, parse_frame

OK = {"statusCode": 200}
REJECTED = {"statusCode": 401}


def connect(connection_id: str, query: dict[str, str] | None) -> dict[str, int]:
    """``$connect``: redeem the single-use ticket; refuse with 401 and write nothing otherwise."""
    settings = get_settings()
    try:
        principal = auth.redeem_ws_ticket((query or {}).get("ticket"))
    except Unauthorized:
        logger.info("websocket connect refused", extra={"connection_id": connection_id})
        return REJECTED
    bind_models(settings)
    ConnectionModel(
        connection_id, user_id=principal.user_id, session_id=principal.session_id,
        connected_at=clock.iso(),
        expires_at=datetime.fromtimestamp(clock.now() + settings.connection_ttl, tz=UTC),
    ).save()
    logger.info("websocket connected", extra={"connection_id": connection_id, "user_id": principal.user_id})
    return OK


def disconnect(connection_id: str) -> dict[str, int]:
    """``$disconnect`` (or a 410 on send): forget the connection and its subscriptions."""
    forget_connection(connection_id)
    return OK


def forget_connection(connection_id: str) -> None:
    """Delete a connection record and every subscription it held (Query on the GSI)."""
    bind_models()
    for sub in SubscriptionModel.by_connection.query(connection_id):
        SubscriptionModel(sub.room_id, sub.connection_id).delete()
    ConnectionModel(connection_id).delete()


def handle_frame(connection_id: str, body: str | None) -> dict[str, int]:
    """``$default``: validate and dispatch one client frame; bad frames get an ``error`` frame."""
    reply: dict[str, Any] | None
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
        reply = _dispatch(connection_id, frame)
    except AppError as err:
        reply = {"type": "error", "code": err.code, "message": err.message}
        if client_id:
            reply["client_id"] = client_id
    except Exception:  # noqa: BLE001 - a frame must never crash the connection
        logger.exception("frame handling failed", extra={"connection_id": connection_id})
        reply = {"type": "error", "code": "internal_error", "message": "Internal error"}
    if reply is not None and not sender.post(connection_id, reply):
        forget_connection(connection_id)
    return OK


def _frame_problem(exc: ValidationError) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _dispatch(connection_id: str, frame: Any) -> dict[str, Any] | None:
    if isinstance(frame, PingFrame):
        return {"type": "pong"}
    raise ValidationFailed(f"Unsupported frame type: {frame.type}")
