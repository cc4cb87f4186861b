"""Machine-raised incidents (response-loop.md, issue 12 item 5): integration keys managed by
administrators, ``POST /api/integrations/events`` with ``X-Api-Key`` — one room per line +
equipment + event code while unresolved, readings as incident data, 401/403/429, hostile input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.builders import ROLES, Api, StreamPump

ADMIN = "lin.admin@panjit.com.tw"
TECH = "huang.tech@panjit.com.tw"
PLANT: dict[str, Any] = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [
    {"area_id": "EOL", "name": "後段", "lines": [
        {"line_id": "L-A", "name": "焊線 A", "stations": [{"station_id": "WB-01", "name": "WB-01"}]},
        {"line_id": "L-B", "name": "焊線 B", "stations": []}]}]}]}
EVENT: dict[str, Any] = {"equipment_id": "WB-01-TOOL", "event_code": "E-OVERTEMP", "message": "回焊爐 Zone 3 溫度過高",
                         "readings": {"temp_c": 265.5, "zone": 3}}


@pytest.fixture
def plant(api: Api) -> None:
    assert api.call("admin", "PUT", "/plant", PLANT).status_code == 200


def _key(api: Api, line_id: str | None = "L-A", name: str = "MES 焊線 A") -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if line_id is not None:
        body["line_id"] = line_id
    made = api.call("admin", "POST", "/integration-keys", body)
    assert made.status_code == 201, made.body
    return dict(made.json_body)


def _event(api: Api, api_key: str | None, body: Any = None, raw: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if api_key is not None:
        headers["X-Api-Key"] = api_key
    return api.client.http.post("/integrations/events", headers=headers,
                                body=raw if raw is not None else json.dumps(EVENT if body is None else body))


def _messages(api: Api, room_id: str) -> list[dict[str, Any]]:
    return list(reversed(api.call("admin", "GET", f"/rooms/{room_id}/messages").json_body["messages"]))


def _resolve(api: Api, room_id: str) -> None:
    done = api.call("admin", "PATCH", f"/rooms/{room_id}", {"status": "resolved", "resolution_note": "換熱電偶"})
    assert done.status_code == 200, done.body


# ------------------------------------------------------------------------------ keys
KEY_CASES = [("GET", "/integration-keys", None, 200), ("POST", "/integration-keys", {"name": "MES"}, 201)]


@pytest.mark.parametrize(("method", "path", "body", "status"), KEY_CASES, ids=[c[0] for c in KEY_CASES])
def test_only_administrators_list_and_create_keys(api: Api, method: str, path: str, body: Any, status: int) -> None:
    for role in ROLES:
        response = api.call(role, method, path, body)
        assert response.status_code == (status if role == "admin" else 403), (role, response.body)
    anonymous = getattr(api.client.http, method.lower())(path, headers={"Content-Type": "application/json"},
                                                         body=json.dumps(body))
    assert anonymous.status_code == 401
    assert anonymous.json_body["error"]["code"] == "unauthorized"


def test_only_administrators_revoke_and_unknown_keys_are_404(api: Api, plant: None) -> None:
    key = _key(api)
    for role in ROLES[:-1]:
        assert api.call(role, "DELETE", f"/integration-keys/{key['key_id']}").status_code == 403, role
    assert api.client.http.delete(f"/integration-keys/{key['key_id']}").status_code == 401
    assert _event(api, key["api_key"]).status_code == 201  # still valid after the refused attempts
    assert api.call("admin", "DELETE", f"/integration-keys/{key['key_id']}").status_code == 204
    assert api.call("admin", "DELETE", f"/integration-keys/{key['key_id']}").status_code == 204  # idempotent
    for unknown in ("00000000-0000-4000-8000-000000000000", "not-a-key", "%20", "x" * 300):
        assert api.call("admin", "DELETE", f"/integration-keys/{unknown}").status_code == 404, unknown


def test_a_key_is_shown_once_stored_hashed_and_listed_without_secrets(api: Api, plant: None) -> None:
    from chalicelib.integrations.models import IntegrationKeyModel

    key = _key(api)
    assert set(key) >= {"key_id", "api_key", "name", "line_id", "created_at"}
    assert key["line_id"] == "L-A" and key["name"] == "MES 焊線 A" and key["api_key"].startswith("irk_")
    assert len(key["api_key"]) >= 40
    other = _key(api, line_id=None, name="監控 Monitoring")
    assert other["api_key"] != key["api_key"] and other["line_id"] is None
    listed = api.call("admin", "GET", "/integration-keys").json_body["integration_keys"]
    assert [k["key_id"] for k in listed] == [other["key_id"], key["key_id"]]  # newest first
    text = json.dumps(listed)
    assert key["api_key"] not in text and other["api_key"] not in text and "api_key" not in text
    assert listed[1]["key_hint"] == key["api_key"][:8] and listed[1]["last_used_at"] is None
    stored = [k.attribute_values for k in IntegrationKeyModel.by_creation.query("key")]
    assert key["api_key"] not in json.dumps(stored, default=str)  # only its SHA-256 is kept


@pytest.mark.parametrize("body", [
    {}, {"name": ""}, {"name": "   "}, {"name": "\u202eevil"}, {"name": "a\x00b"}, {"name": "x" * 101},
    {"name": "MES", "line_id": "no such line"}, {"name": "MES", "line_id": "L-UNKNOWN"}, {"name": "MES", "extra": 1},
    {"name": 5}, ["MES"],
])
def test_bad_key_bodies_are_400(api: Api, plant: None, body: Any) -> None:
    response = api.call("admin", "POST", "/integration-keys", body)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["code"] == "validation_error"


# ------------------------------------------------------------------------------ events: who may raise
def test_unknown_missing_revoked_and_bearer_keys_are_401(api: Api, plant: None) -> None:
    key = _key(api)
    for header in (None, "", "irk_wrong", "x" * 5000, f" {key['api_key']}x"):
        response = _event(api, header)
        assert response.status_code == 401, header
        assert response.json_body["error"]["code"] == "unauthorized"
    bearer = api.client.http.post("/integrations/events", body=json.dumps(EVENT), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens['admin']}"})
    assert bearer.status_code == 401  # a person's token is not an integration key
    assert _event(api, key["api_key"]).status_code == 201
    assert api.call("admin", "DELETE", f"/integration-keys/{key['key_id']}").status_code == 204
    revoked = _event(api, key["api_key"])
    assert revoked.status_code == 401 and revoked.json_body["error"]["code"] == "unauthorized"
    assert api.call("admin", "GET", "/integration-keys").json_body["integration_keys"][0]["revoked_at"]


def test_a_key_bound_to_a_line_cannot_raise_for_another_line(api: Api, plant: None) -> None:
    key = _key(api, "L-A")
    refused = _event(api, key["api_key"], {**EVENT, "line_id": "L-B"})
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "forbidden"
    assert _event(api, key["api_key"], {**EVENT, "line_id": "L-A"}).status_code == 201
    own = _event(api, key["api_key"], {**EVENT, "station_id": "WB-01"})  # the key's line is implied
    assert own.status_code == 200
    room = api.call("admin", "GET", f"/rooms/{own.json_body['room_id']}").json_body
    assert (room["line_id"], room["area_id"]) == ("L-A", "EOL")


def test_an_unbound_key_names_the_line_and_unknown_places_are_400(api: Api, plant: None) -> None:
    key = _key(api, None)
    missing = _event(api, key["api_key"])
    assert missing.status_code == 400 and missing.json_body["error"]["details"][0]["field"] == "line_id"
    unknown = _event(api, key["api_key"], {**EVENT, "line_id": "L-GONE"})
    assert unknown.status_code == 400 and unknown.json_body["error"]["details"][0]["field"] == "line_id"
    station = _event(api, key["api_key"], {**EVENT, "line_id": "L-B", "station_id": "WB-01"})
    assert station.status_code == 400 and station.json_body["error"]["details"][0]["field"] == "station_id"
    made = _event(api, key["api_key"], {**EVENT, "line_id": "L-A", "station_id": "WB-01"})
    assert made.status_code == 201
    room = api.call("admin", "GET", f"/rooms/{made.json_body['room_id']}").json_body
    assert (room["line_id"], room["station_id"]) == ("L-A", "WB-01")


def test_events_over_the_keys_rate_are_429_with_retry_after(api: Api, plant: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("INTEGRATION_EVENT_RATE", "0.01")
    monkeypatch.setenv("INTEGRATION_EVENT_BURST", "2")
    get_settings.cache_clear()
    key, other = _key(api), _key(api, name="第二台 MES")
    assert [_event(api, key["api_key"]).status_code for _ in range(2)] == [201, 200]
    limited = _event(api, key["api_key"])
    assert limited.status_code == 429
    assert limited.json_body["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    assert _event(api, key["api_key"], {"event_code": "bad body"}).status_code == 429  # the rate comes first
    assert _event(api, other["api_key"]).status_code == 200  # per key


def test_a_rate_of_zero_stops_the_key_after_its_burst(api: Api, plant: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("INTEGRATION_EVENT_RATE", "0")
    monkeypatch.setenv("INTEGRATION_EVENT_BURST", "1")
    get_settings.cache_clear()
    key = _key(api)
    assert _event(api, key["api_key"]).status_code == 201
    stopped = _event(api, key["api_key"])
    assert stopped.status_code == 429 and stopped.headers["Retry-After"] == "3600"


# ------------------------------------------------------------------------------ events: rooms
def test_the_first_event_opens_a_room_owned_by_the_keys_administrator_with_the_on_duty_people(
        api: Api, plant: None) -> None:
    roster = {"shifts": [{"name": "全天", "start": "00:00", "end": "00:00", "users": [TECH, ADMIN]}]}
    assert api.call("admin", "PUT", "/rosters/L-A", roster).status_code == 200
    key = _key(api)
    opened = _event(api, key["api_key"], {**EVENT, "occurred_at": "2025-11-17T18:00:00+08:00"})
    assert opened.status_code == 201
    assert opened.json_body == {"room_id": opened.json_body["room_id"], "created": True}
    room_id = opened.json_body["room_id"]
    room = api.call("admin", "GET", f"/rooms/{room_id}").json_body
    assert room["incident_type"] == "equipment_failure" and room["severity"] == "medium"
    assert room["equipment_id"] == "WB-01-TOOL" and room["status"] == "active"
    assert room["title"].startswith("E-OVERTEMP WB-01-TOOL") and "Zone 3" in room["title"]
    assert room["created_by"] == ADMIN
    roles = {m["user_id"]: m["role"] for m in api.call("admin", "GET", f"/rooms/{room_id}/members")
             .json_body["members"]}
    assert roles == {ADMIN: "OWNER", TECH: "EDITOR"}
    inbox = api.call("outsider", "GET", "/notifications").json_body["notifications"]
    assert [n["kind"] for n in inbox if n["room_id"] == room_id] == ["added_to_room"]
    messages = [m for m in _messages(api, room_id) if m["message_type"] != "system"]
    assert [m["message_type"] for m in messages] == ["text", "incident_data"]
    assert {m["sender_id"] for m in messages} == {f"integration:{key['key_id']}"}
    assert messages[0]["content"] == "【MES 焊線 A】E-OVERTEMP · WB-01-TOOL\n回焊爐 Zone 3 溫度過高"
    assert messages[1]["content"] == {"temp_c": 265.5, "zone": 3, "timestamp": "2025-11-17T10:00:00.000Z"}
    assert api.call("admin", "GET", "/integration-keys").json_body["integration_keys"][0]["last_used_at"]


def test_a_given_severity_is_kept_and_the_people_of_the_room_can_read_it(api: Api, plant: None) -> None:
    key = _key(api)
    made = _event(api, key["api_key"], {**EVENT, "severity": "critical", "readings": None})
    room_id = made.json_body["room_id"]
    assert api.call("admin", "GET", f"/rooms/{room_id}").json_body["severity"] == "critical"
    assert api.call("owner", "GET", f"/rooms/{room_id}").status_code == 403  # not a member
    assert [m["message_type"] for m in _messages(api, room_id)] == ["text"]  # no readings, no data message


def test_identical_events_append_to_the_open_room_and_readings_become_the_series(
        api: Api, plant: None, management_api: Any, message_stream: StreamPump) -> None:
    import app

    key = _key(api)
    answers = [_event(api, key["api_key"], {**EVENT, "readings": {"temp_c": 260 + i}}) for i in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert [a.json_body["created"] for a in answers] == [True, False, False]
    assert len({a.json_body["room_id"] for a in answers}) == 1
    room_id = answers[0].json_body["room_id"]
    message_stream.pump(app.message_fanout)
    series = api.call("admin", "GET", f"/rooms/{room_id}/incident-data?field=temp_c").json_body
    assert [p["value"] for p in series["points"]] == [260, 261, 262]
    texts = [m for m in _messages(api, room_id) if m["message_type"] == "text"]
    assert len(texts) == 3  # a retried event is another reading: appended, never a second room
    other_code = _event(api, key["api_key"], {**EVENT, "event_code": "E-DOOR"})
    other_tool = _event(api, key["api_key"], {**EVENT, "equipment_id": "WB-02-TOOL"})
    assert other_code.status_code == other_tool.status_code == 201
    assert len({room_id, other_code.json_body["room_id"], other_tool.json_body["room_id"]}) == 3


def test_a_resent_event_with_its_event_id_appends_nothing_twice(api: Api, plant: None) -> None:
    key = _key(api)
    event = {**EVENT, "event_id": "MES-2026-000123", "readings": {"temp_c": 262}}
    first, resent = _event(api, key["api_key"], event), _event(api, key["api_key"], event)
    assert (first.status_code, resent.status_code) == (201, 200)
    room_id = first.json_body["room_id"]
    assert resent.json_body["room_id"] == room_id
    kinds = [m["message_type"] for m in _messages(api, room_id) if m["message_type"] != "system"]
    assert kinds == ["text", "incident_data"]
    _event(api, key["api_key"], {**event, "event_id": "MES-2026-000124"})
    assert len([m for m in _messages(api, room_id) if m["message_type"] == "text"]) == 2
    assert _event(api, key["api_key"], {**EVENT, "event_id": "bad id!"}).status_code == 400


@pytest.mark.parametrize("closing", ["resolved", "archived"])
def test_after_the_room_is_resolved_or_archived_a_new_room_opens(api: Api, plant: None, closing: str) -> None:
    key = _key(api)
    first = _event(api, key["api_key"]).json_body["room_id"]
    if closing == "resolved":
        _resolve(api, first)
    else:
        assert api.call("admin", "DELETE", f"/rooms/{first}").status_code == 204
    again = _event(api, key["api_key"])
    assert again.status_code == 201 and again.json_body["room_id"] != first
    assert _event(api, key["api_key"]).json_body == {"room_id": again.json_body["room_id"], "created": False}
    old = [m for m in _messages(api, first) if m["message_type"] == "text"]
    assert len(old) == 1  # nothing more went into the closed room


def test_a_claim_whose_room_never_appeared_is_waited_for_then_taken_over(
        api: Api, plant: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core import clock
    from chalicelib.integrations import service
    from chalicelib.integrations.models import OpenIncidentModel

    key = _key(api)
    dedup = "L-A#WB-01-TOOL#E-OVERTEMP"
    OpenIncidentModel(dedup, claim_id=clock.new_id(), claimed_at=clock.now(), key_id=key["key_id"]).save()
    monkeypatch.setattr(service, "WAIT_FOR_ROOM_SECONDS", 0.2)
    waiting = _event(api, key["api_key"])
    assert waiting.status_code == 503 and waiting.json_body["error"]["code"] == "unavailable"
    # a recorded room that a read does not show yet (eventually consistent) is waited for too
    ghost = OpenIncidentModel("L-A#WB-09#E-X", claim_id=clock.new_id(), claimed_at=0, key_id=key["key_id"],
                              room_id=clock.new_id())
    ghost.save()
    assert _event(api, key["api_key"], {**EVENT, "equipment_id": "WB-09", "event_code": "E-X"}).status_code == 503
    later = clock.now() + service.CLAIM_STALE_SECONDS + 1
    monkeypatch.setattr(clock, "now", lambda: later)
    taken = _event(api, key["api_key"])
    assert taken.status_code == 201
    assert OpenIncidentModel.get(dedup).room_id == taken.json_body["room_id"]


def test_a_failed_room_creation_gives_the_claim_back(api: Api, plant: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core.errors import Unavailable
    from chalicelib.integrations import service
    from chalicelib.integrations.models import OpenIncidentModel

    key = _key(api)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise Unavailable("rooms table down")

    with monkeypatch.context() as patched:
        patched.setattr(service.rooms, "create_room", broken)
        assert _event(api, key["api_key"]).status_code == 503
    assert OpenIncidentModel.count() == 0  # tests only: nothing left claiming the equipment
    assert _event(api, key["api_key"]).status_code == 201


# ------------------------------------------------------------------------------ hostile input
HOSTILE: list[Any] = [
    {}, {"equipment_id": "X", "event_code": "E1"}, {"equipment_id": "X", "message": "m"},
    {**EVENT, "equipment_id": ""}, {**EVENT, "equipment_id": "   "}, {**EVENT, "equipment_id": "\u202eX"},
    {**EVENT, "equipment_id": "x" * 65}, {**EVENT, "event_code": "has space"}, {**EVENT, "event_code": "a#b"},
    {**EVENT, "event_code": "x" * 41}, {**EVENT, "event_code": ""}, {**EVENT, "message": ""},
    {**EVENT, "message": "  \n "}, {**EVENT, "message": "bell\x07"}, {**EVENT, "message": "x" * 2001},
    {**EVENT, "severity": "urgent"}, {**EVENT, "readings": {"temp": "hot"}}, {**EVENT, "readings": {"temp": True}},
    {**EVENT, "readings": {"temp": None}}, {**EVENT, "readings": {"temp": [1]}}, {**EVENT, "readings": {"1bad": 1}},
    {**EVENT, "readings": {"timestamp": 1}}, {**EVENT, "readings": {"t": 1e16}},
    {**EVENT, "readings": {f"f{i}": i for i in range(21)}}, {**EVENT, "readings": [1, 2]},
    {**EVENT, "occurred_at": "yesterday"}, {**EVENT, "occurred_at": "2025-11-17T10:00:00"},
    {**EVENT, "occurred_at": "2999-01-01T00:00:00Z"}, {**EVENT, "occurred_at": 1700000000},
    {**EVENT, "line_id": "bad id!"}, {**EVENT, "extra": 1}, {**EVENT, "equipment_id": 7}, ["not", "an", "object"],
]
RAW = ['{"equipment_id": "X", "event_code": "E", "message": "\\ud800"}', "{", "[" * 100 + "]" * 100,
       '{"equipment_id": "X", "event_code": "E", "message": "m", "readings": {"t": NaN}}',
       '{"equipment_id": "X", "event_code": "E", "message": "m", "readings": {"t": 1e999}}', "\xff"]


@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_event_bodies_are_400(api: Api, plant: None, body: Any) -> None:
    key = _key(api)
    response = _event(api, key["api_key"], body)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["code"] == "validation_error" and response.json_body["error"]["details"]


@pytest.mark.parametrize("raw", RAW, ids=range(len(RAW)))
def test_hostile_raw_bodies_are_400(api: Api, plant: None, raw: str) -> None:
    key = _key(api)
    response = _event(api, key["api_key"], raw=raw)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["code"] == "validation_error"


def test_the_api_document_names_the_integration_key_header(client: Any) -> None:
    document = client.http.get("/openapi.json").json_body
    assert document["paths"]["/integrations/events"]["post"]["security"] == [{"api_key": []}]
    assert document["components"]["securitySchemes"]["api_key"] == {
        "type": "apiKey", "in": "header", "name": "X-Api-Key", "description": "An integration key (machines, MES)"}
    assert document["paths"]["/integration-keys"]["get"]["security"] == [{"bearer": []}]
