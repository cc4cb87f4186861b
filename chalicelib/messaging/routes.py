"""REST routes of messages: history, audit, incident data, search (thin: validate, call, answer)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.core.http import parse_query
from chalicelib.messaging import reports, search, service
from chalicelib.messaging.schemas import AuditQuery, HistoryQuery, IncidentDataQuery, SearchQuery
from chalicelib.rooms import access

bp = Blueprint(__name__)


@authed_route(bp, "/rooms/{room_id}/messages", methods=["GET"])
def list_messages(principal: Principal, room_id: str) -> dict[str, Any]:
    query = parse_query(bp.current_request, HistoryQuery)
    access.get_access(room_id, principal, "VIEWER")
    return service.history(room_id, query)


@authed_route(bp, "/rooms/{room_id}/audit", methods=["GET"])
def audit(principal: Principal, room_id: str) -> dict[str, Any]:
    query = parse_query(bp.current_request, AuditQuery)
    access.get_access(room_id, principal, "OWNER")
    return reports.audit_entries(principal.user_id, room_id, query.limit, query.cursor)


@authed_route(bp, "/rooms/{room_id}/incident-data", methods=["GET"])
def incident_data(principal: Principal, room_id: str) -> dict[str, Any]:
    query = parse_query(bp.current_request, IncidentDataQuery)
    access.get_access(room_id, principal, "VIEWER")
    return reports.incident_series(room_id, query.field, query.limit)


@authed_route(bp, "/messages/search", methods=["GET"])
def search_messages(principal: Principal) -> dict[str, Any]:
    query = parse_query(bp.current_request, SearchQuery)
    return search.search_for(principal, query)
