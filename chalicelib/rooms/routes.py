"""REST routes of rooms, members and templates (thin: validate, call, answer)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.core.http import no_content, parse_body, parse_query
from chalicelib.rooms import members, schemas, service, templates

bp = Blueprint(__name__)


@authed_route(bp, "/rooms", methods=["GET"])
def list_rooms(principal: Principal) -> dict[str, Any]:
    return service.list_rooms(principal, parse_query(bp.current_request, schemas.ListRooms))


@authed_route(bp, "/rooms", methods=["POST"])
def create_room(principal: Principal) -> Response:
    room = service.create_room(principal, parse_body(bp.current_request, schemas.CreateRoom))
    return Response(body=room, status_code=201)


@authed_route(bp, "/rooms/{room_id}", methods=["GET"])
def get_room(principal: Principal, room_id: str) -> dict[str, Any]:
    return service.get_room(room_id, principal)


@authed_route(bp, "/rooms/{room_id}", methods=["PATCH"])
def update_room(principal: Principal, room_id: str) -> dict[str, Any]:
    return service.update_room(room_id, principal, parse_body(bp.current_request, schemas.UpdateRoom))


@authed_route(bp, "/rooms/{room_id}", methods=["DELETE"])
def archive_room(principal: Principal, room_id: str) -> Response:
    service.archive_room(room_id, principal)
    return no_content()


@authed_route(bp, "/rooms/{room_id}/members", methods=["GET"])
def list_members(principal: Principal, room_id: str) -> dict[str, Any]:
    return members.list_members(room_id, principal)


@authed_route(bp, "/rooms/{room_id}/members", methods=["POST"])
def add_member(principal: Principal, room_id: str) -> Response:
    member = members.add_member(room_id, principal, parse_body(bp.current_request, schemas.AddMember))
    return Response(body=member, status_code=201)


@authed_route(bp, "/rooms/{room_id}/members/{user_id}", methods=["PATCH"])
def change_role(principal: Principal, room_id: str, user_id: str) -> dict[str, Any]:
    return members.change_role(room_id, principal, user_id, parse_body(bp.current_request, schemas.ChangeRole))


@authed_route(bp, "/rooms/{room_id}/members/{user_id}", methods=["DELETE"])
def remove_member(principal: Principal, room_id: str, user_id: str) -> Response:
    members.remove_member(room_id, principal, user_id)
    return no_content()


@authed_route(bp, "/room-templates", methods=["GET"])
def list_templates(principal: Principal) -> dict[str, Any]:
    return templates.list_templates()


@authed_route(bp, "/room-templates", methods=["POST"])
def create_template(principal: Principal) -> Response:
    body = templates.create_template(principal, parse_body(bp.current_request, schemas.CreateTemplate))
    return Response(body=body, status_code=201)


@authed_route(bp, "/room-templates/{template_id}", methods=["PATCH"])
def update_template(principal: Principal, template_id: str) -> dict[str, Any]:
    return templates.update_template(principal, template_id, parse_body(bp.current_request, schemas.UpdateTemplate))


@authed_route(bp, "/room-templates/{template_id}", methods=["DELETE"])
def delete_template(principal: Principal, template_id: str) -> Response:
    templates.delete_template(principal, template_id)
    return no_content()
