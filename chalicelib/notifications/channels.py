"""New notifications → the channels beyond the app (the notifications table's stream consumer).

For each stored notification, the user's settings decide: one e-mail, one Web Push per allowed
browser. Each becomes a queued delivery with an id derived from the notification and the target,
so a stream record handled twice queues nothing twice (and the queue's consumer sends once).
"""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib import outbound
from chalicelib.core.settings import get_settings
from chalicelib.core.streams import process_stream_batch
from chalicelib.notifications import preferences
from chalicelib.notifications.models import NotificationModel

_NAMESPACE = uuid.UUID("0b7e4a52-3f0c-4d8e-9a61-5c2b7d9e1f30")


def _delivery_id(notification_id: str, target: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{notification_id}|{target}"))


def jobs_for(n: NotificationModel) -> list[tuple[str, str, dict[str, Any]]]:
    """``(channel, delivery_id, job)`` for every channel the user wants for this notification."""
    wanted = preferences.wants(n.user_id, n.kind)
    base = {"user_id": n.user_id, "notification_id": n.notification_id, "kind": n.kind, "room_id": n.room_id,
            "room_title": n.room_title, "text": n.text, "created_at": n.created_at, "event": n.kind}
    jobs = []
    if wanted["email"] and get_settings().email_enabled:  # EMAIL_TRANSPORT none: no e-mail deliveries at all
        jobs.append(("email", _delivery_id(n.notification_id, "email"), base))
    if wanted["web_push"]:
        for s in preferences.subscriptions(n.user_id):
            jobs.append(("push", _delivery_id(n.notification_id, f"push:{s.subscription_id}"),
                         {**base, "subscription_id": s.subscription_id}))
    return jobs


def handle_record(record: dict[str, Any]) -> None:
    if record.get("eventName") != "INSERT":
        return  # read marks and the like
    image = record.get("dynamodb", {}).get("NewImage")
    if not image:
        return
    n = NotificationModel.from_raw_data(image)
    for channel, delivery_id, job in jobs_for(n):
        outbound.enqueue(channel, delivery_id, f"user#{n.user_id}", job)


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Stream batch → queued deliveries (failed records are retried alone)."""
    return process_stream_batch(event, context, handle_record)
