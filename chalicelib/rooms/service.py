"""Incident room use cases: create, read, list, update, archive.

Permission matrix (chat-room.md): VIEWER reads; EDITOR also changes status and severity;
OWNER manages settings and members; administrators act as OWNER anywhere (``rooms.access``).
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.auth.principal import Principal
from chalicelib.catalog import service as catalog
from chalicelib.core import clock
from chalicelib.core.cursor import decode_cursor, encode_cursor
from chalicelib.core.db import condition_failed, transaction
from chalicelib.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.notifications import service as notifications
from chalicelib.plant import service as plant
from chalicelib.response import service as policies
from chalicelib.rooms import closure, schemas, timers
from chalicelib.rooms.access import get_access
from chalicelib.rooms.models import MembershipModel, RoomModel, TemplateModel
from chalicelib.timeline.service import append_system_event

ROOM_FIELDS = ("room_id", "title", "incident_type", "severity", "status", "location", "description",
               "created_by", "created_at", "updated_at", "last_activity_at", "resolved_at",
               "resolution_note", "template_id", "acknowledged_at", "acknowledged_by",
               "area_id", "line_id", "station_id", "equipment_id",
               "event_code", "root_cause_code", "false_alarm", "downtime_minutes")
EDITOR_FIELDS = {"status", "severity", "resolution_note", *closure.FIELDS}  # corrections: rooms.closure
TRANSITIONS = {("active", "resolved"), ("resolved", "active"), ("active", "archived"), ("resolved", "archived")}


def room_view(room: RoomModel, my_role: str | None = None) -> dict[str, Any]:
    """The contract's room object."""
    data = {name: getattr(room, name) for name in ROOM_FIELDS}
    data["member_count"] = int(room.member_count or 0)
    data["escalation_level"] = int(room.escalation_level or 0)
    data["escalation_policy"] = ({"policy_id": room.escalation.get("policy_id"), "name": room.escalation.get("name")}
                                 if room.escalation else None)
    data["escalation_due_at"] = room.escalation_due_at
    data["time_to_acknowledge_s"] = timers.seconds_between(room.created_at, room.acknowledged_at)
    data["time_to_resolve_s"] = timers.seconds_between(room.created_at, room.resolved_at)
    if my_role is not None:
        data["my_role"] = my_role
    return data


def _search_text(title: str, location: str, description: str) -> str:
    return "\n".join([title, location, description]).lower()


def _activity_key(at: str, room_id: str) -> str:
    return f"{at}#{room_id}"


# --------------------------------------------------------------------------------- read
def get_room(room_id: str, principal: Principal) -> dict[str, Any]:
    """``GET /api/rooms/{room_id}``: the room plus ``my_role``."""
    access = get_access(room_id, principal)
    return room_view(access.room, access.role or access.effective)


# -------------------------------------------------------------------------------- create
def membership_for(room: RoomModel, user_id: str, role: str, at: str) -> MembershipModel:
    """A membership row carrying the room's listed fields."""
    return MembershipModel(
        room.room_id, user_id, role=role, joined_at=at, activity_key=room.activity_key,
        status=room.status, incident_type=room.incident_type, severity=room.severity,
        search_text=room.search_text, acknowledged_at=room.acknowledged_at, area_id=room.area_id,
        line_id=room.line_id, event_code=room.event_code,
    )


