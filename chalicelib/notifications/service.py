"""Notify users: store each notification once (stable ids), push it live to the user's open
connections, list the inbox, mark read.

Writers call :func:`notify` with a stable ``key`` (e.g. ``escalation:<room>:<level>``): a retried
stream record or an overlapping scheduler run finds the notification already there and neither
stores nor pushes it again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from chalicelib.connections.delivery import DeliveryFailed, deliver_to_user
from chalicelib.core import clock
from chalicelib.core.cursor import decode_cursor, encode_cursor
from chalicelib.core.db import transaction
from chalicelib.core.errors import NotFound
from chalicelib.core.observability import logger
from chalicelib.notifications.models import NotificationKeyModel, NotificationModel

if TYPE_CHECKING:  # the query's schema; the stream functions that notify do not load pydantic
    from chalicelib.notifications.schemas import ListNotifications

KINDS = ("mention", "escalation", "added_to_room", "room_acknowledged", "room_resolved")
_NAMESPACE = uuid.UUID("6f1c2a4e-8d3b-4b7a-9c55-1e2f3a4b5c6d")


def view(n: NotificationModel) -> dict[str, Any]:
    """The contract's notification object."""
    return {"notification_id": n.notification_id, "kind": n.kind, "room_id": n.room_id,
            "room_title": n.room_title, "text": n.text, "created_at": n.created_at, "read_at": n.read_at}


def notify(user_ids: Iterable[str], kind: str, key: str, room_id: str, room_title: str, text: str) -> list[str]:
    """Store one notification per user (once per ``key``) and push it live; returns the users
    newly notified. Live delivery is best effort: the inbox is the record."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind}")
    notified = []
    for user_id in dict.fromkeys(user_ids):
        notification_id = str(uuid.uuid5(_NAMESPACE, f"{key}|{user_id}"))
        now = clock.iso()
        item = NotificationModel(user_id, f"{now}#{notification_id}", notification_id=notification_id, kind=kind,
                                 room_id=room_id, room_title=room_title, text=text[:500], created_at=now,
                                 unread_user=user_id)
        marker = NotificationKeyModel(notification_id, user_id=user_id, sort_key=item.sort_key)
        try:
            with transaction() as tx:
                tx.save(marker, condition=NotificationKeyModel.notification_id.does_not_exist())
                tx.save(item)
        except TransactWriteError as exc:
            reasons = [getattr(r, "code", None) for r in (exc.cancellation_reasons or []) if r]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                continue  # notified before (a retry): nothing to do
            raise
        notified.append(user_id)
        try:
            deliver_to_user(user_id, {"type": "notification", "notification": view(item)})
        except DeliveryFailed:
            logger.warning("live notification not delivered", extra={"user_id": user_id, "kind": kind})
    return notified


def unread_count(user_id: str) -> int:
    """Unread notifications of a user (Query on the sparse unread index)."""
    return int(NotificationModel.by_unread.count(user_id))


def list_inbox(user_id: str, query: ListNotifications) -> dict[str, Any]:
    """Newest first; ``unread`` only the unread ones (Query on the index)."""
    scope = {"unread": query.unread}
    start = decode_cursor(query.cursor, user_id, scope)
    items: list[NotificationModel]
    if query.unread:
        keys = list(NotificationModel.by_unread.query(user_id, scan_index_forward=False, limit=query.limit + 1,
                                                      last_evaluated_key=start))
        loaded = {n.sort_key: n for n in NotificationModel.batch_get([(k.user_id, k.sort_key) for k in keys])} \
            if keys else {}
        items = [loaded[k.sort_key] for k in keys if k.sort_key in loaded]
    else:
        items = list(NotificationModel.query(user_id, scan_index_forward=False, limit=query.limit + 1,
                                             last_evaluated_key=start))
    page = items[: query.limit]
    next_key = None
    if len(items) > query.limit and page:
        last = page[-1]
        next_key = {"user_id": {"S": last.user_id}, "sort_key": {"S": last.sort_key}}
        if query.unread:
            next_key["unread_user"] = {"S": last.user_id}
    return {"notifications": [view(n) for n in page], "next_cursor": encode_cursor(next_key, user_id, scope),
            "unread_count": unread_count(user_id)}


def mark_read(user_id: str, notification_id: str) -> dict[str, Any]:
    """Mark one of the caller's notifications read (idempotent)."""
    if not clock.is_uuid(notification_id):
        raise NotFound("Notification not found")
    try:
        marker = NotificationKeyModel.get(notification_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound("Notification not found") from None
    if marker.user_id != user_id:
        raise NotFound("Notification not found")
    item = NotificationModel.get(user_id, marker.sort_key, consistent_read=True)
    if item.read_at is None:
        item.update(actions=[NotificationModel.read_at.set(clock.iso()), NotificationModel.unread_user.remove()])
    return view(item)


def mark_all_read(user_id: str) -> dict[str, Any]:
    """Mark every unread notification of the caller read (Query on the unread index)."""
    now = clock.iso()
    count = 0
    for key in NotificationModel.by_unread.query(user_id):
        NotificationModel(user_id, key.sort_key).update(
            actions=[NotificationModel.read_at.set(now), NotificationModel.unread_user.remove()])
        count += 1
    return {"marked": count, "unread_count": 0}



