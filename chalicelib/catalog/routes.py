"""REST routes of the event catalog (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.catalog import service
from chalicelib.catalog.schemas import CreateEventCode, EventCodeFields, ListEventCodes

bp = Blueprint(__name__)


@authed_route(bp, "/event-codes", methods=["GET"], query=ListEventCodes)
def list_codes(principal: Principal, query: ListEventCodes) -> dict[str, Any]:
    """Event codes with their defaults and root causes."""
    return service.list_codes(principal, query.include_retired)


@authed_route(bp, "/event-codes", methods=["POST"], body=CreateEventCode, status=201)
def create_code(principal: Principal, body: CreateEventCode) -> dict[str, Any]:
    """Add an event code (administrators)."""
    return service.create_code(principal, body)


@authed_route(bp, "/event-codes/{event_code}", methods=["PUT"], body=EventCodeFields)
def update_code(principal: Principal, event_code: str, body: EventCodeFields) -> dict[str, Any]:
    """Replace an event code's fields (administrators; left-out root causes are retired)."""
    return service.update_code(principal, event_code, body)


@authed_route(bp, "/event-codes/{event_code}", methods=["DELETE"], status=204)
def retire_code(principal: Principal, event_code: str) -> None:
    """Retire an event code (administrators; old rooms keep it)."""
    service.retire_code(principal, event_code)
