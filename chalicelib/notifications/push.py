"""Web Push (VAPID, RFC 8291 ``aes128gcm``) to the browsers a user allowed: the outbound sender.

A job names the user, the subscription and the notification. The push service answers 201; 404
or 410 mean the browser dropped the subscription (it is removed, not retried); 429 and 5xx are
retried with backoff. Endpoints are checked again before sending
(:func:`preferences.endpoint_allowed`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from chalicelib.core.settings import get_settings
from chalicelib.notifications import preferences
from chalicelib.outbound import GiveUp, Retry

TITLES = {"escalation": "【升級】", "mention": "【提及】", "added_to_room": "【加入】",
          "room_acknowledged": "【已接手】", "room_resolved": "【已解決】"}
TTL_SECONDS = 4 * 3600  # an alert older than a shift is not worth waking a phone for


@lru_cache(maxsize=2)
def _vapid(private_key: str) -> Any:
    from py_vapid import Vapid

    return Vapid.from_string(private_key=private_key)


def _private_key() -> str:
    settings = get_settings()
    if settings.vapid_private_key:
        return settings.vapid_private_key
    if settings.vapid_private_key_parameter:
        from chalicelib.core.keys import secret_parameter

        return secret_parameter(settings.vapid_private_key_parameter)
    raise GiveUp("Web Push is not configured (no VAPID key)")


def payload(job: dict[str, Any]) -> dict[str, Any]:
    """What the service worker receives (see frontend/public/sw.js)."""
    kind = str(job.get("kind", ""))
    room_id = str(job.get("room_id", ""))
    return {"title": f"{TITLES.get(kind, '')}{job.get('room_title', '')}"[:120], "body": str(job.get("text", ""))[:300],
            "url": f"/rooms/{room_id}" if room_id else "/", "tag": job.get("notification_id"), "kind": kind,
            "room_id": room_id}


def send(job: dict[str, Any]) -> str:
    """Push one notification to one browser."""
    from pywebpush import WebPushException, webpush

    subscription = preferences.get_subscription(job["user_id"], job["subscription_id"])
    if subscription is None:
        raise GiveUp("the browser unsubscribed")
    if not preferences.endpoint_allowed(subscription.endpoint):
        preferences.drop_subscription(subscription.user_id, subscription.subscription_id)
        raise GiveUp("push endpoint not allowed")
    info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    try:
        response = webpush(info, json.dumps(payload(job), ensure_ascii=False), vapid_private_key=_vapid(_private_key()),
                           vapid_claims={"sub": get_settings().vapid_subject}, ttl=TTL_SECONDS, timeout=10,
                           headers={"Urgency": "high" if job.get("kind") == "escalation" else "normal"})
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in (404, 410):
            preferences.drop_subscription(subscription.user_id, subscription.subscription_id)
            raise GiveUp(f"subscription gone (HTTP {status}); removed") from None
        if status is None or status == 429 or status >= 500:
            raise Retry(f"push service: {status or 'no answer'}") from None
        raise GiveUp(f"push service refused it (HTTP {status})") from None
    except OSError as exc:  # connection errors, timeouts (requests' exceptions are OSErrors)
        raise Retry(f"push service unreachable: {type(exc).__name__}") from None
    return f"HTTP {getattr(response, 'status_code', '?')}"
