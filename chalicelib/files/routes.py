"""REST routes of room files (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.files import schemas, service

bp = Blueprint(__name__)


@authed_route(bp, "/rooms/{room_id}/files", methods=["POST"], body=schemas.RequestUpload, status=201)
def request_upload(principal: Principal, room_id: str, body: schemas.RequestUpload) -> dict[str, Any]:
    """A presigned upload for one file (EDITOR)."""
    return service.request_upload(room_id, principal, body)


@authed_route(bp, "/rooms/{room_id}/files", methods=["GET"], query=schemas.ListFiles)
def list_files(principal: Principal, room_id: str, query: schemas.ListFiles) -> dict[str, Any]:
    """The room's files, newest first."""
    return service.list_files(room_id, principal, query)


@authed_route(bp, "/rooms/{room_id}/files/{file_id}/complete", methods=["POST"])
def complete_upload(principal: Principal, room_id: str, file_id: str) -> dict[str, Any]:
    """Confirm an upload: the stored object is checked and published."""
    return service.complete_upload(room_id, file_id, principal)


@authed_route(bp, "/rooms/{room_id}/files/{file_id}", methods=["GET"])
def get_file(principal: Principal, room_id: str, file_id: str) -> dict[str, Any]:
    """A file with short-lived download and thumbnail URLs."""
    return service.get_file(room_id, file_id, principal)


@authed_route(bp, "/rooms/{room_id}/files/{file_id}", methods=["DELETE"], status=204)
def delete_file(principal: Principal, room_id: str, file_id: str) -> None:
    """Delete a file (uploader or OWNER; soft)."""
    service.delete_file(room_id, file_id, principal)
