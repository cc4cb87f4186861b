"""REST routes of rooms, members and templates (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.rooms import escalation, members, schemas, service, templates

bp = Blueprint(__name__)


@authed_route(bp, "/rooms", methods=["GET"], query=schemas.ListRooms)
def list_rooms(principal: Principal, query: schemas.ListRooms) -> dict[str, Any]:
    """The caller's rooms (administrators: every room), newest activity first."""
    return service.list_rooms(principal, query)


@authed_route(bp, "/rooms", methods=["POST"], body=schemas.CreateRoom, status=201)
def create_room(principal: Principal, body: schemas.CreateRoom) -> dict[str, Any]:
    """Open an incident room; the caller is its OWNER."""
    return service.create_room(principal, body)


@authed_route(bp, "/rooms/{room_id}", methods=["GET"])
def get_room(principal: Principal, room_id: str) -> dict[str, Any]:
    """A room with the caller's role."""
    return service.get_room(room_id, principal)


@authed_route(bp, "/rooms/{room_id}", methods=["PATCH"], body=schemas.UpdateRoom)
def update_room(principal: Principal, room_id: str, body: schemas.UpdateRoom) -> dict[str, Any]:
    """Change a room (EDITOR: status and severity; OWNER: anything)."""
    return service.update_room(room_id, principal, body)


@authed_route(bp, "/rooms/{room_id}", methods=["DELETE"], status=204)
def archive_room(principal: Principal, room_id: str) -> None:
    """Archive a room (nothing is deleted)."""
    service.archive_room(room_id, principal)


@authed_route(bp, "/rooms/{room_id}/acknowledge", methods=["POST"])
def acknowledge(principal: Principal, room_id: str) -> dict[str, Any]:
    """「我來處理」: take the room (EDITOR+; idempotent; stops escalation)."""
    return escalation.acknowledge(room_id, principal)


@authed_route(bp, "/rooms/{room_id}/members", methods=["GET"])
def list_members(principal: Principal, room_id: str) -> dict[str, Any]:
    """Members with their roles and online state."""
    return members.list_members(room_id, principal)


@authed_route(bp, "/rooms/{room_id}/members", methods=["POST"], body=schemas.AddMember, status=201)
def add_member(principal: Principal, room_id: str, body: schemas.AddMember) -> dict[str, Any]:
    """Add a known user with a role (OWNER)."""
    return members.add_member(room_id, principal, body)


@authed_route(bp, "/rooms/{room_id}/members/{user_id}", methods=["PATCH"], body=schemas.ChangeRole)
def change_role(principal: Principal, room_id: str, user_id: str, body: schemas.ChangeRole) -> dict[str, Any]:
    """Change a member's role (OWNER; a room keeps an OWNER)."""
    return members.change_role(room_id, principal, user_id, body)


@authed_route(bp, "/rooms/{room_id}/members/{user_id}", methods=["DELETE"], status=204)
def remove_member(principal: Principal, room_id: str, user_id: str) -> None:
    """Remove a member (OWNER) or leave (oneself)."""
    members.remove_member(room_id, principal, user_id)


@authed_route(bp, "/room-templates", methods=["GET"])
def list_templates(principal: Principal) -> dict[str, Any]:
    """Room templates."""
    return templates.list_templates()


@authed_route(bp, "/room-templates", methods=["POST"], body=schemas.CreateTemplate, status=201)
def create_template(principal: Principal, body: schemas.CreateTemplate) -> dict[str, Any]:
    """Create a template (administrators)."""
    return templates.create_template(principal, body)


@authed_route(bp, "/room-templates/{template_id}", methods=["PATCH"], body=schemas.UpdateTemplate)
def update_template(principal: Principal, template_id: str, body: schemas.UpdateTemplate) -> dict[str, Any]:
    """Change a template (administrators)."""
    return templates.update_template(principal, template_id, body)


@authed_route(bp, "/room-templates/{template_id}", methods=["DELETE"], status=204)
def delete_template(principal: Principal, template_id: str) -> None:
    """Delete a template (administrators)."""
    templates.delete_template(principal, template_id)
