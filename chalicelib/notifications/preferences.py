"""Each user's channels beyond the app: notification settings and Web Push subscriptions."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from pynamodb.exceptions import DoesNotExist

from chalicelib.core import clock
from chalicelib.core.errors import ValidationFailed
from chalicelib.core.settings import get_settings
from chalicelib.notifications.models import NotificationSettingsModel, PushSubscriptionModel
from chalicelib.notifications.schemas import NotificationSettings, PushSubscription, PushUnsubscribe
from chalicelib.notifications.service import KINDS

ALWAYS_ON = frozenset({"escalation"})  # the andon must reach the on-duty people
MAX_SUBSCRIPTIONS = 10  # browsers per user; the oldest goes when an eleventh subscribes


def _settings_item(user_id: str) -> NotificationSettingsModel:
    try:
        return NotificationSettingsModel.get(user_id)
    except DoesNotExist:
        return NotificationSettingsModel(user_id)


def settings_view(item: NotificationSettingsModel) -> dict[str, Any]:
    kinds = dict(item.kinds or {})
    return {"email": bool(item.email), "web_push": bool(item.web_push),
            "kinds": {k: True if k in ALWAYS_ON else bool(kinds.get(k, True)) for k in KINDS}}


def get_notification_settings(user_id: str) -> dict[str, Any]:
    """The user's settings (defaults: every channel and kind on)."""
    return settings_view(_settings_item(user_id))


def put_notification_settings(user_id: str, body: NotificationSettings) -> dict[str, Any]:
    """Replace the settings; kinds not sent keep their value; escalations stay on."""
    item = _settings_item(user_id)
    kinds = {k: bool(v) for k, v in {**dict(item.kinds or {}), **body.kinds}.items() if k not in ALWAYS_ON}
    item.email, item.web_push, item.kinds, item.updated_at = body.email, body.web_push, kinds, clock.iso()
    item.save()
    return settings_view(item)


def wants(user_id: str, kind: str) -> dict[str, bool]:
    """Which channels beyond the app the user wants for a notification of ``kind``."""
    view = get_notification_settings(user_id)
    on = view["kinds"].get(kind, True)
    return {"email": on and view["email"], "web_push": on and view["web_push"]}


def endpoint_allowed(endpoint: str) -> bool:
    """A known push service over https (``PUSH_SERVICE_HOSTS``): the server POSTs there, so
    anything else would be a way into the plant's network. ``PUSH_ALLOW_ANY_ENDPOINT`` lifts it
    (development and tests, with a fake push service on loopback)."""
    settings = get_settings()
    if settings.push_allow_any_endpoint:
        return endpoint.startswith(("https://", "http://"))
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        credentials = parts.username is not None or parts.password is not None
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:  # "https://[" and the like
        return False
    return parts.scheme == "https" and not credentials and any(
        host == allowed or host.endswith("." + allowed) for allowed in settings.push_service_hosts)


def _subscription_id(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()[:32]


def _host(endpoint: str) -> str:
    try:
        return urlsplit(endpoint).hostname or ""
    except ValueError:
        return ""


def subscription_view(s: PushSubscriptionModel) -> dict[str, Any]:
    return {"subscription_id": s.subscription_id, "endpoint_host": _host(s.endpoint),
            "user_agent": s.user_agent, "created_at": s.created_at}


def list_subscriptions(user_id: str) -> dict[str, Any]:
    """The VAPID public key the browser subscribes with, and the user's browsers."""
    items = PushSubscriptionModel.query(user_id)
    return {"public_key": get_settings().vapid_public_key,
            "subscriptions": [subscription_view(s) for s in items]}


def subscribe(user_id: str, body: PushSubscription) -> dict[str, Any]:
    """Keep a browser's subscription (the same endpoint again replaces it)."""
    if not endpoint_allowed(body.endpoint):
        raise ValidationFailed("Not a known push service", details=[
            {"field": "endpoint", "message": "must be an https endpoint of a browser's push service"}])
    existing = sorted(PushSubscriptionModel.query(user_id), key=lambda s: s.created_at)
    sid = _subscription_id(body.endpoint)
    others = [s for s in existing if s.subscription_id != sid]
    for stale in others[: max(0, len(others) - (MAX_SUBSCRIPTIONS - 1))]:
        stale.delete()
    item = PushSubscriptionModel(user_id, sid, endpoint=body.endpoint, p256dh=body.keys.p256dh,
                                 auth=body.keys.auth, user_agent=body.user_agent, created_at=clock.iso())
    item.save()
    return subscription_view(item)


def unsubscribe(user_id: str, body: PushUnsubscribe) -> None:
    """Forget a browser (absent: nothing to do)."""
    PushSubscriptionModel(user_id, _subscription_id(body.endpoint)).delete()


def subscriptions(user_id: str) -> list[PushSubscriptionModel]:
    return list(PushSubscriptionModel.query(user_id))


def get_subscription(user_id: str, subscription_id: str) -> PushSubscriptionModel | None:
    try:
        return PushSubscriptionModel.get(user_id, subscription_id, consistent_read=True)
    except DoesNotExist:
        return None


def drop_subscription(user_id: str, subscription_id: str) -> None:
    """The push service said the subscription is gone (404/410)."""
    PushSubscriptionModel(user_id, subscription_id).delete()
