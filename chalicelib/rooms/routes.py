"""REST routes of rooms, members, users and templates (thin: validate, call, answer)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.service import Principal, authenticate_bearer
from chalicelib.core.http import no_content, parse_body, parse_query, route
from chalicelib.rooms import members, schemas, service, templates

bp = Blueprint(__name__)


def _caller() -> Principal:
    return authenticate_bearer(bp.current_request.headers.get("authorization"))


@route(bp, "/rooms", methods=["GET"])
def list_rooms() -> dict[str, Any]:
    principal = _caller()
    return service.list_rooms(principal, parse_query(bp.current_request, schemas.ListRooms))


@route(bp, "/rooms", methods=["POST"])
def create_room() -> Response:
    principal = _caller()
    room = service.create_room(principal, parse_body(bp.current_request, schemas.CreateRoom))
    return Response(body=room, status_code=201)


@route(bp, "/rooms/{room_id}", methods=["GET"])
def get_room(room_id: str) -> dict[str, Any]:
    return service.get_room(room_id, _caller())


@route(bp, "/rooms/{room_id}", methods=["PATCH"])
def update_room(room_id: str) -> dict[str, Any]:
    principal = _caller()
    return service.update_room(room_id, principal, parse_body(bp.current_request, schemas.UpdateRoom))


@route(bp, "/rooms/{room_id}", methods=["DELETE"])
def archive_room(room_id: str) -> Response:
    service.archive_room(room_id, _caller())
    return no_content()


@route(bp, "/rooms/{room_id}/members", methods=["GET"])
def list_members(room_id: str) -> dict[str, Any]:
    return members.list_members(room_id, _caller())


@route(bp, "/rooms/{room_id}/members", methods=["POST"])
def add_member(room_id: str) -> Response:
    principal = _caller()
    member = members.add_member(room_id, principal, parse_body(bp.current_request, schemas.AddMember))
    return Response(body=member, status_code=201)


@route(bp, "/rooms/{room_id}/members/{user_id}", methods=["PATCH"])
def change_role(room_id: str, user_id: str) -> dict[str, Any]:
    principal = _caller()
    return members.change_role(room_id, principal, user_id, parse_body(bp.current_request, schemas.ChangeRole))


@route(bp, "/rooms/{room_id}/members/{user_id}", methods=["DELETE"])
def remove_member(room_id: str, user_id: str) -> Response:
    members.remove_member(room_id, _caller(), user_id)
    return no_content()


@route(bp, "/users", methods=["GET"])
def search_users() -> dict[str, Any]:
    _caller()
    return members.search_users(parse_query(bp.current_request, schemas.SearchUsers))


@route(bp, "/room-templates", methods=["GET"])
def list_templates() -> dict[str, Any]:
    _caller()
    return templates.list_templates()


@route(bp, "/room-templates", methods=["POST"])
def create_template() -> Response:
    principal = _caller()
    body = templates.create_template(principal, parse_body(bp.current_request, schemas.CreateTemplate))
    return Response(body=body, status_code=201)


@route(bp, "/room-templates/{template_id}", methods=["PATCH"])
def update_template(template_id: str) -> dict[str, Any]:
    principal = _caller()
    return templates.update_template(principal, template_id, parse_body(bp.current_request, schemas.UpdateTemplate))


@route(bp, "/room-templates/{template_id}", methods=["DELETE"])
def delete_template(template_id: str) -> Response:
    templates.delete_template(_caller(), template_id)
    return no_content()
