"""Permission matrix of the files routes × {non-member, VIEWER, EDITOR, OWNER, admin}."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import ROLES, Api, Files, png_bytes

pytestmark = pytest.mark.usefixtures("bucket")  # the files bucket exists


def test_files_routes(files: Files, room: str) -> None:
    api = files.api
    photo = png_bytes()
    shared, _ = files.upload("editor", "shared.png", "image/png", photo)
    owners, _ = files.upload("owner", "owners.png", "image/png", photo)
    table: list[tuple[str, str, int, int]] = []

    def check(name: str, role: str, response: Any, want: int) -> None:
        table.append((name, role, response.status_code, want))

    for role, want in zip(ROLES, [403, 403, 201, 201, 201], strict=True):
        check("request upload", role, files.request(role, "a.png", "image/png", len(photo)), want)
    for role, want in zip(ROLES, [403, 200, 200, 200, 200], strict=True):
        check("list", role, api.call(role, "GET", f"/rooms/{room}/files"), want)
        check("list images", role, api.call(role, "GET", f"/rooms/{room}/files?type=image"), want)
        check("get", role, files.get(role, shared), want)
    # complete: the uploader (an EDITOR here) or an OWNER / administrator
    for role, want in zip(ROLES, [403, 403, 200, 200, 200], strict=True):
        pending, _ = files.upload("editor", "p.png", "image/png", photo, complete=False)
        if role == "editor":
            check("complete own", role, files.complete(role, pending), want)
        else:
            check("complete editor's", role, files.complete(role, pending), want)
    # delete: the uploader or an OWNER / administrator
    for role, want in zip(ROLES, [403, 403, 204, 204, 204], strict=True):
        mine, _ = files.upload("editor", "d.png", "image/png", photo)
        check("delete editor's", role, api.call(role, "DELETE", f"/rooms/{room}/files/{mine}"), want)
    for role, want in zip(ROLES, [403, 403, 403, 204, 404], strict=True):  # admin comes after the owner deleted it
        check("delete owner's", role, api.call(role, "DELETE", f"/rooms/{room}/files/{owners}"), want)
    wrong = [row for row in table if row[2] != row[3]]
    assert wrong == []


def test_urls_are_only_for_members(files: Files, room: str) -> None:
    file_id, _ = files.upload("editor", "a.png", "image/png", png_bytes())
    for role in ROLES:
        got = files.get(role, file_id)
        listed = files.api.call(role, "GET", f"/rooms/{room}/files")
        if role == "outsider":
            assert b"download_url" not in got.body and b"download_url" not in listed.body
            assert got.json_body["error"]["code"] == "forbidden"
        else:
            assert got.json_body["download_url"] and got.json_body["thumbnail_url"]


def test_a_demoted_uploader_cannot_complete_but_can_delete(files: Files, room: str) -> None:
    file_id, _ = files.upload("editor", "a.png", "image/png", png_bytes(), complete=False)
    assert files.api.call("owner", "PATCH", f"/rooms/{room}/members/chen.editor@panjit.com.tw",
                          {"role": "VIEWER"}).status_code == 200
    assert files.complete("editor", file_id).status_code == 403
    assert files.api.call("editor", "DELETE", f"/rooms/{room}/files/{file_id}").status_code == 204


def test_every_files_route_needs_a_token(api: Api, room: str) -> None:
    file_id = "00000000-0000-4000-8000-000000000000"
    for method, path in [("GET", f"/rooms/{room}/files"), ("POST", f"/rooms/{room}/files"),
                         ("GET", f"/rooms/{room}/files/{file_id}"), ("DELETE", f"/rooms/{room}/files/{file_id}"),
                         ("POST", f"/rooms/{room}/files/{file_id}/complete")]:
        response = getattr(api.client.http, method.lower())(path)
        assert response.status_code == 401, (method, path)
