"""REST routes of authentication and the user directory (thin: validate, call the service, answer)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth import service, users
from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.auth.schemas import LoginRequest, RefreshRequest, SearchUsers
from chalicelib.core.http import no_content, parse_body, parse_query, route, source_ip

bp = Blueprint(__name__)


@route(bp, "/auth/login", methods=["POST"])
def login() -> dict[str, Any]:
    body = parse_body(bp.current_request, LoginRequest)
    return service.login(body.username, body.password, source_ip=source_ip(bp.current_request))


@route(bp, "/auth/refresh", methods=["POST"])
def refresh() -> dict[str, Any]:
    body = parse_body(bp.current_request, RefreshRequest)
    return service.refresh(body.refresh_token)


@authed_route(bp, "/auth/logout", methods=["POST"])
def logout(principal: Principal) -> Any:
    service.logout(principal)
    return no_content()


@authed_route(bp, "/auth/me", methods=["GET"])
def me(principal: Principal) -> dict[str, Any]:
    return principal.public()


@authed_route(bp, "/auth/ws-ticket", methods=["POST"])
def ws_ticket(principal: Principal) -> dict[str, Any]:
    return service.issue_ws_ticket(principal)


@authed_route(bp, "/users", methods=["GET"])
def search_users(principal: Principal) -> dict[str, Any]:
    query = parse_query(bp.current_request, SearchUsers)
    return {"users": [u.public() for u in users.search_users(query.q, query.limit)]}
