"""The producer of webhook deliveries: room changes → webhook events → the outbound queue.

It consumes the **rooms** table's stream (new and old images): every way a room is opened
(REST, templates, machine-raised incidents) writes that table, while no system event marks a
creation in the messages table. One stream record yields at most one event:

=====================  ==========================================================
``room_created``       INSERT
``room_resolved``      ``status`` becomes ``resolved`` (it may acknowledge implicitly:
                       that is part of this event, not a second one)
``room_acknowledged``  ``acknowledged_at`` is set (「我來處理」)
``room_escalated``     ``escalation_level`` goes up (a step of the policy fired)
=====================  ==========================================================

Every other change (activity, edits, members) is ignored without reading anything. Each event
has a stable ``event_id`` (room + event + what marks it: creation time, acknowledgement time,
level, resolution time) and each (event, webhook) a stable ``delivery_id``, so a stream record
handled twice enqueues nothing new (``outbound.enqueue`` records a delivery id once).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from chalicelib import outbound
from chalicelib.auth import users
from chalicelib.core import clock
from chalicelib.core.settings import get_settings
from chalicelib.core.streams import image
from chalicelib.webhooks import service

NAMESPACE = uuid.UUID("5b0c7d0e-5f0e-4c55-9a57-7e3f1f0c2a61")  # this system's webhook events
ROOM_FIELDS = ("room_id", "title", "incident_type", "severity", "status", "location", "area_id", "line_id",
               "station_id", "equipment_id", "created_by", "created_at", "acknowledged_at", "acknowledged_by",
               "resolved_at", "resolution_note", "escalation_level")


@dataclass(frozen=True)
class RoomEvent:
    """One webhook event, before it is addressed to webhooks."""

    event: str
    event_id: str
    occurred_at: str
    room: dict[str, Any]
    actor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """The JSON body receivers get (documented in the README, "Webhooks")."""
        body: dict[str, Any] = {"event": self.event, "event_id": self.event_id, "occurred_at": self.occurred_at,
                                "room": {**self.room, "url": room_url(str(self.room["room_id"]))}, **self.extra}
        if self.actor:
            body["actor"] = {"user_id": self.actor, "display_name": users.display_name(self.actor)}
        return body


def room_url(room_id: str) -> str:
    """The room in the SPA (relative when no public address is configured)."""
    return f"{get_settings().public_app_url.rstrip('/')}/rooms/{room_id}"


def _event(name: str, room: dict[str, Any], marker: Any, occurred_at: str, actor: str | None = None,
           **extra: Any) -> RoomEvent:
    event_id = str(uuid.uuid5(NAMESPACE, f"{room['room_id']}:{name}:{marker}"))
    return RoomEvent(name, event_id, occurred_at, {k: room.get(k) for k in ROOM_FIELDS}, actor, extra)


def room_event(record: dict[str, Any]) -> RoomEvent | None:
    """The webhook event one rooms-stream record stands for (None for most changes)."""
    change = record.get("dynamodb") or {}
    new, old = image(change.get("NewImage")), image(change.get("OldImage"))
    name = record.get("eventName")
    if new is None or not new.get("room_id"):
        return None
    if name == "INSERT":
        return _event("room_created", new, new.get("created_at"), str(new.get("created_at")), new.get("created_by"))
    if name != "MODIFY" or old is None:
        return None
    if new.get("status") == "resolved" and old.get("status") != "resolved" and new.get("resolved_at"):
        return _event("room_resolved", new, new["resolved_at"], str(new["resolved_at"]))
    if new.get("acknowledged_at") and not old.get("acknowledged_at"):
        return _event("room_acknowledged", new, new["acknowledged_at"], str(new["acknowledged_at"]),
                      new.get("acknowledged_by"))
    level, before = int(new.get("escalation_level") or 0), int(old.get("escalation_level") or 0)
    if level > before:
        at = change.get("ApproximateCreationDateTime")
        return _event("room_escalated", new, level, clock.iso(float(at)) if at else clock.iso(),
                      escalation={"level": level})
    return None


def delivery_id(event_id: str, webhook_id: str) -> str:
    """The stable id of one event's delivery to one webhook."""
    return str(uuid.uuid5(NAMESPACE, f"{event_id}:{webhook_id}"))


def enqueue(event: RoomEvent) -> int:
    """Queue ``event`` for every webhook subscribed to it; the number of deliveries new now."""
    payload: dict[str, Any] | None = None
    enqueued = 0
    for hook in service.subscribers():
        if event.event not in hook.events:
            continue
        payload = payload or event.payload()
        delivery = delivery_id(event.event_id, hook.webhook_id)
        job = {"webhook_id": hook.webhook_id, "delivery_id": delivery, "event": event.event,
               "event_id": event.event_id, "payload": payload}
        enqueued += outbound.enqueue("webhook", delivery, service.owner(hook.webhook_id), job)
    return enqueued


def handle_record(record: dict[str, Any]) -> None:
    """One rooms-stream record: its event (if any) to the subscribed webhooks (raises to be retried)."""
    event = room_event(record)
    if event is not None:
        enqueue(event)
