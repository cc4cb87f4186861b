"""REST routes of messages: history and resync (Query on the room's partition)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.service import authenticate_bearer
from chalicelib.core.http import parse_query, route
from chalicelib.messaging import reports, search, service
from chalicelib.messaging.schemas import AuditQuery, HistoryQuery, IncidentDataQuery, SearchQuery
from chalicelib.rooms.models import MembershipModel
from chalicelib.rooms.service import get_access

bp = Blueprint(__name__)


@route(bp, "/rooms/{room_id}/messages", methods=["GET"])
def list_messages(room_id: str) -> dict[str, Any]:
    principal = authenticate_bearer(bp.current_request.headers.get("authorization"))
    query = parse_query(bp.current_request, HistoryQuery)
    get_access(room_id, principal, "VIEWER")
    return service.history(room_id, query)


@route(bp, "/rooms/{room_id}/audit", methods=["GET"])
def audit(room_id: str) -> dict[str, Any]:
    principal = authenticate_bearer(bp.current_request.headers.get("authorization"))
    query = parse_query(bp.current_request, AuditQuery)
    get_access(room_id, principal, "OWNER")
    return reports.audit_entries(principal.user_id, room_id, query.limit, query.cursor)


@route(bp, "/rooms/{room_id}/incident-data", methods=["GET"])
def incident_data(room_id: str) -> dict[str, Any]:
    principal = authenticate_bearer(bp.current_request.headers.get("authorization"))
    query = parse_query(bp.current_request, IncidentDataQuery)
    get_access(room_id, principal, "VIEWER")
    return reports.incident_series(room_id, query.field, query.limit)


@route(bp, "/messages/search", methods=["GET"])
def search_messages() -> dict[str, Any]:
    principal = authenticate_bearer(bp.current_request.headers.get("authorization"))
    query = parse_query(bp.current_request, SearchQuery)
    if query.room_id:
        get_access(query.room_id, principal, "VIEWER")
        if MembershipModel.count(query.room_id, MembershipModel.user_id == principal.user_id) == 0:
            return {"results": [], "next_cursor": None}  # search covers rooms one belongs to
        room_ids = [query.room_id]
    else:
        room_ids = [m.room_id for m in MembershipModel.by_user.query(principal.user_id)]
    return search.search(principal.user_id, room_ids, query.q, query.limit, query.cursor)
