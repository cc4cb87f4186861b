"""Storage of file records: one partition per room, newest first through sparse LSIs.

``list_key`` and ``kind_key`` are set only while a file is complete, so the listing indexes
never see pending, rejected or deleted files (no filter, no wasted reads). ``pending_until``
is set only while an upload is pending, so :func:`chalicelib.files.service.expire_pending`
finds the stale ones with one Query. ``expires_at`` (TTL) removes records of uploads that were
never completed (or were rejected).
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, KeysOnlyProjection, LocalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.db import register


class FilesByCreatedIndex(LocalSecondaryIndex["FileModel"]):
    """A room's complete files, newest first (``list_key = created_at#file_id``)."""

    class Meta:
        index_name = "room-created-index"
        projection = AllProjection()

    room_id = UnicodeAttribute(hash_key=True)
    list_key = UnicodeAttribute(range_key=True)


class FilesByKindIndex(LocalSecondaryIndex["FileModel"]):
    """A room's complete files of one kind, newest first (``kind_key = kind#created_at#file_id``)."""

    class Meta:
        index_name = "room-kind-index"
        projection = AllProjection()

    room_id = UnicodeAttribute(hash_key=True)
    kind_key = UnicodeAttribute(range_key=True)


class PendingFilesIndex(LocalSecondaryIndex["FileModel"]):
    """A room's pending uploads by deadline (cleanup)."""

    class Meta:
        index_name = "room-pending-index"
        projection = KeysOnlyProjection()

    room_id = UnicodeAttribute(hash_key=True)
    pending_until = UnicodeAttribute(range_key=True)


@register
class FileModel(Model):
    """An uploaded (or announced) file of a room."""

    class Meta:
        table_name = "files"

    room_id = UnicodeAttribute(hash_key=True)
    file_id = UnicodeAttribute(range_key=True)
    filename = UnicodeAttribute()  # display name: the original without path or control characters
    original_name = UnicodeAttribute()  # exactly what the client sent (audit)
    safe_name = UnicodeAttribute()  # the ASCII last segment of the object key
    object_key = UnicodeAttribute()  # rooms/{room_id}/{file_id}/{safe_name}
    upload_key = UnicodeAttribute()  # uploads/{room_id}/{file_id}/{safe_name} (pending; lifecycle-expired)
    content_type = UnicodeAttribute()
    kind = UnicodeAttribute()  # image | document
    size = NumberAttribute()
    uploaded_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | complete | rejected | deleted
    completed_at = UnicodeAttribute(null=True)
    rejected_reason = UnicodeAttribute(null=True)
    deleted_at = UnicodeAttribute(null=True)
    deleted_by = UnicodeAttribute(null=True)
    has_thumbnail = BooleanAttribute(default=False)
    thumbnail_key = UnicodeAttribute(null=True)
    width = NumberAttribute(null=True)
    height = NumberAttribute(null=True)
    list_key = UnicodeAttribute(null=True)
    kind_key = UnicodeAttribute(null=True)
    pending_until = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    by_created = FilesByCreatedIndex()
    by_kind = FilesByKindIndex()
    by_pending = PendingFilesIndex()
