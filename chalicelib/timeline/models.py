"""The messages table (and its client-id markers). Its stream (new and old images) feeds the fan-out."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, KeysOnlyProjection, LocalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.db import register


class ContentAttribute(JSONAttribute):
    """Message content as JSON text, Chinese kept as UTF-8 (not ``\\uXXXX``: half the size)."""

    def serialize(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class MessagesByUpdateIndex(LocalSecondaryIndex["MessageModel"]):
    """A room's messages by last change (resume: "what changed since", not only "what is new")."""

    class Meta:
        index_name = "updated-index"
        projection = AllProjection()

    room_id = UnicodeAttribute(hash_key=True)
    updated_at = UnicodeAttribute(range_key=True)


class MessagesByIdIndex(LocalSecondaryIndex["MessageModel"]):
    """Find a room's message by its ``message_id`` (edit, delete, react). Keys only: every
    message pays for its index entry on write, while lookups are rare (one GetItem more)."""

    class Meta:
        index_name = "message-id-index"
        projection = KeysOnlyProjection()

    room_id = UnicodeAttribute(hash_key=True)
    message_id = UnicodeAttribute(range_key=True)


@register
class MessageModel(Model):
    """One message of a room, ordered by its per-room ``sequence_number``."""

    class Meta:
        table_name = "messages"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    room_id = UnicodeAttribute(hash_key=True)
    sequence_number = NumberAttribute(range_key=True)
    message_id = UnicodeAttribute()
    client_id = UnicodeAttribute(null=True)
    sender_id = UnicodeAttribute()
    message_type = UnicodeAttribute()
    content = ContentAttribute()
    mentions = ListAttribute(of=UnicodeAttribute, default=list)
    file_id = UnicodeAttribute(null=True)
    reactions: MapAttribute[str, Any] = MapAttribute(default=dict)
    created_at = UnicodeAttribute()
    edited_at = UnicodeAttribute(null=True)
    deleted_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()  # created_at, then the time of the last edit/delete/reaction
    version = NumberAttribute(default=1)  # bumped on every change; clients keep the highest
    deleted_by = UnicodeAttribute(null=True)
    by_update = MessagesByUpdateIndex()
    by_id = MessagesByIdIndex()


@register
class ClientIdModel(Model):
    """Durable idempotency: a sender's ``client_id`` in a room → the message it created."""

    class Meta:
        table_name = "message-client-ids"

    room_id = UnicodeAttribute(hash_key=True)
    client_key = UnicodeAttribute(range_key=True)  # "<sender_id>#<client_id>"
    message_id = UnicodeAttribute()
    sequence_number = NumberAttribute()
    created_at = UnicodeAttribute()
