"""Storage of the inbox: one item per (user, notification), newest first; unread ones also in
a sparse index (the unread count is a Query of that index, not of the whole inbox). New
notifications reach the channels beyond the app through the table's stream. Users' channel
settings and their browsers' push subscriptions."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, JSONAttribute, UnicodeAttribute
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
        stream_view_type = "NEW_IMAGE"  # → e-mail and Web Push (chalicelib.notifications.channels)

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


@register
class NotificationSettingsModel(Model):
    """One user's channels and kinds (absent: the defaults — everything on)."""

    class Meta:
        table_name = "notification-settings"

    user_id = UnicodeAttribute(hash_key=True)
    email = BooleanAttribute(default=True)
    web_push = BooleanAttribute(default=True)
    kinds = JSONAttribute(default=dict)  # {kind: bool}; kinds not in it are on
    updated_at = UnicodeAttribute(null=True)


@register
class PushSubscriptionModel(Model):
    """A browser that allowed Web Push: its endpoint and keys (the id is a digest of the endpoint,
    so subscribing the same browser again replaces it)."""

    class Meta:
        table_name = "push-subscriptions"

    user_id = UnicodeAttribute(hash_key=True)
    subscription_id = UnicodeAttribute(range_key=True)
    endpoint = UnicodeAttribute()
    p256dh = UnicodeAttribute()
    auth = UnicodeAttribute()
    user_agent = UnicodeAttribute(default="")
    created_at = UnicodeAttribute()
