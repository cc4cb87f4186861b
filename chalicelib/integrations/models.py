"""Storage of integration keys and of the open room per (line, equipment, event code).

A key is stored under the SHA-256 of its secret (the secret itself never): an event's key is
one strongly consistent GetItem. Listing and revoking use two small indexes.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.db import register


class KeysByCreationIndex(GlobalSecondaryIndex["IntegrationKeyModel"]):
    """Every key, oldest first (the administrators' list: one small partition)."""

    class Meta:
        index_name = "key-list-index"
        projection = AllProjection()

    listing = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class KeysByIdIndex(GlobalSecondaryIndex["IntegrationKeyModel"]):
    """``key_id`` → the item's hash key (revoking by id)."""

    class Meta:
        index_name = "key-id-index"
        projection = KeysOnlyProjection()

    key_id = UnicodeAttribute(hash_key=True)


@register
class IntegrationKeyModel(Model):
    """One integration key (revoked keys stay, marked, so the list shows what existed)."""

    class Meta:
        table_name = "integration-keys"

    key_hash = UnicodeAttribute(hash_key=True)  # SHA-256 hex of the API key
    key_id = UnicodeAttribute()
    key_hint = UnicodeAttribute()  # the key's first characters, to recognise it in the list
    name = UnicodeAttribute()
    line_id = UnicodeAttribute(null=True)  # bound to one line, or any line
    created_by = UnicodeAttribute()  # the administrator; OWNER of the rooms the key opens
    created_at = UnicodeAttribute()
    last_used_at = UnicodeAttribute(null=True)
    revoked_at = UnicodeAttribute(null=True)
    revoked_by = UnicodeAttribute(null=True)
    listing = UnicodeAttribute(default="key")
    by_creation = KeysByCreationIndex()
    by_id = KeysByIdIndex()


@register
class OpenIncidentModel(Model):
    """The room open for ``<line_id>#<equipment_id>#<event_code>`` (de-duplication).

    Written conditionally: the first event claims the item (``claim_id``, no ``room_id`` yet),
    creates the room and records its id; later events append to that room while it is active.
    A resolved or archived room is replaced by a new claim conditioned on the old ``claim_id``.
    """

    class Meta:
        table_name = "integration-open-incidents"

    dedup_key = UnicodeAttribute(hash_key=True)
    claim_id = UnicodeAttribute()
    claimed_at = NumberAttribute()  # epoch seconds: a claim whose room never appeared goes stale
    room_id = UnicodeAttribute(null=True)
    key_id = UnicodeAttribute()
