"""Storage of live WebSocket connections and their room subscriptions."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.db import register


class ConnectionsByUserIndex(GlobalSecondaryIndex["ConnectionModel"]):
    """A user's open connections (mentions, removal from a room)."""

    class Meta:
        index_name = "user-index"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)


@register
class ConnectionModel(Model):
    """One open WebSocket connection."""

    class Meta:
        table_name = "connections"

    connection_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    session_id = UnicodeAttribute()
    connected_at = UnicodeAttribute()
    expires_at = TTLAttribute()
    by_user = ConnectionsByUserIndex()


class SubscriptionsByConnectionIndex(GlobalSecondaryIndex["SubscriptionModel"]):
    """The rooms one connection is subscribed to (cleanup on disconnect)."""

    class Meta:
        index_name = "connection-index"
        projection = KeysOnlyProjection()

    connection_id = UnicodeAttribute(hash_key=True)
    room_id = UnicodeAttribute(range_key=True)


@register
class SubscriptionModel(Model):
    """A connection subscribed to a room; the fan-out Queries these by room."""

    class Meta:
        table_name = "subscriptions"

    room_id = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    subscribed_at = UnicodeAttribute()
    expires_at = TTLAttribute()
    by_connection = SubscriptionsByConnectionIndex()


@register
class PresenceModel(Model):
    """Who is online in a room: one item per (room, user) holding the user's subscribed
    connections, kept beside the subscriptions. "Is this user already online here?" is one
    conditional update and the online list a Query of the room's users — not a Query of every
    connection in the room on every subscribe and unsubscribe."""

    class Meta:
        table_name = "presence"

    room_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)
    connection_ids = UnicodeSetAttribute(null=True)  # DynamoDB drops an emptied set
    expires_at = TTLAttribute()  # as the subscriptions': a connection that never said goodbye
