"""REST routes of escalation policies and rosters (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.response import service
from chalicelib.response.schemas import PolicyBody, PolicyPatch, RosterBody

bp = Blueprint(__name__)


@authed_route(bp, "/escalation-policies", methods=["GET"])
def list_policies(principal: Principal) -> dict[str, Any]:
    """Escalation policies."""
    return service.list_policies()


@authed_route(bp, "/escalation-policies", methods=["POST"], body=PolicyBody, status=201)
def create_policy(principal: Principal, body: PolicyBody) -> dict[str, Any]:
    """Create a policy (administrators)."""
    return service.create_policy(principal, body)


@authed_route(bp, "/escalation-policies/{policy_id}", methods=["PATCH"], body=PolicyPatch)
def update_policy(principal: Principal, policy_id: str, body: PolicyPatch) -> dict[str, Any]:
    """Change a policy (administrators; open rooms keep their copy)."""
    return service.update_policy(principal, policy_id, body)


@authed_route(bp, "/escalation-policies/{policy_id}", methods=["DELETE"], status=204)
def delete_policy(principal: Principal, policy_id: str) -> None:
    """Delete a policy (administrators)."""
    service.delete_policy(principal, policy_id)


@authed_route(bp, "/rosters/{line_id}", methods=["GET"])
def get_roster(principal: Principal, line_id: str) -> dict[str, Any]:
    """Who is on duty on a line, by shift."""
    return service.get_roster(line_id)


@authed_route(bp, "/rosters/{line_id}", methods=["PUT"], body=RosterBody)
def put_roster(principal: Principal, line_id: str, body: RosterBody) -> dict[str, Any]:
    """Set a line's shifts (administrators)."""
    return service.put_roster(principal, line_id, body)