def create_room(principal: Principal, body: schemas.CreateRoom) -> dict[str, Any]:
    """Create a room; the creator is OWNER; a template pre-fills fields and members."""
    entry = _catalog_entry(body.event_code)
    template_id = body.template_id or entry.get("template_id")
    template = _template_for(template_id) if template_id else None
    incident_type = body.incident_type or entry.get("incident_type") or (template.incident_type if template else None)
    if incident_type is None:
        raise ValidationFailed("incident_type is required without a template",
                               details=[{"field": "incident_type", "message": "field required"}])
    now = clock.iso()
    room_id = clock.new_id()
    description = body.description or (template.description if template else "")
    # an explicit null means "no escalation", even when the template names a policy
    policy_id = body.escalation_policy_id if "escalation_policy_id" in body.model_fields_set else (
        entry.get("escalation_policy_id") or (template.escalation_policy_id if template else None))
    policy = policies.policy_copy(policy_id) if policy_id else None
    place = _place(body.line_id, body.station_id)
    room = RoomModel(
        room_id, title=body.title, incident_type=incident_type,
        severity=body.severity or entry.get("default_severity") or (template.default_severity if template else "medium"),
        status="active", location=body.location, description=description,
        created_by=principal.user_id, created_at=now, updated_at=now, last_activity_at=now,
        template_id=template.template_id if template else None,
        search_text=_search_text(body.title, body.location, description),
        activity_key=_activity_key(now, room_id), escalation=policy, escalation_level=0,
        area_id=place.get("area_id"), line_id=place.get("line_id"), station_id=place.get("station_id"),
        equipment_id=body.equipment_id, event_code=body.event_code, opened_month=now[:7],
    )
    timers.schedule_next(room)
    members = {principal.user_id: "OWNER"}
    # Template members are curated by administrators: they are added even before their first
    # login (the room is waiting in their list when they do log in).
    for member in (template.default_members if template else []):
        members.setdefault(member.user_id, member.role)
    room.member_count = len(members)
    room.owner_count = sum(1 for role in members.values() if role == "OWNER")
    with transaction() as tx:
        tx.save(room, condition=RoomModel.room_id.does_not_exist())
        for user_id, role in members.items():
            tx.save(membership_for(room, user_id, role, now))
    return room_view(room, "OWNER")


def _place(line_id: str | None, station_id: str | None) -> dict[str, str]:
    """Where in the plant (a station needs its line; unknown ids are 400 naming the field)."""
    if line_id is None:
        if station_id is not None:
            raise ValidationFailed("A station needs its line", details=[{"field": "line_id", "message": "field required"}])
        return {}
    return plant.locate(line_id, station_id)


def _catalog_entry(event_code: str | None) -> dict[str, Any]:
    """The active catalog entry of an event code ({} without one; unknown or retired → 400)."""
    if event_code is None:
        return {}
    entry = catalog.active_entry(event_code)
    if entry is None:
        raise ValidationFailed("Unknown event code", details=[{"field": "event_code", "message": "not in the catalog"}])
    return entry


def _template_for(template_id: str) -> TemplateModel:
    if not clock.is_uuid(template_id):
        raise NotFound("Template not found")
    try:
        return TemplateModel.get("template", template_id)
    except DoesNotExist:
        raise NotFound("Template not found") from None


# ---------------------------------------------------------------------------------- list
def list_rooms(principal: Principal, query: schemas.ListRooms) -> dict[str, Any]:
    """Rooms newest activity first, filtered inside an index partition (Query, never Scan)."""
    if query.scope == "all" and not principal.is_admin:
        raise Forbidden("Only administrators may list all rooms")
    scope = query.model_dump(exclude={"cursor", "limit"})
    start = decode_cursor(query.cursor, principal.user_id, scope)
    model: Any = RoomModel if query.scope == "all" else MembershipModel
    condition = None
    index = "line" if query.scope == "all" and query.line_id else "area" if query.scope == "all" and query.area_id \
        else "event_code" if query.scope == "all" and query.event_code else query.scope
    filters = ["status", "incident_type", "severity"] + [f for f in ("area_id", "line_id", "event_code")
                                                         if f not in (index, f"{index}_id")]
    for name in filters:
        value = getattr(query, name)
        if value is not None:
            clause = getattr(model, name) == value
            condition = clause if condition is None else condition & clause
    for token in (query.q or "").lower().split():
        clause = model.search_text.contains(token)
        condition = clause if condition is None else condition & clause
    results: Any
    if index == "line":
        results = RoomModel.by_line.query(query.line_id, scan_index_forward=False, filter_condition=condition,
                                          last_evaluated_key=start, page_size=max(query.limit, 25))
    elif index == "area":
        results = RoomModel.by_area.query(query.area_id, scan_index_forward=False, filter_condition=condition,
                                          last_evaluated_key=start, page_size=max(query.limit, 25))
    elif index == "event_code":
        results = RoomModel.by_event_code.query(query.event_code, scan_index_forward=False, filter_condition=condition,
                                                last_evaluated_key=start, page_size=max(query.limit, 25))
    elif query.scope == "all":
        results = RoomModel.by_activity.query(
            "room", scan_index_forward=False, filter_condition=condition,
            last_evaluated_key=start, page_size=max(query.limit, 25))
    else:
        results = MembershipModel.by_user.query(
            principal.user_id, scan_index_forward=False, filter_condition=condition,
            last_evaluated_key=start, page_size=max(query.limit, 25))
    page: list[Any] = []
    more = False
    for item in results:
        if len(page) == query.limit:
            more = True
            break
        page.append(item)
    next_key = _index_key(page[-1], index) if more and page else None
    rooms = _rooms_in_order(page, principal, query.scope)
    return {"rooms": rooms, "next_cursor": encode_cursor(next_key, principal.user_id, scope)}


