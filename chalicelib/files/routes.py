"""REST routes of room files (thin: validate, call, answer)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.service import Principal, authenticate_bearer
from chalicelib.core.http import no_content, parse_body, parse_query, route
from chalicelib.files import schemas, service

bp = Blueprint(__name__)


def _caller() -> Principal:
    return authenticate_bearer(bp.current_request.headers.get("authorization"))


@route(bp, "/rooms/{room_id}/files", methods=["POST"])
def request_upload(room_id: str) -> Response:
    principal = _caller()
    body = service.request_upload(room_id, principal, parse_body(bp.current_request, schemas.RequestUpload))
    return Response(body=body, status_code=201)


@route(bp, "/rooms/{room_id}/files", methods=["GET"])
def list_files(room_id: str) -> dict[str, Any]:
    principal = _caller()
    return service.list_files(room_id, principal, parse_query(bp.current_request, schemas.ListFiles))


@route(bp, "/rooms/{room_id}/files/{file_id}/complete", methods=["POST"])
def complete_upload(room_id: str, file_id: str) -> dict[str, Any]:
    return service.complete_upload(room_id, file_id, _caller())


@route(bp, "/rooms/{room_id}/files/{file_id}", methods=["GET"])
def get_file(room_id: str, file_id: str) -> dict[str, Any]:
    return service.get_file(room_id, file_id, _caller())


@route(bp, "/rooms/{room_id}/files/{file_id}", methods=["DELETE"])
def delete_file(room_id: str, file_id: str) -> Response:
    service.delete_file(room_id, file_id, _caller())
    return no_content()
