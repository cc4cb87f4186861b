"""Rooms behaviour: templates, listing (filters, Chinese search, cursors), lifecycle, members."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

import pytest

from tests.builders import Api


def _create(api: Api, role: str = "owner", **fields: Any) -> dict[str, Any]:
    body = {"title": "Line 3 回焊爐溫度異常", "incident_type": "equipment_failure", "severity": "high", **fields}
    response = api.call(role, "POST", "/rooms", body)
    assert response.status_code == 201, response.body
    return dict(response.json_body)


def test_create_room_shape_and_creator_is_owner(api: Api) -> None:
    room = _create(api, location="廠一 / Line 3 / Reflow 2", description="溫度 265°C 超出上限")
    assert set(room) >= {"room_id", "title", "incident_type", "severity", "status", "location", "description",
                         "created_by", "created_at", "updated_at", "last_activity_at", "resolved_at",
                         "resolution_note", "member_count", "template_id"}
    assert room["status"] == "active" and room["member_count"] == 1 and room["my_role"] == "OWNER"
    assert room["created_by"] == "wang.owner@panjit.com.tw"
    got = api.call("owner", "GET", f"/rooms/{room['room_id']}").json_body
    assert got["my_role"] == "OWNER" and got["title"] == "Line 3 回焊爐溫度異常"


def test_create_from_template_prefills_and_adds_default_members(api: Api) -> None:
    template = api.call("admin", "POST", "/room-templates", {
        "name": "設備異常", "incident_type": "equipment_failure", "default_severity": "critical",
        "description": "機台：", "default_members": [
            {"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"},
            {"user_id": "never.logged.in@panjit.com.tw", "role": "EDITOR"}]}).json_body
    room = api.call("owner", "POST", "/rooms", {"title": "Die bonder 吸嘴堵塞",
                                                 "template_id": template["template_id"]}).json_body
    assert (room["incident_type"], room["severity"], room["description"]) == ("equipment_failure", "critical", "機台：")
    assert room["template_id"] == template["template_id"] and room["member_count"] == 3
    members = api.call("owner", "GET", f"/rooms/{room['room_id']}/members").json_body["members"]
    # a default member who never logged in is added too (shown by id until their first login)
    assert sorted((m["user_id"], m["role"], m["display_name"]) for m in members) == [
        ("chen.editor@panjit.com.tw", "EDITOR", "陳怡君"),
        ("never.logged.in@panjit.com.tw", "EDITOR", "never.logged.in@panjit.com.tw"),
        ("wang.owner@panjit.com.tw", "OWNER", "王小明")]
    assert all(m["online"] is False for m in members)
    # the default member sees it in their list
    assert [r["room_id"] for r in api.call("editor", "GET", "/rooms").json_body["rooms"]] == [room["room_id"]]


@pytest.mark.parametrize("body,field", [
    ({"title": "x", "incident_type": "volcano"}, "incident_type"),
    ({"title": "x", "incident_type": "safety", "severity": "apocalyptic"}, "severity"),
    ({"title": "x" * 201, "incident_type": "safety"}, "title"),
    ({"title": "", "incident_type": "safety"}, "title"),
    ({"title": "x"}, "incident_type"),
    ({"title": "x", "incident_type": "safety", "status": "resolved"}, "status"),
    ({"title": "x\x00y", "incident_type": "safety"}, "title"),
    ({"title": ["x"], "incident_type": "safety"}, "title"),
])
def test_hostile_create_bodies(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.call("owner", "POST", "/rooms", body)
    assert response.status_code == 400
    assert field in [d["field"] for d in response.json_body["error"]["details"]]


def test_unknown_template_and_bad_ids(api: Api) -> None:
    assert api.call("owner", "POST", "/rooms", {"title": "x", "template_id": "00000000-0000-4000-8000-000000000000"}
                    ).status_code == 404
    assert api.call("owner", "POST", "/rooms", {"title": "x", "template_id": "../etc"}).status_code == 404
    for path in ["/rooms/not-a-uuid", "/rooms/00000000-0000-4000-8000-000000000000",
                 "/rooms/%27%20OR%201=1", "/rooms/not-a-uuid/members"]:
        assert api.call("owner", "GET", path).status_code == 404, path
    assert api.call("admin", "PATCH", "/room-templates/nope", {"name": "x"}).status_code == 404


def test_list_filters_search_and_order(api: Api) -> None:
    a = _create(api, title="Line 3 回焊爐溫度異常")
    b = _create(api, title="Wire bonder 斷線", incident_type="quality_issue", severity="low", location="廠二")
    c = _create(api, title="錫膏缺料", incident_type="material_shortage", severity="critical",
                description="Solder paste SAC305 庫存不足")

    def ids(query: str) -> list[str]:
        response = api.call("owner", "GET", f"/rooms{query}")
        assert response.status_code == 200, response.body
        return [r["room_id"] for r in response.json_body["rooms"]]

    assert ids("") == [c["room_id"], b["room_id"], a["room_id"]]  # newest activity first
    assert ids("?q=%E6%BA%AB%E5%BA%A6") == [a["room_id"]]  # 溫度
    assert ids("?q=LINE%203") == [a["room_id"]]
    assert ids("?q=sac305") == [c["room_id"]]  # description, case-insensitive
    assert ids("?q=%E5%BB%A0%E4%BA%8C") == [b["room_id"]]  # 廠二 in location
    assert ids("?severity=critical") == [c["room_id"]]
    assert ids("?incident_type=quality_issue") == [b["room_id"]]
    assert ids("?status=resolved") == []
    # activity moves the room to the top
    api.call("owner", "PATCH", f"/rooms/{a['room_id']}", {"severity": "critical"})
    assert ids("")[0] == a["room_id"]
    assert ids("?severity=critical") == [a["room_id"], c["room_id"]]
    # others see nothing of it
    assert api.call("outsider", "GET", "/rooms").json_body == {"rooms": [], "next_cursor": None}


def test_pagination_with_cursor_and_hostile_cursors(api: Api) -> None:
    made = [_create(api, title=f"事件 {i}")["room_id"] for i in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = api.call("owner", "GET", f"/rooms{query}").json_body
        seen += [r["room_id"] for r in body["rooms"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made)) and pages == 3
    first = api.call("owner", "GET", "/rooms?limit=2").json_body["next_cursor"]
    tampered = first[:-2] + ("AA" if not first.endswith("AA") else "BB")
    for query in [f"?limit=2&cursor={tampered}", "?cursor=garbage", "?cursor=a.b",
                  f"?limit=2&cursor={first}&severity=high"]:  # another query's cursor
        response = api.call("owner", "GET", f"/rooms{query}")
        assert response.status_code == 400, query
        assert response.json_body["error"]["details"][0]["field"] == "cursor"
    # another user's cursor
    assert api.call("editor", "GET", f"/rooms?limit=2&cursor={first}").status_code == 400


@pytest.mark.parametrize("query", ["?limit=0", "?limit=101", "?limit=abc", "?status=open", "?severity=x",
                                   "?scope=everything", "?q=" + "x" * 201, "?unknown=1"])
def test_hostile_list_queries(api: Api, query: str) -> None:
    response = api.call("owner", "GET", f"/rooms{query}")
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "validation_error"


def test_lifecycle_resolve_reopen_archive(api: Api) -> None:
    room = _create(api)["room_id"]
    assert api.call("editor", "PATCH", f"/rooms/{room}", {"status": "resolved"}).status_code in (400, 403)
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"})
    missing_note = api.call("editor", "PATCH", f"/rooms/{room}", {"status": "resolved"})
    assert missing_note.status_code == 400
    resolved = api.call("editor", "PATCH", f"/rooms/{room}", {"status": "resolved", "resolution_note": "更換熱電偶後恢復"})
    assert resolved.status_code == 200
    assert resolved.json_body["status"] == "resolved" and resolved.json_body["resolved_at"].endswith("Z")
    assert resolved.json_body["resolution_note"] == "更換熱電偶後恢復"
    reopened = api.call("owner", "PATCH", f"/rooms/{room}", {"status": "active"}).json_body
    assert reopened["status"] == "active" and reopened["resolved_at"] is None
    assert api.call("owner", "DELETE", f"/rooms/{room}").status_code == 204
    assert api.call("owner", "GET", f"/rooms/{room}").json_body["status"] == "archived"  # soft
    assert api.call("owner", "PATCH", f"/rooms/{room}", {"status": "active"}).status_code == 409
    assert api.call("owner", "PATCH", f"/rooms/{room}", {"title": "x"}).status_code == 409
    assert api.call("owner", "DELETE", f"/rooms/{room}").status_code == 204  # idempotent


def test_status_changes_are_system_events_in_the_history(api: Api) -> None:
    from chalicelib.timeline.models import MessageModel

    room = _create(api)["room_id"]
    api.call("owner", "PATCH", f"/rooms/{room}", {"status": "resolved", "resolution_note": "ok"})
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "lee.viewer@panjit.com.tw", "role": "VIEWER"})
    events = [(m.sequence_number, m.content["event"]) for m in MessageModel.query(room)]
    assert events == [(1, "room_status_changed"), (2, "member_added")]


def test_last_owner_cannot_leave_or_be_demoted(api: Api) -> None:
    room = _create(api)["room_id"]
    me = "wang.owner@panjit.com.tw"
    assert api.call("owner", "PATCH", f"/rooms/{room}/members/{me}", {"role": "EDITOR"}).status_code == 409
    assert api.call("owner", "DELETE", f"/rooms/{room}/members/{me}").status_code == 409
    # transfer: promote someone first, then step down
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "chen.editor@panjit.com.tw", "role": "OWNER"})
    assert api.call("owner", "PATCH", f"/rooms/{room}/members/{me}", {"role": "VIEWER"}).status_code == 200
    assert api.call("owner", "GET", f"/rooms/{room}").json_body["my_role"] == "VIEWER"


def test_member_errors(api: Api) -> None:
    room = _create(api)["room_id"]
    path = f"/rooms/{room}/members"
    assert api.call("owner", "POST", path, {"user_id": "nobody@panjit.com.tw", "role": "EDITOR"}).status_code == 404
    assert api.call("owner", "POST", path, {"user_id": "not-an-email", "role": "EDITOR"}).status_code == 400
    assert api.call("owner", "POST", path, {"user_id": "chen.editor@panjit.com.tw", "role": "GOD"}).status_code == 400
    assert api.call("owner", "POST", path, {"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"}).status_code == 201
    assert api.call("owner", "POST", path, {"user_id": "chen.editor@panjit.com.tw", "role": "VIEWER"}).status_code == 409
    assert api.call("owner", "PATCH", f"{path}/lee.viewer@panjit.com.tw", {"role": "EDITOR"}).status_code == 404
    assert api.call("owner", "DELETE", f"{path}/lee.viewer@panjit.com.tw").status_code == 404
    assert api.call("owner", "GET", f"/rooms/{room}").json_body["member_count"] == 2


def test_removed_member_stops_receiving_the_room_at_once(api: Api) -> None:
    from datetime import datetime, timedelta

    from chalicelib.connections.models import ConnectionModel, SubscriptionModel
    from chalicelib.core import clock

    room = _create(api)["room_id"]
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"})
    later = datetime.now(UTC) + timedelta(hours=1)
    for cid in ["tab-1", "tab-2"]:
        ConnectionModel(cid, user_id="chen.editor@panjit.com.tw", session_id="s", connected_at=clock.iso(),
                        expires_at=later).save()
        SubscriptionModel(room, cid, user_id="chen.editor@panjit.com.tw", subscribed_at=clock.iso(),
                          expires_at=later).save()
    assert api.call("owner", "DELETE", f"/rooms/{room}/members/chen.editor@panjit.com.tw").status_code == 204
    assert list(SubscriptionModel.query(room)) == []
    assert api.call("editor", "GET", f"/rooms/{room}").status_code == 403


def test_user_search_by_name_and_email_prefix(api: Api) -> None:
    def names(q: str) -> list[str]:
        response = api.call("owner", "GET", f"/users?q={q}")
        assert response.status_code == 200
        return [u["user_id"] for u in response.json_body["users"]]

    assert names("chen") == ["chen.editor@panjit.com.tw"]
    assert names("%E7%8E%8B") == ["wang.owner@panjit.com.tw"]  # 王
    assert names("zzz") == []
    assert len(names("")) == 6
    assert api.call("owner", "GET", "/users?q=" + "x" * 101).status_code == 400


def test_editor_cannot_sneak_other_fields(api: Api) -> None:
    room = _create(api)["room_id"]
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"})
    response = api.call("editor", "PATCH", f"/rooms/{room}", {"severity": "low", "title": "hijack"})
    assert response.status_code == 403
    assert api.call("owner", "GET", f"/rooms/{room}").json_body["title"] == "Line 3 回焊爐溫度異常"
    for body in [{}, {"title": None}, {"bogus": 1}]:
        assert api.call("owner", "PATCH", f"/rooms/{room}", body).status_code == 400, json.dumps(body)
