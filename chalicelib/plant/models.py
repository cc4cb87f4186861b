"""Storage of the plant: one small item holding the whole tree (read on every room create, so
it is one GetItem; retired nodes stay in it so old rooms keep their names)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.models import Model

from chalicelib.core.db import register


@register
class PlantModel(Model):
    """The plant tree (``kind`` is always ``plant``)."""

    class Meta:
        table_name = "plant"

    kind = UnicodeAttribute(hash_key=True, default="plant")
    tree = JSONAttribute()  # {"sites": [{"site_id", "name", "retired"?, "areas": [...]}]}
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()
    version = VersionAttribute()
