"""Machine-raised incidents: events from integration keys (``keys.py``) open rooms.

One room per ``line_id`` + ``equipment_id`` + ``event_code`` while it is unresolved. The first
event claims the :class:`OpenIncidentModel` item with a conditional write, creates the room and
records its id; every event — the first included — then appends a text message from the
machine (sender ``integration:<key_id>``) and its readings as an ``incident_data`` message (the
Messages stream turns them into the room's series). Concurrent events that lose the claim wait
briefly for the room id and append to that room, so two simultaneous alarms open one room. A
resolved or archived room is replaced by a new claim conditioned on the old one.

Who owns a machine-raised room: the administrator who created the key is its OWNER (a room
always keeps one OWNER, and a person answers for what the key raises); whoever is on duty on
the line when it opens is added as EDITOR (notified ``added_to_room``; they can answer,
acknowledge and resolve). Type, severity, template and escalation policy come from the event
catalog when it names the code (:func:`catalog_entry`), else ``equipment_failure`` with the
given severity or ``medium``; an escalation policy applies from the room's creation.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.auth.principal import Principal
from chalicelib.catalog import service as catalog
from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Conflict, Forbidden, NotFound, Unavailable, ValidationFailed
from chalicelib.core.observability import add_metric, logger
from chalicelib.core.text import BIDI_CONTROLS
from chalicelib.integrations import keys
from chalicelib.integrations.models import OpenIncidentModel
from chalicelib.integrations.schemas import MachineEvent
from chalicelib.plant import service as plant
from chalicelib.response import service as response
from chalicelib.rooms import members
from chalicelib.rooms import schemas as room_schemas
from chalicelib.rooms import service as rooms
from chalicelib.rooms.access import get_access
from chalicelib.timeline.service import store_message

if TYPE_CHECKING:
    from chalicelib.rooms.models import RoomModel

ACTIVITY_EVERY = 30.0  # seconds: how often appended events move the room's last activity
CLAIM_STALE_SECONDS = 30.0  # a claim whose room never appeared (the opener crashed) is taken over
WAIT_FOR_ROOM_SECONDS = 10.0  # how long a concurrent event waits for the opener's room id
DEFAULT_TYPE = "equipment_failure"
DEFAULT_SEVERITY = "medium"


_EVENT_IDS = uuid.UUID("5d0c8f3e-2a71-4e9b-8c44-7a1f0e6b9d25")


def catalog_entry(event_code: str) -> dict[str, Any] | None:
    """The event catalog's entry for a code (plant-and-reports.md): ``incident_type``,
    ``default_severity``, ``template_id``?, ``escalation_policy_id``?; None for a code the
    catalog does not know (or has retired): the event opens a default room."""
    return catalog.active_entry(event_code)


def raise_event(key: keys.IntegrationKey, body: MachineEvent) -> dict[str, Any]:
    """Open a room for the event or append it to the open one: ``{"room_id", "created"}``."""
    line_id = _line_for(key, body)
    place = plant.locate(line_id, body.station_id)  # 400 naming line_id / station_id when unknown
    dedup_key = f"{line_id}#{body.equipment_id}#{body.event_code}"
    room_id, joined = _open_room(dedup_key, key, body, place)
    created = joined is None
    _append(room_id, key, body)
    if joined is not None and clock.now() - clock.parse_iso(joined.last_activity_at) > ACTIVITY_EVERY:
        rooms.touch_room(room_id, actor=key.sender_id)  # members' lists sort by last activity
    keys.mark_used(key)
    add_metric("MachineEvents", unit="Count", value=1)
    if created:
        add_metric("MachineRoomsOpened", unit="Count", value=1)
    return {"room_id": room_id, "created": created}


def _line_for(key: keys.IntegrationKey, body: MachineEvent) -> str:
    if key.line_id is not None:
        if body.line_id is not None and body.line_id != key.line_id:
            raise Forbidden("This integration key may raise events only for its own line")
        return key.line_id
    if body.line_id is None:
        raise ValidationFailed("line_id is required (the key is not bound to a line)",
                               details=[{"field": "line_id", "message": "field required"}])
    return body.line_id


def _current(dedup_key: str) -> OpenIncidentModel | None:
    try:
        return OpenIncidentModel.get(dedup_key, consistent_read=True)
    except DoesNotExist:
        return None


def _claim(dedup_key: str, key: keys.IntegrationKey, previous: OpenIncidentModel | None) -> str | None:
    """Claim the item (absent, or still holding ``previous``'s claim); the claim id, or None when
    another event was first."""
    claim_id = clock.new_id()
    condition = (OpenIncidentModel.dedup_key.does_not_exist() if previous is None
                 else OpenIncidentModel.claim_id == previous.claim_id)
    try:
        OpenIncidentModel(dedup_key, claim_id=claim_id, claimed_at=clock.now(), key_id=key.key_id).save(
            condition=condition)
    except PutError as exc:
        if not condition_failed(exc):
            raise
        return None
    return claim_id


def _room(room_id: str) -> RoomModel | None:
    """The recorded room (None while an eventually consistent read does not show it yet: rooms
    are never deleted, so a recorded id always exists)."""
    try:
        return get_access(room_id, _acting(None)).room
    except NotFound:
        return None


def _open_room(dedup_key: str, key: keys.IntegrationKey, body: MachineEvent,
               place: dict[str, str]) -> tuple[str, RoomModel | None]:
    """The active room for ``dedup_key`` and that room, or the id of a new one this call opened
    and None. Waits (briefly) while another event is opening the room."""
    deadline = time.monotonic() + WAIT_FOR_ROOM_SECONDS
    attempt = 0
    while True:
        current = _current(dedup_key)
        room = _room(current.room_id) if current is not None and current.room_id else None
        if room is not None and room.status == "active":
            return str(room.room_id), room
        opening = current is not None and (
            (not current.room_id and clock.now() - float(current.claimed_at) < CLAIM_STALE_SECONDS)
            or (current.room_id and room is None))
        claim_id = None if opening else _claim(dedup_key, key, current)
        if claim_id is None:  # being opened, or another event claimed it first: wait for its room
            if time.monotonic() > deadline:
                raise Unavailable("The incident for this event is still being opened; retry in a moment")
            attempt += 1
            time.sleep(min(0.5, 0.02 * 2 ** min(attempt, 5)))
            continue
        try:
            room_id = _create_room(key, body, place)
        except Exception:
            _release(dedup_key, claim_id)
            raise
        _record_room(dedup_key, claim_id, room_id)
        _add_on_duty(room_id, key, place["line_id"])
        return room_id, None


def _release(dedup_key: str, claim_id: str) -> None:
    """Give a claim back after a failed room creation (the next event tries again)."""
    try:
        OpenIncidentModel(dedup_key).delete(condition=OpenIncidentModel.claim_id == claim_id)
    except DeleteError:
        logger.warning("integration claim not released", extra={"dedup_key": dedup_key})


def _record_room(dedup_key: str, claim_id: str, room_id: str) -> None:
    try:
        OpenIncidentModel(dedup_key).update(actions=[OpenIncidentModel.room_id.set(room_id)],
                                            condition=OpenIncidentModel.claim_id == claim_id)
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        # our claim went stale and was taken over: this room stands alone, the newer one dedups
        logger.warning("integration claim taken over", extra={"dedup_key": dedup_key, "room_id": room_id})


def _acting(key: keys.IntegrationKey | None) -> Principal:
    """The integration acting with an administrator's reach (adds the on-duty members)."""
    name = key.name if key else "整合 Integration"
    user_id = key.sender_id if key else "integration"
    return Principal(user_id=user_id, display_name=name, department="", is_admin=True, session_id=user_id)


def _title(body: MachineEvent) -> str:
    first = next((line.strip() for line in body.message.splitlines() if line.strip()), "")
    first = "".join(" " if ch in "\t\r\n" else ch for ch in first if ch not in BIDI_CONTROLS).strip()
    title = f"{body.event_code} {body.equipment_id}" + (f": {first}" if first else "")
    return title[:200].strip()


def _create_room(key: keys.IntegrationKey, body: MachineEvent, place: dict[str, str]) -> str:
    """Create the room as the key's administrator (its OWNER)."""
    entry = catalog_entry(body.event_code) or {}
    fields: dict[str, Any] = {
        "title": _title(body), "incident_type": entry.get("incident_type") or DEFAULT_TYPE,
        "severity": body.severity or entry.get("default_severity") or DEFAULT_SEVERITY,
        "description": body.message, "line_id": place["line_id"], "station_id": place.get("station_id"),
        "equipment_id": body.equipment_id,
    }
    if entry:
        fields["event_code"] = body.event_code  # the room carries a catalog code (reports count it)
    if entry.get("template_id"):
        fields["template_id"] = entry["template_id"]
    if entry.get("escalation_policy_id"):
        fields["escalation_policy_id"] = entry["escalation_policy_id"]
    owner = Principal(user_id=key.created_by, display_name=key.created_by, department="", is_admin=False,
                      session_id=key.sender_id)
    room_id = str(rooms.create_room(owner, room_schemas.CreateRoom.model_validate(fields))["room_id"])
    logger.info("machine-raised room opened", extra={"room_id": room_id, "key_id": key.key_id,
                                                     "event_code": body.event_code})
    return room_id


def _add_on_duty(room_id: str, key: keys.IntegrationKey, line_id: str) -> None:
    """Whoever is on duty on the line joins as EDITOR (and is notified ``added_to_room``). The
    room stands without them: a failure is logged, never undoes the room."""
    try:
        on_duty = response.on_duty(line_id)
    except Exception:  # noqa: BLE001 - the room is open already; the roster is a courtesy
        logger.exception("on-duty roster not read for a machine-raised room", extra={"room_id": room_id})
        return
    for user_id in on_duty:
        if user_id == key.created_by:
            continue
        try:
            members.add_member(room_id, _acting(key), room_schemas.AddMember(user_id=user_id, role="EDITOR"))
        except Conflict:
            pass  # a member already (the template's)
        except NotFound:
            logger.warning("on-duty user unknown (never logged in)", extra={"room_id": room_id})
        except Exception:  # noqa: BLE001 - one failed addition must not stop the others
            logger.exception("on-duty user not added to a machine-raised room", extra={"room_id": room_id})


@dataclass(frozen=True)
class _Entry:
    """A message for the timeline (the shape ``timeline.store_message`` takes)."""

    room_id: str
    client_id: str
    message_type: str
    content: Any
    file_id: str | None = None


def _append(room_id: str, key: keys.IntegrationKey, body: MachineEvent) -> None:
    """The event's text (prefixed with the key's name: the chat shows sender ids it does not know
    as they are) and its readings as ``incident_data``."""
    text = f"【{key.name}】{body.event_code} · {body.equipment_id}\n{body.message}"
    store_message(key.sender_id, _Entry(room_id, _client_id(key, body, "text"), "text", text), [])
    if body.readings:
        data = {**body.readings, "timestamp": body.occurred_at or clock.iso()}
        store_message(key.sender_id, _Entry(room_id, _client_id(key, body, "data"), "incident_data", data), [])


def _client_id(key: keys.IntegrationKey, body: MachineEvent, part: str) -> str:
    """Derived from the machine's ``event_id`` when it sends one (the exactly-once store then
    drops a resent event's messages), else new."""
    if body.event_id is None:
        return clock.new_id()
    return str(uuid.uuid5(_EVENT_IDS, f"{key.key_id}|{body.equipment_id}|{body.event_id}|{part}"))
