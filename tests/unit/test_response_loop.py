"""The response loop (issue 11): acknowledge, escalation policies with timed steps fired exactly
once by the scheduler, the on-duty roster, the notification inbox. Scheduler time is given
explicitly (``run_due(now=...)``) — the fake clock of these tests."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.builders import Api, last_frame, message_frame, open_socket, send

MANAGER = "tsai.supervisor@panjit.com.tw"
ON_DUTY_DAY, ON_DUTY_NIGHT = "huang.tech@panjit.com.tw", "wu.engineer@panjit.com.tw"
CRITICAL = {"name": "嚴重 Critical", "repeat": 2, "steps": [
    {"after_minutes": 0, "notify": {"roles": ["OWNER"]}},
    {"after_minutes": 5, "notify": {"on_duty": ["L-WB1"]}},
    {"after_minutes": 15, "notify": {"users": [MANAGER]}},
]}
ROSTER = {"shifts": [{"name": "日班 Day", "start": "08:00", "end": "20:00", "users": [ON_DUTY_DAY]},
                     {"name": "夜班 Night", "start": "20:00", "end": "08:00", "users": [ON_DUTY_NIGHT]}]}


PLANT = {"sites": [{"site_id": "S1", "name": "一廠 Plant 1", "areas": [{"area_id": "EOL", "name": "後段 End of line",
          "lines": [{"line_id": "L-WB1", "name": "焊線 Wire bond 1", "stations": [{"station_id": "WB-01", "name": "WB-01"}]}]}]}]}


@pytest.fixture(autouse=True)
def plant(api: Api) -> None:
    assert api.call("admin", "PUT", "/plant", PLANT).status_code == 200


def _taipei(hhmm: str) -> float:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 11, 30, hours, minutes, tzinfo=ZoneInfo("Asia/Taipei")).timestamp()


def _policy(api: Api, body: dict[str, Any] = CRITICAL) -> str:
    made = api.call("admin", "POST", "/escalation-policies", body)
    assert made.status_code == 201, made.body
    return str(made.json_body["policy_id"])


def _room(api: Api, policy_id: str | None = None, template_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "Wire bond 斷線 Line WB1", "incident_type": "equipment_failure",
                            "severity": "critical"}
    if policy_id:
        body["escalation_policy_id"] = policy_id
    if template_id:
        body["template_id"] = template_id
    made = api.call("owner", "POST", "/rooms", body)
    assert made.status_code == 201, made.body
    return dict(made.json_body)


def _events(api: Api, room_id: str, event: str) -> list[dict[str, Any]]:
    history = api.call("owner", "GET", f"/rooms/{room_id}/messages?limit=100").json_body["messages"]
    return [m["content"] for m in history if m["message_type"] == "system" and m["content"]["event"] == event]


def _inbox(api: Api, role: str) -> dict[str, Any]:
    return dict(api.call(role, "GET", "/notifications").json_body)


# ------------------------------------------------------------------------------ policies
def test_only_administrators_manage_policies_and_bad_policies_name_the_problem(api: Api) -> None:
    assert api.call("editor", "POST", "/escalation-policies", CRITICAL).status_code == 403
    assert api.call("viewer", "GET", "/escalation-policies").status_code == 200
    bad = [
        ({**CRITICAL, "steps": [{"after_minutes": i, "notify": {}} for i in range(11)]}, "steps"),
        ({**CRITICAL, "steps": [{"after_minutes": -1, "notify": {}}]}, "steps.0.after_minutes"),
        ({**CRITICAL, "steps": [{"after_minutes": 0, "notify": {"roles": ["BOSS"]}}]}, "steps.0.notify.roles.0"),
        ({**CRITICAL, "steps": [{"after_minutes": 0, "notify": {"on_duty": ["線 1/;"]}}]}, "steps.0.notify.on_duty"),
        ({**CRITICAL, "steps": [{"after_minutes": 5, "notify": {}}, {"after_minutes": 1, "notify": {}}]}, "steps"),
        ({**CRITICAL, "repeat": 6}, "repeat"),
        ({**CRITICAL, "steps": [{"after_minutes": 0, "notify": {"on_duty": ["L-NOPE"]}}]}, "steps.0.notify.on_duty"),
    ]
    for body, field in bad:
        response = api.call("admin", "POST", "/escalation-policies", body)
        assert response.status_code == 400, body
        assert response.json_body["error"]["details"][0]["field"] == field, response.json_body


def test_rosters_are_set_by_administrators_and_bad_shifts_are_400(api: Api) -> None:
    assert api.call("editor", "PUT", "/rosters/L-WB1", ROSTER).status_code == 403
    assert api.call("admin", "PUT", "/rosters/L-WB1", ROSTER).status_code == 200
    assert api.call("viewer", "GET", "/rosters/L-WB1").json_body["shifts"][0]["users"] == [ON_DUTY_DAY]
    assert api.call("admin", "PUT", "/rosters/L-NOPE", ROSTER).json_body["error"]["details"][0]["field"] == "line_id"
    for shift in ({"name": "x", "start": "24:00", "end": "08:00"}, {"name": "x", "start": "8:00", "end": "09:00"},
                  {"name": "", "start": "08:00", "end": "09:00"}):
        assert api.call("admin", "PUT", "/rosters/L-WB1", {"shifts": [shift]}).status_code == 400


@pytest.mark.parametrize(("hhmm", "expected"), [("07:59", [ON_DUTY_NIGHT]), ("08:00", [ON_DUTY_DAY]),
                                                ("19:59", [ON_DUTY_DAY]), ("20:00", [ON_DUTY_NIGHT]),
                                                ("23:30", [ON_DUTY_NIGHT]), ("00:10", [ON_DUTY_NIGHT])])
def test_who_is_on_duty_at_the_shift_boundaries(api: Api, hhmm: str, expected: list[str]) -> None:
    from chalicelib.response.service import on_duty

    api.call("admin", "PUT", "/rosters/L-WB1", ROSTER)
    assert on_duty("L-WB1", _taipei(hhmm)) == expected


# ------------------------------------------------------------------------------ acknowledge
def test_acknowledge_is_for_editors_idempotent_and_stops_at_resolve(api: Api, room: str) -> None:
    assert api.call("viewer", "POST", f"/rooms/{room}/acknowledge").status_code == 403
    first = api.call("editor", "POST", f"/rooms/{room}/acknowledge")
    assert first.status_code == 200
    assert first.json_body["acknowledged_by"] == "chen.editor@panjit.com.tw"
    assert first.json_body["time_to_acknowledge_s"] is not None
    again = api.call("owner", "POST", f"/rooms/{room}/acknowledge").json_body
    assert (again["acknowledged_by"], again["acknowledged_at"]) == ("chen.editor@panjit.com.tw",
                                                                   first.json_body["acknowledged_at"])
    assert len(_events(api, room, "room_acknowledged")) == 1
    resolved = api.call("owner", "PATCH", f"/rooms/{room}", {"status": "resolved", "resolution_note": "換線"})
    assert resolved.json_body["time_to_resolve_s"] is not None
    assert api.call("editor", "POST", f"/rooms/{room}/acknowledge").status_code == 409


def test_resolving_an_unacknowledged_room_acknowledges_it_and_tells_the_owners(api: Api, room: str) -> None:
    api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "lin.admin@panjit.com.tw", "role": "OWNER"})
    done = api.call("editor", "PATCH", f"/rooms/{room}", {"status": "resolved", "resolution_note": "ok"}).json_body
    assert done["acknowledged_by"] == "chen.editor@panjit.com.tw" and done["acknowledged_at"] == done["resolved_at"]
    kinds = {n["kind"] for n in _inbox(api, "owner")["notifications"]}
    assert "room_resolved" in kinds


# ------------------------------------------------------------------------------ escalation
def test_a_critical_room_escalates_step_by_step_repeats_and_stops(api: Api, management_api: Any) -> None:
    from chalicelib.core import clock
    from chalicelib.rooms.escalation import run_due

    api.call("admin", "PUT", "/rosters/L-WB1", ROSTER)
    room = _room(api, _policy(api))
    assert room["escalation_policy"]["name"] == "嚴重 Critical"
    t0 = clock.parse_iso(room["created_at"])
    open_socket(api, "owner", "o")
    assert run_due(now=t0 + 1) == {"fired": 1, "skipped": 0}  # step 1 at +0: the OWNER
    notification = [f for f in management_api.frames("o") if f["type"] == "notification"][-1]["notification"]
    assert (notification["kind"], notification["room_id"]) == ("escalation", room["room_id"])
    assert run_due(now=t0 + 4 * 60)["fired"] == 0
    assert run_due(now=t0 + 5 * 60)["fired"] == 1  # step 2: who is on duty on L-WB1 (added as EDITOR)
    on_duty = {m["user_id"]: m["role"] for m in api.call("owner", "GET", f"/rooms/{room['room_id']}/members")
               .json_body["members"]}
    assert on_duty.get(ON_DUTY_DAY) == "EDITOR" or on_duty.get(ON_DUTY_NIGHT) == "EDITOR"
    assert run_due(now=t0 + 15 * 60)["fired"] == 1  # step 3: the section manager
    assert run_due(now=t0 + 25 * 60)["fired"] == 1  # repeat 1 (every 10 minutes: the last gap)
    assert run_due(now=t0 + 35 * 60)["fired"] == 1  # repeat 2
    assert run_due(now=t0 + 600 * 60)["fired"] == 0  # no more
    levels = [e["level"] for e in _events(api, room["room_id"], "escalated")]
    assert sorted(levels) == [1, 2, 3, 4, 5]
    escalated = [e for e in _events(api, room["room_id"], "escalated") if e["level"] == 3][0]
    assert escalated["notified"] == [MANAGER]
    assert api.call("owner", "GET", f"/rooms/{room['room_id']}").json_body["escalation_level"] == 5


def test_acknowledging_stops_the_steps(api: Api) -> None:
    from chalicelib.core import clock
    from chalicelib.rooms.escalation import run_due

    room = _room(api, _policy(api))
    t0 = clock.parse_iso(room["created_at"])
    assert run_due(now=t0)["fired"] == 1
    api.call("owner", "POST", f"/rooms/{room['room_id']}/acknowledge")
    assert run_due(now=t0 + 3600)["fired"] == 0
    assert api.call("owner", "GET", f"/rooms/{room['room_id']}").json_body["escalation_due_at"] is None


def test_two_overlapping_scheduler_runs_fire_each_step_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core import clock
    from chalicelib.rooms import escalation

    room = _room(api, _policy(api))
    t0 = clock.parse_iso(room["created_at"])
    # the second run starts while the first is between notifying and claiming the step
    real_notify = escalation.notifications.notify
    nested: list[dict[str, int]] = []
    overlapping: list[bool] = []

    def notify_then_overlap(*args: Any, **kwargs: Any) -> list[str]:
        done = real_notify(*args, **kwargs)
        if not overlapping:
            overlapping.append(True)
            nested.append(escalation.run_due(now=t0 + 1))
        return done

    monkeypatch.setattr(escalation.notifications, "notify", notify_then_overlap)
    first = escalation.run_due(now=t0 + 1)
    assert sorted([first["fired"], nested[0]["fired"]]) == [0, 1]
    assert escalation.run_due(now=t0 + 2)["fired"] == 0  # and a retry later fires nothing
    assert len(_events(api, room["room_id"], "escalated")) == 1
    assert [n["kind"] for n in _inbox(api, "owner")["notifications"]].count("escalation") == 1


def test_open_rooms_keep_their_policy_new_rooms_get_the_edited_one(api: Api) -> None:
    from chalicelib.core import clock
    from chalicelib.rooms.escalation import run_due

    policy = _policy(api)
    template = api.call("admin", "POST", "/room-templates", {"name": "斷線", "incident_type": "equipment_failure",
                                                            "escalation_policy_id": policy}).json_body["template_id"]
    old = _room(api, template_id=template)
    edited = api.call("admin", "PATCH", f"/escalation-policies/{policy}",
                      {"steps": [{"after_minutes": 60, "notify": {"roles": ["OWNER"]}}]})
    assert edited.status_code == 200
    new = _room(api, template_id=template)
    t0 = clock.parse_iso(old["created_at"])
    fired = run_due(now=t0 + 1)
    assert fired["fired"] == 1  # only the old room: its copy still says 0 minutes
    assert api.call("owner", "GET", f"/rooms/{old['room_id']}").json_body["escalation_level"] == 1
    assert api.call("owner", "GET", f"/rooms/{new['room_id']}").json_body["escalation_level"] == 0


def test_the_scheduler_queries_only_due_rooms(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.client

    from chalicelib.core import clock
    from chalicelib.rooms.escalation import run_due

    room = _room(api, _policy(api))
    for _ in range(3):
        api.call("owner", "POST", "/rooms", {"title": "no policy", "incident_type": "other"})
    operations: list[str] = []
    real = botocore.client.BaseClient._make_api_call

    def spy(self: Any, operation: str, params: dict[str, Any]) -> Any:
        operations.append(operation)
        return real(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", spy)
    run_due(now=clock.parse_iso(room["created_at"]) - 60)  # nothing due yet
    assert operations == ["Query"]


# ------------------------------------------------------------------------------ inbox
def test_the_inbox_counts_unread_marks_read_and_refuses_others(api: Api, room: str, management_api: Any,
                                                              message_stream: Any) -> None:
    import app

    open_socket(api, "editor", "e")
    send("e", json.dumps(message_frame(room, "@林志明 請確認", mentions=["lee.viewer@panjit.com.tw"])))
    assert last_frame(management_api, "e")["type"] == "ack"
    message_stream.pump(app.message_fanout)
    message_stream.pump(app.message_fanout)  # a retried stream record notifies nobody twice
    inbox = _inbox(api, "viewer")
    mentions = [n for n in inbox["notifications"] if n["kind"] == "mention"]
    assert len(mentions) == 1 and inbox["unread_count"] >= 1
    notification_id = mentions[0]["notification_id"]
    assert api.call("editor", "POST", f"/notifications/{notification_id}/read").status_code == 404
    read = api.call("viewer", "POST", f"/notifications/{notification_id}/read").json_body
    assert read["read_at"] is not None
    unread = api.call("viewer", "GET", "/notifications?unread=true").json_body
    assert notification_id not in [n["notification_id"] for n in unread["notifications"]]
    api.call("viewer", "POST", "/notifications/read-all")
    assert _inbox(api, "viewer")["unread_count"] == 0


def test_being_added_to_a_room_lands_in_the_inbox(api: Api, room: str) -> None:
    added = [n for n in _inbox(api, "editor")["notifications"] if n["kind"] == "added_to_room"]
    assert [n["room_id"] for n in added] == [room]


def test_an_explicit_null_policy_means_no_escalation_even_from_a_template(api: Api) -> None:
    policy = _policy(api)
    template = api.call("admin", "POST", "/room-templates", {"name": "斷線", "incident_type": "equipment_failure",
                                                            "escalation_policy_id": policy}).json_body["template_id"]
    plain = api.call("owner", "POST", "/rooms", {"title": "x", "template_id": template,
                                                 "escalation_policy_id": None}).json_body
    assert plain["escalation_policy"] is None and plain["escalation_due_at"] is None
    inherited = _room(api, template_id=template)
    assert inherited["escalation_policy"]["policy_id"] == policy
