"""REST routes of room files (thin: validate, call, answer)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.core.http import no_content, parse_body, parse_query
from chalicelib.files import schemas, service

bp = Blueprint(__name__)


@authed_route(bp, "/rooms/{room_id}/files", methods=["POST"])
def request_upload(principal: Principal, room_id: str) -> Response:
    body = service.request_upload(room_id, principal, parse_body(bp.current_request, schemas.RequestUpload))
    return Response(body=body, status_code=201)


@authed_route(bp, "/rooms/{room_id}/files", methods=["GET"])
def list_files(principal: Principal, room_id: str) -> dict[str, Any]:
    return service.list_files(room_id, principal, parse_query(bp.current_request, schemas.ListFiles))


@authed_route(bp, "/rooms/{room_id}/files/{file_id}/complete", methods=["POST"])
def complete_upload(principal: Principal, room_id: str, file_id: str) -> dict[str, Any]:
    return service.complete_upload(room_id, file_id, principal)


@authed_route(bp, "/rooms/{room_id}/files/{file_id}", methods=["GET"])
def get_file(principal: Principal, room_id: str, file_id: str) -> dict[str, Any]:
    return service.get_file(room_id, file_id, principal)


@authed_route(bp, "/rooms/{room_id}/files/{file_id}", methods=["DELETE"])
def delete_file(principal: Principal, room_id: str, file_id: str) -> Response:
    service.delete_file(room_id, file_id, principal)
    return no_content()
