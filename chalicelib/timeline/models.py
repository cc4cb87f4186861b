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
from chalicelib.timeline import ids


class ContentAttribute(JSONAttribute):
    """Message content as JSON text, Chinese kept as UTF-8 (not ``\\uXXXX``: half the size)."""

    def serialize(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class MessagesByUpdateIndex(LocalSecondaryIndex["MessageModel"]):
    """A room's changed messages by last change (resume: "what changed since", besides what is
    new). Sparse: a message enters it on its first edit, deletion or reaction (new messages are
    found by sequence number), so sending one writes no entry here."""

    class Meta:
        index_name = "updated-index"
        projection = AllProjection()

    room_id = UnicodeAttribute(hash_key=True)
    updated_at = UnicodeAttribute(range_key=True)


class MessagesByIdIndex(LocalSecondaryIndex["MessageModel"]):
    """Find a room's message by a random ``message_id`` (edit, delete, react) — messages stored
    before ids named their place (``timeline.ids``); newer messages have no entry here."""

    class Meta:
        index_name = "message-id-index"
        projection = KeysOnlyProjection()

    room_id = UnicodeAttribute(hash_key=True)
    stored_message_id = UnicodeAttribute(range_key=True, attr_name="message_id")


@register
class MessageModel(Model):
    """One message of a room, ordered by its per-room ``sequence_number``.

    Its ``message_id`` is derived from the room and the sequence number (``timeline.ids``) and
    not stored; ``updated_at`` is stored from the first change on. Neither is then written to a
    local index when the message is sent (2 write units of the send's 4)."""

    class Meta:
        table_name = "messages"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    room_id = UnicodeAttribute(hash_key=True)
    sequence_number = NumberAttribute(range_key=True)
    stored_message_id = UnicodeAttribute(attr_name="message_id", null=True)  # older messages' random ids
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
    updated_at = UnicodeAttribute(null=True)  # the time of the last edit/delete/reaction
    version = NumberAttribute(default=1)  # bumped on every change; clients keep the highest
    deleted_by = UnicodeAttribute(null=True)
    by_update = MessagesByUpdateIndex()
    by_id = MessagesByIdIndex()

    @property
    def message_id(self) -> str:
        return self.stored_message_id or ids.message_id(self.room_id, int(self.sequence_number))

    @property
    def changed_at(self) -> str:
        """``updated_at`` on the wire: the last change, else the creation."""
        return self.updated_at or self.created_at


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