def _index_key(item: Any, index: str) -> dict[str, Any]:
    """The LastEvaluatedKey of the index a page came from (for the cursor)."""
    if index == "all":
        return {"room_id": {"S": item.room_id}, "all_partition": {"S": "room"},
                "activity_key": {"S": item.activity_key}}
    if index in ("line", "area"):
        return {"room_id": {"S": item.room_id}, f"{index}_id": {"S": getattr(item, f"{index}_id")},
                "activity_key": {"S": item.activity_key}}
    if index == "event_code":
        return {"room_id": {"S": item.room_id}, "event_code": {"S": item.event_code},
                "activity_key": {"S": item.activity_key}}
    return {"room_id": {"S": item.room_id}, "user_id": {"S": item.user_id},
            "activity_key": {"S": item.activity_key}}


def _rooms_in_order(page: list[Any], principal: Principal, scope: str) -> list[dict[str, Any]]:
    if not page:
        return []
    if scope == "all":
        roles = {}
        for m in MembershipModel.batch_get([(r.room_id, principal.user_id) for r in page]):
            roles[m.room_id] = m.role
        return [room_view(r, roles.get(r.room_id, "OWNER")) for r in page]
    rooms = {r.room_id: r for r in RoomModel.batch_get([m.room_id for m in page])}
    return [room_view(rooms[m.room_id], m.role) for m in page if m.room_id in rooms]


# -------------------------------------------------------------------------------- update
def update_room(room_id: str, principal: Principal, body: schemas.UpdateRoom) -> dict[str, Any]:
    """``PATCH``: OWNER changes anything; EDITOR only status and severity."""
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise ValidationFailed("Nothing to change", details=[{"field": "body", "message": "no fields"}])
    if any(value is None for key, value in changes.items() if key != "resolution_note"):
        raise ValidationFailed("Fields cannot be set to null",
                               details=[{"field": k, "message": "must not be null"}
                                        for k, v in changes.items() if v is None and k != "resolution_note"])
    access = get_access(room_id, principal, "EDITOR")
    if access.effective != "OWNER" and not set(changes) <= EDITOR_FIELDS:
        raise Forbidden("Editors may change only status and severity")
    room = access.room
    seen = (int(room.escalation_level or 0), room.acknowledged_by)
    old_status = room.status
    new_status = changes.get("status", old_status)
    if new_status != old_status:
        _check_transition(old_status, new_status, access.effective, changes)
    elif room.status == "archived":
        raise Conflict("An archived room cannot be changed")
    now = clock.iso()
    for key in ("title", "incident_type", "severity", "location", "description", "equipment_id"):
        if key in changes:
            setattr(room, key, changes[key])
    if "line_id" in changes or "station_id" in changes:
        place = _place(changes.get("line_id", room.line_id), changes.get("station_id"))
        room.area_id, room.line_id, room.station_id = (place.get("area_id"), place.get("line_id"),
                                                       place.get("station_id"))
    if new_status != old_status:
        room.status = new_status
        if new_status == "resolved":
            room.resolved_at = now
            room.resolution_note = changes.get("resolution_note")
            if not room.acknowledged_at:  # resolving acknowledges at the same moment
                room.acknowledged_at, room.acknowledged_by = now, principal.user_id
        elif new_status == "active":
            room.resolved_at = None
        else:
            room.archived_at = now
    elif "resolution_note" in changes and room.status == "resolved":
        room.resolution_note = changes["resolution_note"]
    correction = closure.apply(room, changes, old_status, access.effective)
    room.updated_at = now
    room.search_text = _search_text(room.title, room.location, room.description)
    timers.schedule_next(room)  # a room no longer active stops escalating
    _save_with_activity(room, now, principal.user_id, seen)
    if correction:
        append_system_event(room.room_id, "room_closure_changed", principal.user_id, **correction)
    if new_status != old_status:
        append_system_event(room.room_id, "room_status_changed", principal.user_id,
                            old_status=old_status, status=new_status, resolution_note=room.resolution_note)
        if new_status == "resolved":
            notify_owners(room, "room_resolved", principal.user_id, f"已解決 Resolved: {room.title}",
                          key=f"resolved:{room.room_id}:{now}")
    return room_view(room, access.role or access.effective)


