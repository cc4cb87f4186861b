"""Storage of escalation policies and rosters (small partitions: Query, never Scan)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.core.db import register


@register
class PolicyModel(Model):
    """An escalation policy (all policies share one small partition)."""

    class Meta:
        table_name = "escalation-policies"

    kind = UnicodeAttribute(hash_key=True, default="policy")
    policy_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    steps = JSONAttribute()  # [{"after_minutes": int, "notify": {"users": [], "roles": [], "on_duty": []}}]
    repeat = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


@register
class RosterModel(Model):
    """Who is on duty on one production line, by shift."""

    class Meta:
        table_name = "rosters"

    line_id = UnicodeAttribute(hash_key=True)
    shifts = JSONAttribute()  # [{"name", "start": "HH:MM", "end": "HH:MM", "users": [user_id]}]
    updated_at = UnicodeAttribute()
