"""The delivery log: one item per delivery (an e-mail, a push, a webhook POST) with its status
and attempts. It is also the lease that makes each delivery happen once when the queue hands a
message over twice."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.db import register


class OwnerIndex(GlobalSecondaryIndex["DeliveryModel"]):
    """Deliveries of one owner (``webhook#<id>``, ``user#<id>``), newest first."""

    class Meta:
        index_name = "owner-index"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


@register
class DeliveryModel(Model):
    """One delivery: ``pending`` → ``sending`` (leased) → ``delivered`` | ``retrying`` | ``failed``."""

    class Meta:
        table_name = "deliveries"

    delivery_id = UnicodeAttribute(hash_key=True)
    channel = UnicodeAttribute()
    owner = UnicodeAttribute()
    job = JSONAttribute()
    status = UnicodeAttribute(default="pending")
    attempts = NumberAttribute(default=0)
    lease_until = NumberAttribute(default=0)  # epoch seconds: another worker may take it after this
    not_before = NumberAttribute(default=0)  # epoch seconds: a retry waits for its backoff
    last_error = UnicodeAttribute(null=True)
    result = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    expires_at = TTLAttribute(null=True)  # the log is kept for a while, then DynamoDB removes it
    by_owner = OwnerIndex()
