"""REST routes of the inbox (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.notifications import service
from chalicelib.notifications.schemas import ListNotifications

bp = Blueprint(__name__)


@authed_route(bp, "/notifications", methods=["GET"], query=ListNotifications)
def list_notifications(principal: Principal, query: ListNotifications) -> dict[str, Any]:
    """The caller's inbox, newest first, with the unread count."""
    return service.list_inbox(principal.user_id, query)


@authed_route(bp, "/notifications/{notification_id}/read", methods=["POST"])
def mark_read(principal: Principal, notification_id: str) -> dict[str, Any]:
    """Mark one notification read."""
    return service.mark_read(principal.user_id, notification_id)


@authed_route(bp, "/notifications/read-all", methods=["POST"])
def mark_all_read(principal: Principal) -> dict[str, Any]:
    """Mark every notification read."""
    return service.mark_all_read(principal.user_id)
