"""Storage of the reports' daily rollup: one item per UTC day holding a compact record of every
room opened that day (the figures the summary and Pareto need, computed when the room changes).

A 90-day report reads about 90 small items through one Query per month instead of every room
through the ``opened-index`` — the cost and the time follow the days asked. One item holds a
day's rooms (≈ 100 bytes each, so about 4,000 incidents a day fit DynamoDB's 400 KB item).
"""

from __future__ import annotations

from pynamodb.attributes import MapAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.core.db import register


@register
class ReportDayModel(Model):
    """``month`` (UTC ``2026-11``) / ``day`` (UTC ``2026-11-30``) → ``rooms``:
    ``{room_id: fact}`` where a fact is the JSON list of :data:`chalicelib.reports.rollup.FACT_FIELDS`."""

    class Meta:
        table_name = "report-days"

    month = UnicodeAttribute(hash_key=True)
    day = UnicodeAttribute(range_key=True)
    rooms: MapAttribute[str, str] = MapAttribute(default=dict)
