"""Permission matrix: every room/member/template route × {non-member, VIEWER, EDITOR, OWNER, admin}."""

from __future__ import annotations

from tests.builders import ROLES, Api

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
