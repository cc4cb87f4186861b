"""REST routes of authentication (thin: validate, call the service, answer)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth import service
from chalicelib.auth.schemas import LoginRequest, RefreshRequest
from chalicelib.core.http import no_content, parse_body, route

bp = Blueprint(__name__)


def current_principal() -> service.Principal:
    """The caller of the current request (raises ``Unauthorized``)."""
    return service.authenticate_bearer(bp.current_request.headers.get("authorization"))


@route(bp, "/auth/login", methods=["POST"])
def login() -> dict[str, Any]:
    body = parse_body(bp.current_request, LoginRequest)
    return service.login(body.username, body.password)


@route(bp, "/auth/refresh", methods=["POST"])
def refresh() -> dict[str, Any]:
    body = parse_body(bp.current_request, RefreshRequest)
    return service.refresh(body.refresh_token)


@route(bp, "/auth/logout", methods=["POST"])
def logout() -> Any:
    service.logout(current_principal())
    return no_content()


@route(bp, "/auth/me", methods=["GET"])
def me() -> dict[str, Any]:
    return current_principal().public()


@route(bp, "/auth/ws-ticket", methods=["POST"])
def ws_ticket() -> dict[str, Any]:
    return service.issue_ws_ticket(current_principal())
