"""REST routes of integration keys (administrators, bearer token) and machine events
(``X-Api-Key``); thin: declare, call the service."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.core.http import route
from chalicelib.integrations import keys, service
from chalicelib.integrations.schemas import CreateIntegrationKey, MachineEvent

bp = Blueprint(__name__)


def machine(request: Any) -> keys.IntegrationKey:
    """The ``X-Api-Key`` header's integration key (401 unknown/revoked, 429 over its rate)."""
    return keys.authenticate_key(request.headers.get("x-api-key"))


@authed_route(bp, "/integration-keys", methods=["GET"])
def list_integration_keys(principal: Principal) -> dict[str, Any]:
    """Integration keys, without their secrets (administrators)."""
    return keys.list_keys(principal)


@authed_route(bp, "/integration-keys", methods=["POST"], body=CreateIntegrationKey, status=201)
def create_integration_key(principal: Principal, body: CreateIntegrationKey) -> dict[str, Any]:
    """Create an integration key; ``api_key`` is in this answer only (administrators)."""
    return keys.create_key(principal, body)


@authed_route(bp, "/integration-keys/{key_id}", methods=["DELETE"], status=204)
def revoke_integration_key(principal: Principal, key_id: str) -> None:
    """Revoke an integration key (administrators)."""
    keys.revoke_key(principal, key_id)


@route(bp, "/integrations/events", methods=["POST"], body=MachineEvent, authenticate=machine, security="api_key")
def machine_event(key: keys.IntegrationKey, body: MachineEvent) -> Response:
    """A machine event: 201 when it opened a room, 200 when it joined the open one."""
    result = service.raise_event(key, body)
    return Response(body=result, status_code=201 if result["created"] else 200)
