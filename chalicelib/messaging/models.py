"""Storage of room messages. The table's stream (new and old images) feeds the fan-out."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.models import Model

from chalicelib.core.db import register


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
    content = JSONAttribute()
    mentions = ListAttribute(of=UnicodeAttribute, default=list)
    file_id = UnicodeAttribute(null=True)
    reactions: MapAttribute[str, Any] = MapAttribute(default=dict)
    created_at = UnicodeAttribute()
    edited_at = UnicodeAttribute(null=True)
    deleted_at = UnicodeAttribute(null=True)


@register
class SequenceModel(Model):
    """The last sequence number handed out in a room (atomic counter, no stream)."""

    class Meta:
        table_name = "sequences"

    room_id = UnicodeAttribute(hash_key=True)
    last_seq = NumberAttribute(default=0)
