"""The event catalog and closure codes (plant-and-reports.md): administrators keep the codes,
rooms carry one (pre-filling type, severity, template, policy; listed by it on an index), and
resolving needs a root cause of the code (or a false alarm); OWNERs correct the closure later,
audited in the room's history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import Api

OVEN = {"code": "OVEN-TEMP", "name": "回焊爐溫度異常", "incident_type": "equipment_failure",
        "default_severity": "high",
        "root_causes": [{"code": "HEATER", "name": "加熱器故障"}, {"code": "SENSOR", "name": "感測器漂移"}]}
PLAIN = {"code": "NOTE", "name": "一般通報", "incident_type": "other"}


@pytest.fixture
def codes(api: Api) -> Api:
    for body in (OVEN, PLAIN):
        made = api.call("admin", "POST", "/event-codes", body)
        assert made.status_code == 201, made.body
    return api


def _room(api: Api, **fields: Any) -> dict[str, Any]:
    made = api.call("owner", "POST", "/rooms", {"title": "L3 回焊爐溫度異常", **fields})
    assert made.status_code == 201, made.body
    return dict(made.json_body)


def _resolve(api: Api, room_id: str, role: str = "owner", **fields: Any) -> Any:
    return api.call(role, "PATCH", f"/rooms/{room_id}", {"status": "resolved", "resolution_note": "換加熱器", **fields})


def test_administrators_keep_the_catalog_others_read_it(codes: Api) -> None:
    api = codes
    listed = api.call("viewer", "GET", "/event-codes").json_body["event_codes"]
    assert [c["code"] for c in listed] == ["OVEN-TEMP", "NOTE"]
    assert listed[0]["root_causes"] == OVEN["root_causes"] and listed[1]["root_causes"] == []
    for role in ("owner", "editor", "viewer", "outsider"):
        assert api.call(role, "POST", "/event-codes", {**PLAIN, "code": "X1"}).status_code == 403
        assert api.call(role, "PUT", "/event-codes/NOTE", {"name": "x", "incident_type": "other"}).status_code == 403
        assert api.call(role, "DELETE", "/event-codes/NOTE").status_code == 403
        assert api.call(role, "GET", "/event-codes?include_retired=true").status_code == 403
    assert api.client.http.get("/event-codes").status_code == 401
    assert api.call("admin", "POST", "/event-codes", PLAIN).status_code == 409
    assert api.call("admin", "PUT", "/event-codes/NOPE", {"name": "x", "incident_type": "other"}).status_code == 404
    # an update that leaves out a root cause retires it; retiring a code hides it from the list
    updated = api.call("admin", "PUT", "/event-codes/OVEN-TEMP",
                       {**{k: v for k, v in OVEN.items() if k != "code"}, "root_causes": [OVEN["root_causes"][0]]})
    assert updated.status_code == 200 and updated.json_body["root_causes"] == [OVEN["root_causes"][0]]
    assert api.call("admin", "DELETE", "/event-codes/NOTE").status_code == 204
    assert [c["code"] for c in api.call("viewer", "GET", "/event-codes").json_body["event_codes"]] == ["OVEN-TEMP"]
    everything = api.call("admin", "GET", "/event-codes?include_retired=true").json_body["event_codes"]
    assert everything[1]["retired"] is True
    assert everything[0]["root_causes"][1] == {"code": "SENSOR", "name": "感測器漂移", "retired": True}
    assert api.call("owner", "POST", "/rooms", {"title": "x", "event_code": "NOTE"}).status_code == 400


@pytest.mark.parametrize("body", [
    {**PLAIN, "code": "bad code!"}, {**PLAIN, "code": "x" * 40}, {**PLAIN, "incident_type": "fire"},
    {**PLAIN, "name": ""}, {**PLAIN, "name": "\u202e"}, {**PLAIN, "template_id": "not-a-uuid"},
    {**PLAIN, "root_causes": [{"code": "A", "name": "a"}, {"code": "A", "name": "b"}]},
    {**PLAIN, "root_causes": [{"code": "A"}]}, {**PLAIN, "extra": 1}, [], "text", None,
])
def test_hostile_catalog_input_is_400(api: Api, body: Any) -> None:
    response = api.call("admin", "POST", "/event-codes", body)
    assert response.status_code == 400, body
    assert response.json_body["error"]["code"]


def test_an_event_code_prefills_the_room_and_lists_it(codes: Api) -> None:
    api = codes
    room = _room(api, event_code="OVEN-TEMP")
    assert (room["event_code"], room["incident_type"], room["severity"]) == ("OVEN-TEMP", "equipment_failure", "high")
    assert _room(api, event_code="OVEN-TEMP", severity="low")["severity"] == "low"  # explicit wins
    assert api.call("owner", "POST", "/rooms", {"title": "x", "event_code": "UNKNOWN"}).status_code == 400
    other = _room(api, event_code="NOTE")
    for role, scope in (("owner", "mine"), ("admin", "all")):
        listed = api.call(role, "GET", f"/rooms?scope={scope}&event_code=OVEN-TEMP").json_body["rooms"]
        assert len(listed) == 2 and other["room_id"] not in {r["room_id"] for r in listed}
    assert api.call("owner", "GET", "/rooms?event_code=bad%20code").status_code == 400


def test_resolve_needs_a_root_cause_of_the_code_unless_false_alarm(codes: Api) -> None:
    api = codes
    room = _room(api, event_code="OVEN-TEMP")["room_id"]
    missing = _resolve(api, room)
    assert missing.status_code == 400
    assert missing.json_body["error"]["details"][0]["field"] == "root_cause_code"
    assert _resolve(api, room, root_cause_code="MATERIAL").status_code == 400
    assert _resolve(api, room, downtime_minutes=-1, root_cause_code="HEATER").status_code == 400
    assert api.call("owner", "GET", f"/rooms/{room}").json_body["status"] == "active"
    assert _resolve(api, room, false_alarm=True).status_code == 200
    second = _room(api, event_code="OVEN-TEMP")["room_id"]
    done = _resolve(api, second, root_cause_code="HEATER", downtime_minutes=45)
    assert done.status_code == 200, done.body
    assert (done.json_body["root_cause_code"], done.json_body["downtime_minutes"]) == ("HEATER", 45)
    # no event code, or one without root causes: nothing required, none accepted
    plain = _room(api, incident_type="other")["room_id"]
    assert _resolve(api, plain, root_cause_code="HEATER").status_code == 400
    assert _resolve(api, plain, downtime_minutes=5).status_code == 200


def test_owner_corrections_are_audited_editors_and_viewers_may_not(codes: Api) -> None:
    api = codes
    room = _room(api, event_code="OVEN-TEMP")["room_id"]
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"})
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "lee.viewer@panjit.com.tw", "role": "VIEWER"})
    assert api.call("owner", "PATCH", f"/rooms/{room}", {"root_cause_code": "HEATER"}).status_code == 409  # not resolved
    assert _resolve(api, room, "editor", root_cause_code="SENSOR", downtime_minutes=10).status_code == 200
    assert api.call("editor", "PATCH", f"/rooms/{room}", {"root_cause_code": "HEATER"}).status_code == 403
    assert api.call("viewer", "PATCH", f"/rooms/{room}", {"downtime_minutes": 1}).status_code == 403
    assert api.call("outsider", "PATCH", f"/rooms/{room}", {"downtime_minutes": 1}).status_code in (403, 404)
    fixed = api.call("owner", "PATCH", f"/rooms/{room}", {"root_cause_code": "HEATER", "downtime_minutes": 30})
    assert fixed.status_code == 200 and fixed.json_body["root_cause_code"] == "HEATER"
    assert api.call("owner", "PATCH", f"/rooms/{room}", {"root_cause_code": "NOPE"}).status_code == 400
    assert api.call("admin", "PATCH", f"/rooms/{room}", {"false_alarm": True}).status_code == 200
    history = api.call("owner", "GET", f"/rooms/{room}/messages").json_body["messages"]
    audits = [m["content"] for m in history if m["message_type"] == "system"
              and m["content"]["event"] == "room_closure_changed"]
    assert [a["changes"] for a in audits] == [  # newest first
        {"false_alarm": {"old": None, "new": True}},
        {"root_cause_code": {"old": "SENSOR", "new": "HEATER"}, "downtime_minutes": {"old": 10, "new": 30}},
    ]
    assert audits[1]["user_id"] == "wang.owner@panjit.com.tw"
    # reopening clears the closure; resolving again asks for it again
    assert api.call("owner", "PATCH", f"/rooms/{room}", {"status": "active"}).json_body["root_cause_code"] is None
    assert _resolve(api, room).status_code == 400


def test_machine_events_use_the_catalog(codes: Api) -> None:
    from chalicelib.integrations import service

    assert service.catalog_entry("OVEN-TEMP")["default_severity"] == "high"  # type: ignore[index]
    assert service.catalog_entry("UNKNOWN") is None
