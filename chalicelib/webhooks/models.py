"""Storage of webhooks: one small partition (``kind = "webhook"``), read with a Query, never a Scan.

The secret is stored as is: the HMAC needs it (DynamoDB encrypts the table at rest; it is never
listed, logged or queued — the sender reads it here when it signs)."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.core.db import register


@register
class WebhookModel(Model):
    """A receiver of room events."""

    class Meta:
        table_name = "webhooks"

    kind = UnicodeAttribute(hash_key=True, default="webhook")
    webhook_id = UnicodeAttribute(range_key=True)
    url = UnicodeAttribute()
    events = ListAttribute(of=UnicodeAttribute)  # a subset of schemas.EVENTS
    description = UnicodeAttribute(default="")
    secret = UnicodeAttribute()
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