def _check_transition(old: str, new: str, effective: str, changes: dict[str, Any]) -> None:
    if (old, new) not in TRANSITIONS:
        raise Conflict(f"A room cannot go from {old} to {new}")
    if new == "archived" and effective != "OWNER":
        raise Forbidden("Only an OWNER may archive a room")
    if new == "resolved" and not (changes.get("resolution_note") or "").strip():
        raise ValidationFailed("Resolving needs a resolution note",
                               details=[{"field": "resolution_note", "message": "field required"}])


def archive_room(room_id: str, principal: Principal) -> None:
    """``DELETE``: soft — the room becomes ``archived``; nothing is removed."""
    access = get_access(room_id, principal, "OWNER")
    if access.room.status == "archived":
        return
    update_room(room_id, principal, schemas.UpdateRoom(status="archived"))


def _save_with_activity(room: RoomModel, at: str, actor: str | None, seen: tuple[int, str | None]) -> None:
    """Save the room and copy its listed fields onto every membership (Query by room).

    The save is conditional on the escalation state ``seen`` when the room was read
    (level, acknowledged_by): a scheduler step or an
    acknowledgement that landed meanwhile is never overwritten (the caller gets 409 and retries).
    ``actor`` (who changed the room) travels with the copies so the membership stream can tell
    list viewers who did it."""
    room.last_activity_at = at
    room.activity_key = _activity_key(at, room.room_id)
    level, acknowledged_by = seen
    unchanged = (RoomModel.escalation_level == level) if level else (
        RoomModel.escalation_level.does_not_exist() | (RoomModel.escalation_level == 0))
    unchanged &= (RoomModel.acknowledged_by == acknowledged_by if acknowledged_by
                  else RoomModel.acknowledged_by.does_not_exist())
    try:
        room.save(condition=unchanged)
    except PutError as exc:
        if not condition_failed(exc):
            raise
        raise Conflict("The room changed meanwhile (escalated or acknowledged); reload and try again") from None
    _copy_to_memberships(room, actor)


def _copy_to_memberships(room: RoomModel, actor: str | None) -> None:
    for membership in MembershipModel.query(room.room_id):
        membership.update(actions=[
            MembershipModel.activity_key.set(room.activity_key),
            MembershipModel.status.set(room.status),
            MembershipModel.incident_type.set(room.incident_type),
            MembershipModel.severity.set(room.severity),
            MembershipModel.search_text.set(room.search_text),
            MembershipModel.acknowledged_at.set(room.acknowledged_at) if room.acknowledged_at
            else MembershipModel.acknowledged_at.remove(),
            MembershipModel.area_id.set(room.area_id) if room.area_id else MembershipModel.area_id.remove(),
            MembershipModel.line_id.set(room.line_id) if room.line_id else MembershipModel.line_id.remove(),
            MembershipModel.event_code.set(room.event_code) if room.event_code else MembershipModel.event_code.remove(),
            MembershipModel.changed_by.set(actor) if actor else MembershipModel.changed_by.remove(),
        ])


def touch_room(room_id: str, actor: str | None = None) -> None:
    """Move ``last_activity_at`` (something happened in the room): an update of those two
    attributes only, so nothing written meanwhile is overwritten; memberships follow."""
    now = clock.iso()
    room = RoomModel(room_id)
    try:
        room.update(actions=[RoomModel.last_activity_at.set(now), RoomModel.activity_key.set(_activity_key(now, room_id))],
                    condition=RoomModel.room_id.exists())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return  # no such room
    _copy_to_memberships(room, actor)


def owner_ids(room_id: str) -> list[str]:
    """The room's OWNERs (Query on the room's partition)."""
    return [m.user_id for m in MembershipModel.query(room_id, filter_condition=MembershipModel.role == "OWNER",
                                                     attributes_to_get=["room_id", "user_id", "role"])]


def notify_owners(room: RoomModel, kind: str, actor: str, text: str, key: str) -> None:
    """Tell the room's OWNERs (except whoever did it) what happened."""
    owners = [u for u in owner_ids(room.room_id) if u != actor]
    if owners:
        notifications.notify(owners, kind, key, room.room_id, room.title, text)
