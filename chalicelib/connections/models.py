"""Storage of live WebSocket connections and their room subscriptions."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
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
