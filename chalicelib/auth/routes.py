"""REST routes of authentication and the user directory (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth import service, users
from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.auth.schemas import LoginRequest, RefreshRequest, SearchUsers
from chalicelib.core.http import route, source_ip

bp = Blueprint(__name__)


@route(bp, "/auth/login", methods=["POST"], body=LoginRequest)
def login(body: LoginRequest) -> dict[str, Any]:
    """Log in with the AD username and password; answers the tokens."""
    return service.login(body.username, body.password, source_ip=source_ip(bp.current_request))


@route(bp, "/auth/refresh", methods=["POST"], body=RefreshRequest)
def refresh(body: RefreshRequest) -> dict[str, Any]:
    """Rotate the refresh token; answers new tokens."""
    return service.refresh(body.refresh_token)


@authed_route(bp, "/auth/logout", methods=["POST"], status=204)
def logout(principal: Principal) -> None:
    """End the session (its WebSocket connections are closed)."""
    service.logout(principal)


@authed_route(bp, "/auth/me", methods=["GET"])
def me(principal: Principal) -> dict[str, Any]:
    """The caller."""
    return principal.public()


@authed_route(bp, "/auth/ws-ticket", methods=["POST"])
def ws_ticket(principal: Principal) -> dict[str, Any]:
    """A single-use ticket for opening the WebSocket."""
    return service.issue_ws_ticket(principal)


@authed_route(bp, "/users", methods=["GET"], query=SearchUsers)
def search_users(principal: Principal, query: SearchUsers) -> dict[str, Any]:
    """Known users by name or e-mail prefix (the member picker)."""
    return {"users": [u.public() for u in users.search_users(query.q, query.limit)]}
