"""Who is online in a room, and the ephemeral frames about it.

A user is online in a room while at least one of their connections is subscribed to it: the
presence item of (room, user) holds those connections (``PresenceModel``), so a user's first tab
arriving and last tab leaving are each one conditional update, and the online list is a Query
of the room's users. Presence and typing frames are not persisted; they are posted directly from
the ``$default`` / ``$disconnect`` Lambdas to the room's subscribers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError, UpdateError

from chalicelib.connections import sender
from chalicelib.connections.models import PresenceModel, SubscriptionModel
from chalicelib.core import clock
from chalicelib.core.db import condition_failed


def subscribers(room_id: str) -> list[SubscriptionModel]:
    """The room's subscriptions (Query on the room's partition)."""
    return list(SubscriptionModel.query(room_id))


def online_users(room_id: str) -> list[str]:
    """The users with a subscribed connection in the room, sorted (Query of the room's presence)."""
    return sorted(p.user_id for p in PresenceModel.query(room_id, consistent_read=True) if p.connection_ids)


def arrive(room_id: str, user_id: str, connection_id: str, expires_at: datetime) -> bool:
    """Count the connection in the user's presence in the room; True when the user was not
    online there before (their first connection)."""
    item = PresenceModel(room_id, user_id)
    try:
        item.update(actions=[PresenceModel.connection_ids.add({connection_id}),
                             PresenceModel.expires_at.set(expires_at)],
                    condition=~PresenceModel.connection_ids.contains(connection_id))
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        item.update(actions=[PresenceModel.expires_at.set(expires_at)])  # subscribed again: the TTL moves
        return False
    return item.connection_ids == {connection_id}


def leave(room_id: str, user_id: str, connection_id: str) -> bool:
    """Take the connection out of the user's presence in the room; True when it was the user's
    last one there (the item is then deleted, unless another connection arrived meanwhile)."""
    item = PresenceModel(room_id, user_id)
    try:
        item.update(actions=[PresenceModel.connection_ids.delete({connection_id})],
                    condition=PresenceModel.user_id.exists())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return False  # not counted (already left)
    if item.connection_ids:
        return False
    try:
        item.delete(condition=PresenceModel.connection_ids.does_not_exist())
    except DeleteError as exc:
        if not condition_failed(exc):
            raise
        return False  # a connection of the user arrived meanwhile
    return True


def forget(room_id: str, user_id: str) -> None:
    """The user is no longer present in the room at all (removed from it)."""
    PresenceModel(room_id, user_id).delete()  # absent: not an error


def broadcast(subs: list[SubscriptionModel], frame: dict[str, Any], exclude_user: str | None = None,
              exclude_connection: str | None = None) -> list[str]:
    """Post a frame to the given subscriptions; returns the connection ids that are gone."""
    targets = [s.connection_id for s in subs
               if s.user_id != exclude_user and s.connection_id != exclude_connection]
    gone, _failed = sender.post_many(targets, frame)  # ephemeral: a failed post is not retried
    return gone


def announce(room_id: str, user_id: str, event: str, online: list[str],
             exclude_connection: str | None = None) -> list[str]:
    """``user_joined`` / ``user_left`` plus the new ``presence`` list (``online``) to the room's
    subscribers; returns gone connections.

    The joining connection itself is skipped: its ``subscribed`` reply carries the list.
    """
    subs = subscribers(room_id)
    gone = broadcast(subs, {"type": "system", "event": event, "room_id": room_id, "user_id": user_id,
                            "timestamp": clock.iso()}, exclude_connection=exclude_connection)
    gone += broadcast(subs, {"type": "presence", "room_id": room_id, "online": online},
                      exclude_connection=exclude_connection)
    return gone
