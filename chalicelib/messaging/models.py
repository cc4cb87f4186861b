"""Messaging's own tables: the audit log of edits/deletions, incident-data points, the search index."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.core.db import register


@register
class AuditModel(Model):
    """Edits and deletions with the content before and after (never shown to non-owners)."""

    class Meta:
        table_name = "message-audit"

    room_id = UnicodeAttribute(hash_key=True)
    entry_key = UnicodeAttribute(range_key=True)  # "<at>#<message_id>#<version>"
    action = UnicodeAttribute()  # edit | delete
    message_id = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    at = UnicodeAttribute()
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)


@register
class IncidentPointModel(Model):
    """One reading of an ``incident_data`` message: a point of the series ``<room>#<field>``."""

    class Meta:
        table_name = "incident-points"

    series = UnicodeAttribute(hash_key=True)  # "<room_id>#<field>"
    sequence_number = NumberAttribute(range_key=True)
    timestamp = UnicodeAttribute()
    value = NumberAttribute()
    message_id = UnicodeAttribute()


@register
class SearchTermModel(Model):
    """Inverted index: one entry per (room, term, message), newest first within the term.

    Terms are lower-case words and numbers, and CJK unigrams and bigrams, so Chinese words are
    found inside unspaced sentences. Maintained from the Messages stream.
    """

    class Meta:
        table_name = "search-terms"

    term_key = UnicodeAttribute(hash_key=True)  # "<room_id>#<term>"
    position = UnicodeAttribute(range_key=True)  # "<created_at>#<sequence_number:012d>"
    room_id = UnicodeAttribute()
    sequence_number = NumberAttribute()
