"""REST routes of messages: history, audit, incident data, search (thin: declare, call)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.messaging import reports, search, service
from chalicelib.messaging.schemas import AuditQuery, HistoryQuery, IncidentDataQuery, SearchQuery
from chalicelib.rooms import access

bp = Blueprint(__name__)


@authed_route(bp, "/rooms/{room_id}/messages", methods=["GET"], query=HistoryQuery)
def list_messages(principal: Principal, room_id: str, query: HistoryQuery) -> dict[str, Any]:
    """History, newest first, or resync after a sequence number."""
    access.get_access(room_id, principal, "VIEWER")
    return service.history(room_id, query)


@authed_route(bp, "/rooms/{room_id}/audit", methods=["GET"], query=AuditQuery)
def audit(principal: Principal, room_id: str, query: AuditQuery) -> dict[str, Any]:
    """Edits and deletions with the content before and after (OWNER)."""
    access.get_access(room_id, principal, "OWNER")
    return reports.audit_entries(principal.user_id, room_id, query.limit, query.cursor)


@authed_route(bp, "/rooms/{room_id}/incident-data", methods=["GET"], query=IncidentDataQuery)
def incident_data(principal: Principal, room_id: str, query: IncidentDataQuery) -> dict[str, Any]:
    """One field's readings over time."""
    access.get_access(room_id, principal, "VIEWER")
    return reports.incident_series(room_id, query.field, query.limit)


@authed_route(bp, "/messages/search", methods=["GET"], query=SearchQuery)
def search_messages(principal: Principal, query: SearchQuery) -> dict[str, Any]:
    """Full-text search in the caller's rooms."""
    return search.search_for(principal, query)
