"""Storage of incident rooms, memberships and templates.

Listing never scans: a member's rooms come from the ``user-activity-index`` of the
memberships (newest activity first, room fields copied onto each membership so filters run
inside the caller's partition); an administrator's ``scope=all`` uses ``all-activity-index``
of the rooms.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.db import register


class RoomsByActivityIndex(GlobalSecondaryIndex["RoomModel"]):
    """Every room, newest activity first (administrators' ``scope=all``)."""

    class Meta:
        index_name = "all-activity-index"
        projection = AllProjection()

    all_partition = UnicodeAttribute(hash_key=True)
    activity_key = UnicodeAttribute(range_key=True)


class RoomsByLineIndex(GlobalSecondaryIndex["RoomModel"]):
    """A line's rooms, newest activity first (``scope=all&line_id=``)."""

    class Meta:
        index_name = "line-activity-index"
        projection = AllProjection()

    line_id = UnicodeAttribute(hash_key=True)
    activity_key = UnicodeAttribute(range_key=True)


class RoomsByAreaIndex(GlobalSecondaryIndex["RoomModel"]):
    """An area's rooms, newest activity first (``scope=all&area_id=``)."""

    class Meta:
        index_name = "area-activity-index"
        projection = AllProjection()

    area_id = UnicodeAttribute(hash_key=True)
    activity_key = UnicodeAttribute(range_key=True)


class RoomsByEventCodeIndex(GlobalSecondaryIndex["RoomModel"]):
    """An event code's rooms, newest activity first (``scope=all&event_code=``)."""

    class Meta:
        index_name = "event-code-activity-index"
        projection = AllProjection()

    event_code = UnicodeAttribute(hash_key=True)
    activity_key = UnicodeAttribute(range_key=True)


# what the reports read of a room (chalicelib.reports): small items, so a range costs little
REPORT_FIELDS = ["title", "severity", "status", "line_id", "station_id", "event_code", "acknowledged_at",
                 "resolved_at", "root_cause_code", "false_alarm", "downtime_minutes"]


class RoomsByOpenedIndex(GlobalSecondaryIndex["RoomModel"]):
    """Rooms by when they opened: partition = the UTC month (``2026-11``), sorted by
    ``created_at``, so a report Queries one partition per month of its range (never a Scan)."""

    class Meta:
        index_name = "opened-index"
        projection = IncludeProjection(REPORT_FIELDS)

    opened_month = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class EscalationDueIndex(GlobalSecondaryIndex["RoomModel"]):
    """Rooms with an escalation step pending, by due time (sparse: only those rooms carry
    ``due_partition``). The scheduler Queries ``due_at <= now`` here — never a Scan."""

    class Meta:
        index_name = "escalation-due-index"
        projection = KeysOnlyProjection()

    due_partition = UnicodeAttribute(hash_key=True)
    escalation_due_at = UnicodeAttribute(range_key=True)


@register
class RoomModel(Model):
    """An incident room."""

    class Meta:
        table_name = "rooms"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    room_id = UnicodeAttribute(hash_key=True)
    title = UnicodeAttribute()
    incident_type = UnicodeAttribute()
    severity = UnicodeAttribute()
    status = UnicodeAttribute()
    location = UnicodeAttribute(default="")
    description = UnicodeAttribute(default="")
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    last_activity_at = UnicodeAttribute()
    resolved_at = UnicodeAttribute(null=True)
    resolution_note = UnicodeAttribute(null=True)
    archived_at = UnicodeAttribute(null=True)
    member_count = NumberAttribute(default=0)
    # OWNERs of the room, changed in the same transaction as their memberships, so two owners
    # demoting each other at once cannot leave a room without one (absent on older rooms)
    owner_count = NumberAttribute(null=True)
    template_id = UnicodeAttribute(null=True)
    search_text = UnicodeAttribute(default="")
    all_partition = UnicodeAttribute(default="room")
    activity_key = UnicodeAttribute()
    # its place in the plant (plant-and-reports.md)
    area_id = UnicodeAttribute(null=True)
    line_id = UnicodeAttribute(null=True)
    station_id = UnicodeAttribute(null=True)
    equipment_id = UnicodeAttribute(null=True)
    # the response loop (response-loop.md): acknowledge and timed escalation
    acknowledged_at = UnicodeAttribute(null=True)
    acknowledged_by = UnicodeAttribute(null=True)
    escalation_level = NumberAttribute(default=0)  # steps fired so far
    escalation = JSONAttribute(null=True)  # the policy as it was when the room was created
    escalation_due_at = UnicodeAttribute(null=True)  # when the next step fires
    due_partition = UnicodeAttribute(null=True)  # "due" while a step is pending (sparse index)
    # the event catalog and closure codes (plant-and-reports.md)
    event_code = UnicodeAttribute(null=True)
    root_cause_code = UnicodeAttribute(null=True)
    false_alarm = BooleanAttribute(null=True)
    downtime_minutes = NumberAttribute(null=True)
    opened_month = UnicodeAttribute(null=True)  # created_at[:7], the reports' index partition
    by_event_code = RoomsByEventCodeIndex()
    by_opened = RoomsByOpenedIndex()
    by_activity = RoomsByActivityIndex()
    by_line = RoomsByLineIndex()
    by_area = RoomsByAreaIndex()
    by_due = EscalationDueIndex()


class MembershipsByUserIndex(GlobalSecondaryIndex["MembershipModel"]):
    """A user's rooms, newest activity first."""

    class Meta:
        index_name = "user-activity-index"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    activity_key = UnicodeAttribute(range_key=True)


@register
class MembershipModel(Model):
    """A user's role in a room, with the room fields the list filters on."""

    class Meta:
        table_name = "memberships"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    room_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)
    role = UnicodeAttribute()
    joined_at = UnicodeAttribute()
    # copies of the room's fields, kept in step by the rooms service
    activity_key = UnicodeAttribute()
    status = UnicodeAttribute()
    incident_type = UnicodeAttribute()
    severity = UnicodeAttribute()
    search_text = UnicodeAttribute(default="")
    acknowledged_at = UnicodeAttribute(null=True)
    area_id = UnicodeAttribute(null=True)
    line_id = UnicodeAttribute(null=True)
    event_code = UnicodeAttribute(null=True)
    changed_by = UnicodeAttribute(null=True)  # who made the last listed change
    by_user = MembershipsByUserIndex()


class DefaultMember(MapAttribute[str, Any]):
    """A member a template adds to new rooms."""

    user_id = UnicodeAttribute()
    role = UnicodeAttribute()


@register
class TemplateModel(Model):
    """A room template (all templates share one small partition)."""

    class Meta:
        table_name = "room-templates"

    kind = UnicodeAttribute(hash_key=True, default="template")
    template_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    incident_type = UnicodeAttribute()
    default_severity = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    default_members = ListAttribute(of=DefaultMember, default=list)
    escalation_policy_id = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
