"""Permission matrix: every room/member/template route × {non-member, VIEWER, EDITOR, OWNER, admin}."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.conftest import bearer, login

ROLES = ["outsider", "viewer", "editor", "owner", "admin"]
USERS = {"outsider": "huang.tech", "viewer": "lee.viewer", "editor": "chen.editor",
         "owner": "wang.owner", "admin": "lin.admin"}


class Api:
    """Tiny REST helper over the Chalice test client."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.tokens = {role: login(client, name)["access_token"] for role, name in USERS.items()}
        login(client, "wu.engineer")

    def call(self, role: str, method: str, path: str, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json", **bearer(self.tokens[role])}
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["body"] = json.dumps(body)
        return getattr(self.client.http, method.lower())(path, **kwargs)

    def standard_room(self) -> str:
        """A room owned by wang.owner with chen.editor (EDITOR) and lee.viewer (VIEWER)."""
        room = self.call("owner", "POST", "/rooms", {"title": "Line 3 回焊爐溫度異常", "incident_type": "equipment_failure",
                                                     "severity": "high", "location": "廠一 / Line 3"})
        assert room.status_code == 201, room.body
        room_id = room.json_body["room_id"]
        for user, role in [("chen.editor@panjit.com.tw", "EDITOR"), ("lee.viewer@panjit.com.tw", "VIEWER")]:
            added = self.call("owner", "POST", f"/rooms/{room_id}/members", {"user_id": user, "role": role})
            assert added.status_code == 201, added.body
        return str(room_id)

    def template(self) -> str:
        made = self.call("admin", "POST", "/room-templates", {"name": "設備異常", "incident_type": "equipment_failure"})
        assert made.status_code == 201
        return str(made.json_body["template_id"])


@pytest.fixture
def api(client: Any) -> Api:
    return Api(client)


ROOM_CASES = [
    # (name, method, path, body, expected per role in ROLES order)
    ("get room", "GET", "/rooms/{room}", None, [403, 200, 200, 200, 200]),
    ("patch title", "PATCH", "/rooms/{room}", {"title": "新標題"}, [403, 403, 403, 200, 200]),
    ("patch location", "PATCH", "/rooms/{room}", {"location": "Line 4"}, [403, 403, 403, 200, 200]),
    ("patch severity", "PATCH", "/rooms/{room}", {"severity": "critical"}, [403, 403, 200, 200, 200]),
    ("resolve", "PATCH", "/rooms/{room}", {"status": "resolved", "resolution_note": "更換熱電偶"},
     [403, 403, 200, 200, 200]),
    ("archive via patch", "PATCH", "/rooms/{room}", {"status": "archived"}, [403, 403, 403, 200, 200]),
    ("archive", "DELETE", "/rooms/{room}", None, [403, 403, 403, 204, 204]),
    ("list members", "GET", "/rooms/{room}/members", None, [403, 200, 200, 200, 200]),
    ("add member", "POST", "/rooms/{room}/members", {"user_id": "wu.engineer@panjit.com.tw", "role": "EDITOR"},
     [403, 403, 403, 201, 201]),
    ("change role", "PATCH", "/rooms/{room}/members/lee.viewer@panjit.com.tw", {"role": "EDITOR"},
     [403, 403, 403, 200, 200]),
    ("remove other", "DELETE", "/rooms/{room}/members/chen.editor@panjit.com.tw", None, [403, 403, 204, 204, 204]),
]


def test_room_and_member_routes(api: Api) -> None:
    table = []
    for name, method, path, body, expected in ROOM_CASES:
        for role, want in zip(ROLES, expected, strict=True):
            # "remove other" as editor is chen.editor leaving by themselves: allowed
            room = api.standard_room()
            response = api.call(role, method, path.format(room=room), body)
            table.append((name, role, response.status_code, want))
    wrong = [row for row in table if row[2] != row[3]]
    assert wrong == []


def test_viewer_removing_someone_else_is_forbidden_but_leaving_is_fine(api: Api) -> None:
    room = api.standard_room()
    assert api.call("viewer", "DELETE", f"/rooms/{room}/members/chen.editor@panjit.com.tw").status_code == 403
    assert api.call("viewer", "DELETE", f"/rooms/{room}/members/lee.viewer@panjit.com.tw").status_code == 204
    assert api.call("viewer", "GET", f"/rooms/{room}").status_code == 403


def test_template_routes(api: Api) -> None:
    for role in ROLES:
        template = api.template()
        assert api.call(role, "GET", "/room-templates").status_code == 200
        made = api.call(role, "POST", "/room-templates", {"name": "x", "incident_type": "safety"})
        patched = api.call(role, "PATCH", f"/room-templates/{template}", {"name": "y"})
        deleted = api.call(role, "DELETE", f"/room-templates/{template}")
        want = (201, 200, 204) if role == "admin" else (403, 403, 403)
        assert (made.status_code, patched.status_code, deleted.status_code) == want, role


def test_list_scope_all_is_for_administrators(api: Api) -> None:
    api.standard_room()
    for role in ROLES:
        response = api.call(role, "GET", "/rooms?scope=all")
        assert response.status_code == (200 if role == "admin" else 403), role
    assert len(api.call("admin", "GET", "/rooms?scope=all").json_body["rooms"]) == 1


def test_every_route_needs_a_token(api: Api) -> None:
    room = api.standard_room()
    for method, path in [("GET", "/rooms"), ("POST", "/rooms"), ("GET", f"/rooms/{room}"),
                         ("PATCH", f"/rooms/{room}"), ("DELETE", f"/rooms/{room}"),
                         ("GET", f"/rooms/{room}/members"), ("POST", f"/rooms/{room}/members"),
                         ("PATCH", f"/rooms/{room}/members/x@y.zz"), ("DELETE", f"/rooms/{room}/members/x@y.zz"),
                         ("GET", "/users?q=a"), ("GET", "/room-templates"), ("POST", "/room-templates")]:
        response = getattr(api.client.http, method.lower())(path)
        assert response.status_code == 401, (method, path)
