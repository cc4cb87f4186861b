"""REST routes of the inbox, the notification settings and push subscriptions (thin)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.notifications import preferences, service
from chalicelib.notifications.schemas import ListNotifications, NotificationSettings, PushSubscription, PushUnsubscribe

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


@authed_route(bp, "/me/notification-settings", methods=["GET"])
def get_notification_settings(principal: Principal) -> dict[str, Any]:
    """The caller's channels (e-mail, Web Push) and kinds; escalations are always on."""
    return preferences.get_notification_settings(principal.user_id)


@authed_route(bp, "/me/notification-settings", methods=["PUT"], body=NotificationSettings)
def put_notification_settings(principal: Principal, body: NotificationSettings) -> dict[str, Any]:
    """Change the caller's channels and kinds."""
    return preferences.put_notification_settings(principal.user_id, body)


@authed_route(bp, "/me/push-subscriptions", methods=["GET"])
def list_push_subscriptions(principal: Principal) -> dict[str, Any]:
    """The VAPID public key and the caller's browsers that allowed Web Push."""
    return preferences.list_subscriptions(principal.user_id)


@authed_route(bp, "/me/push-subscriptions", methods=["POST"], body=PushSubscription, status=201)
def subscribe_push(principal: Principal, body: PushSubscription) -> dict[str, Any]:
    """Keep this browser's push subscription."""
    return preferences.subscribe(principal.user_id, body)


@authed_route(bp, "/me/push-subscriptions", methods=["DELETE"], body=PushUnsubscribe, status=204)
def unsubscribe_push(principal: Principal, body: PushUnsubscribe) -> None:
    """Forget a browser's push subscription."""
    preferences.unsubscribe(principal.user_id, body)
