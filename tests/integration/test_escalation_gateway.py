"""The response loop end to end with real time (issue 11): the local gateway runs the app's
scheduled function; a policy's 1-minute step escalates to whoever is on duty, whose open
WebSocket gets the ``notification`` frame and whose inbox lists it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from websockets.sync.client import connect

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration
ON_DUTY = "huang.tech@panjit.com.tw"


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal) -> Iterator[Gateway]:
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=f"es{uuid.uuid4().hex[:6]}",
                     extra_args=["--schedule-every", "2"]) as gw:
        yield gw


def _token(gw: Gateway, user: str) -> str:
    response = requests.post(f"{gw.url}/api/auth/login", json={"username": user, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _call(gw: Gateway, token: str, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, f"{gw.url}/api{path}", json=body, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})


def test_a_one_minute_step_reaches_the_on_duty_technician_live_and_in_the_inbox(gateway: Gateway) -> None:
    admin, owner, tech = (_token(gateway, u) for u in ("lin.admin", "wang.owner", "huang.tech"))
    plant = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [{"area_id": "EOL", "name": "後段", "lines": [
        {"line_id": "L-WB1", "name": "焊線 1", "stations": []}]}]}]}
    assert _call(gateway, admin, "PUT", "/plant", plant).status_code == 200
    roster = {"shifts": [{"name": "全天 All day", "start": "00:00", "end": "00:00", "users": [ON_DUTY]}]}
    assert _call(gateway, admin, "PUT", "/rosters/L-WB1", roster).status_code == 200
    policy = _call(gateway, admin, "POST", "/escalation-policies", {"name": "test", "steps": [
        {"after_minutes": 0, "notify": {"roles": ["OWNER"]}},
        {"after_minutes": 1, "notify": {"on_duty": ["L-WB1"]}}]}).json()["policy_id"]
    ticket = _call(gateway, tech, "POST", "/auth/ws-ticket").json()["ticket"]
    with connect(f"{gateway.ws_url}?ticket={ticket}", open_timeout=10) as ws:
        room = _call(gateway, owner, "POST", "/rooms", {"title": "焊線機斷線", "incident_type": "equipment_failure",
                                                        "severity": "critical", "line_id": "L-WB1",
                                                        "escalation_policy_id": policy}).json()
        due_at = time.time() + 60  # the second step's due time (the first fires at once)
        deadline = time.monotonic() + 120
        notification = None
        while notification is None and time.monotonic() < deadline:
            try:
                frame = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            except TimeoutError:
                break
            if frame.get("type") == "notification" and frame["notification"]["kind"] == "escalation":
                notification = frame["notification"]
        fired_after = time.time() - due_at
    assert notification is not None, gateway.output()[-3000:]
    assert notification["room_id"] == room["room_id"]
    print(f"\nescalation step fired {fired_after:.1f} s after its due time (scheduler every 2 s)")
    assert fired_after < 60  # at most one minute late
    inbox = _call(gateway, tech, "GET", "/notifications").json()
    assert notification["notification_id"] in [n["notification_id"] for n in inbox["notifications"]]
    assert inbox["unread_count"] >= 1
    members = {m["user_id"]: m["role"] for m in _call(gateway, owner, "GET", f"/rooms/{room['room_id']}/members")
               .json()["members"]}
    assert members[ON_DUTY] == "EDITOR"  # added so they can open, answer and acknowledge
    taken = _call(gateway, tech, "POST", f"/rooms/{room['room_id']}/acknowledge").json()
    assert taken["acknowledged_by"] == ON_DUTY and taken["escalation_level"] == 2
