"""Storage of the event catalog: one small item holding every code (read on room create and on
resolve, so it is one GetItem; retired codes and root causes stay in it so old rooms keep their
names)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.models import Model

from chalicelib.core.db import register


@register
class EventCatalogModel(Model):
    """The catalog (``kind`` is always ``catalog``)."""

    class Meta:
        table_name = "event-catalog"

    kind = UnicodeAttribute(hash_key=True, default="catalog")
    # [{"code", "name", "incident_type", "default_severity", "template_id"?,
    #   "escalation_policy_id"?, "root_causes": [{"code", "name", "retired"?}], "retired"?}]
    codes = JSONAttribute()
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()
    version = VersionAttribute()
