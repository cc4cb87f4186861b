"""Who is online in a room (derived from subscriptions) and the ephemeral frames about it.

Presence and typing are not persisted; they are posted directly from the ``$default`` /
``$disconnect`` Lambdas to the room's subscribers.
"""

from __future__ import annotations

from typing import Any

from chalicelib.connections import sender
from chalicelib.connections.models import SubscriptionModel
from chalicelib.core import clock


def subscribers(room_id: str) -> list[SubscriptionModel]:
    """The room's subscriptions (Query on the room's partition)."""
    return list(SubscriptionModel.query(room_id))


def online_users(subs: list[SubscriptionModel]) -> list[str]:
    """Distinct user ids, sorted."""
    return sorted({s.user_id for s in subs})


def broadcast(subs: list[SubscriptionModel], frame: dict[str, Any], exclude_user: str | None = None,
              exclude_connection: str | None = None) -> list[str]:
    """Post a frame to the given subscriptions; returns the connection ids that are gone."""
    targets = [s.connection_id for s in subs
               if s.user_id != exclude_user and s.connection_id != exclude_connection]
    gone, _failed = sender.post_many(targets, frame)  # ephemeral: a failed post is not retried
    return gone


def announce(room_id: str, user_id: str, event: str, subs: list[SubscriptionModel],
             exclude_connection: str | None = None) -> list[str]:
    """``user_joined`` / ``user_left`` plus the new ``presence`` list to ``subs`` (the room's
    subscriptions after the change); returns gone connections.

    The joining connection itself is skipped: its ``subscribed`` reply carries the list.
    """
    online = online_users(subs)
    gone = broadcast(subs, {"type": "system", "event": event, "room_id": room_id, "user_id": user_id,
                            "timestamp": clock.iso()}, exclude_connection=exclude_connection)
    gone += broadcast(subs, {"type": "presence", "room_id": room_id, "online": online},
                      exclude_connection=exclude_connection)
    return gone
