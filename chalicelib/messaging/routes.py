"""REST routes of messages: history and resync (Query on the room's partition)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.service import authenticate_bearer
from chalicelib.core.http import parse_query, route
from chalicelib.messaging import service
from chalicelib.messaging.schemas import HistoryQuery
from chalicelib.rooms.service import get_access

bp = Blueprint(__name__)


@route(bp, "/rooms/{room_id}/messages", methods=["GET"])
def list_messages(room_id: str) -> dict[str, Any]:
    principal = authenticate_bearer(bp.current_request.headers.get("authorization"))
    query = parse_query(bp.current_request, HistoryQuery)
    get_access(room_id, principal, "VIEWER")
    return service.history(room_id, query)
