"""The connection registry: open connections, their room subscriptions, and leaving.

Owns the connections, subscriptions and presence tables; everyone else calls these functions.
"""

from __future__ import annotations

import threading

from cachetools import LRUCache
from pynamodb.exceptions import DoesNotExist

from chalicelib.connections import presence, sender
from chalicelib.connections.models import ConnectionModel, SubscriptionModel
from chalicelib.core import clock
from chalicelib.core.errors import Unauthorized
from chalicelib.core.settings import get_settings


def register_connection(connection_id: str, user_id: str, session_id: str) -> ConnectionModel:
    """Remember an accepted connection (until it disconnects or its TTL passes)."""
    connection = ConnectionModel(connection_id, user_id=user_id, session_id=session_id,
                                 connected_at=clock.iso(), expires_at=clock.expires_in(get_settings().connection_ttl))
    connection.save()
    return connection


# A connection record never changes after $connect, so a container keeps the ones it has read
# (its frames then cost no read); forgetting a connection drops it here too. A connection deleted
# by another container sends no more frames (API Gateway closed it), and its session is checked
# on every frame anyway.
_KNOWN: LRUCache[str, ConnectionModel] = LRUCache(maxsize=10_000)
_KNOWN_LOCK = threading.Lock()


def get_connection(connection_id: str) -> ConnectionModel:
    """A known connection (``Unauthorized`` if it is unknown: the client must reconnect)."""
    with _KNOWN_LOCK:
        known = _KNOWN.get(connection_id)
    if known is not None:
        return known
    try:
        connection = ConnectionModel.get(connection_id)
    except DoesNotExist:
        raise Unauthorized("Unknown connection; reconnect") from None
    with _KNOWN_LOCK:
        _KNOWN[connection_id] = connection
    return connection


def forget_known() -> None:
    """Drop the connection records this container keeps (tests)."""
    with _KNOWN_LOCK:
        _KNOWN.clear()


def subscribe(connection_id: str, user_id: str, room_id: str) -> list[str]:
    """Subscribe a connection to a room; a user's first connection in the room is announced.

    Returns the room's online users after the change."""
    expires_at = clock.expires_in(get_settings().connection_ttl)
    SubscriptionModel(room_id, connection_id, user_id=user_id, subscribed_at=clock.iso(),
                      expires_at=expires_at).save()
    first = presence.arrive(room_id, user_id, connection_id, expires_at)
    online = presence.online_users(room_id)
    if first:
        presence.announce(room_id, user_id, "user_joined", online, exclude_connection=connection_id)
    return online


def unsubscribe(room_id: str, connection_id: str) -> list[str]:
    """End one subscription; a user's last connection leaving the room is announced.

    Returns the connection ids found gone while announcing (to be forgotten)."""
    try:
        sub = SubscriptionModel.get(room_id, connection_id)
    except DoesNotExist:
        return []
    sub.delete()
    if not presence.leave(room_id, sub.user_id, connection_id):
        return []
    return presence.announce(room_id, sub.user_id, "user_left", presence.online_users(room_id))


def forget_connection(connection_id: str) -> None:
    """Delete a connection and its subscriptions (``$disconnect`` or a 410 on send)."""
    with _KNOWN_LOCK:
        _KNOWN.pop(connection_id, None)
    gone: list[str] = []
    for sub in SubscriptionModel.by_connection.query(connection_id):
        gone += unsubscribe(sub.room_id, connection_id)
    ConnectionModel(connection_id).delete()  # deleting an absent item is not an error
    for other in set(gone) - {connection_id}:
        forget_connection(other)


def close_session(user_id: str, session_id: str) -> int:
    """Close every connection opened in a session (logout, revoked session) through the
    Management API, and forget them; returns how many."""
    closed = 0
    for connection in ConnectionModel.by_user.query(user_id):
        if connection.session_id == session_id:
            sender.close(connection.connection_id)
            forget_connection(connection.connection_id)
            closed += 1
    return closed


def make_room_for(user_id: str, keep: int) -> int:
    """Close the user's oldest connections until at most ``keep`` remain; returns how many."""
    mine = sorted(ConnectionModel.by_user.query(user_id), key=lambda c: c.connected_at)
    excess = mine[: max(0, len(mine) - keep)]
    for connection in excess:
        sender.close(connection.connection_id)
        forget_connection(connection.connection_id)
    return len(excess)


def drop_user_from_room(room_id: str, user_id: str) -> None:
    """End every subscription of the user's connections to the room (removed from the room)."""
    for connection in ConnectionModel.by_user.query(user_id):
        SubscriptionModel(room_id, connection.connection_id).delete()  # absent: not an error
    presence.forget(room_id, user_id)


def online_users(room_id: str) -> set[str]:
    """Users with at least one connection subscribed to the room."""
    return set(presence.online_users(room_id))


def user_connection_ids(user_id: str) -> list[str]:
    """Every open connection of one user (Query on the user index)."""
    return [c.connection_id for c in ConnectionModel.by_user.query(user_id)]


def room_connection_ids(room_id: str) -> list[str]:
    """Every connection subscribed to the room (Query on the room's partition)."""
    return [s.connection_id for s in SubscriptionModel.query(room_id)]
