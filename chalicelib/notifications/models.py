"""Storage of the inbox: one item per (user, notification), newest first; unread ones also in
a sparse index (the unread count is a Query of that index, not of the whole inbox)."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.db import register


class UnreadIndex(GlobalSecondaryIndex["NotificationModel"]):
    """Unread notifications per user (``unread_user`` is set only while unread)."""

    class Meta:
        index_name = "unread-index"
        projection = KeysOnlyProjection()

    unread_user = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)


@register
class NotificationModel(Model):
    """One notification of one user."""

    class Meta:
        table_name = "notifications"

    user_id = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)  # "<created_at>#<notification_id>"
    notification_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    room_id = UnicodeAttribute()
    room_title = UnicodeAttribute(default="")
    text = UnicodeAttribute(default="")
    created_at = UnicodeAttribute()
    read_at = UnicodeAttribute(null=True)
    unread_user = UnicodeAttribute(null=True)
    by_unread = UnreadIndex()


@register
class NotificationKeyModel(Model):
    """Idempotency: a notification's stable id → where it is stored (a retried stream record or
    an overlapping scheduler run finds it and does not notify twice)."""

    class Meta:
        table_name = "notification-ids"

    notification_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    sort_key = UnicodeAttribute()
