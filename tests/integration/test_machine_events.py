"""Machine-raised incidents on DynamoDB Local (issue 12, item 5): 20 concurrent identical machine
events open one room and append 20 readings; a revoked key is 401; a key for line A raising for
line B is 403.

Two levels: the use case called from 20 threads at once (the conditional claim under real
concurrency), and 20 concurrent HTTP requests through two local gateways on the same tables (two
"containers", each running one invocation at a time like a warm Lambda), with the readings
arriving as the room's incident-data series through the gateways' stream pollers."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration
CONCURRENT = 20
PLANT: dict[str, Any] = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [{"area_id": "EOL", "name": "後段", "lines": [
    {"line_id": "L-A", "name": "焊線 A", "stations": [{"station_id": "WB-01", "name": "WB-01"}]},
    {"line_id": "L-B", "name": "焊線 B", "stations": []}]}]}]}


def _together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at the same moment; their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


# ------------------------------------------------------------------------------ the use case, 20 threads
def test_twenty_simultaneous_events_open_one_room_and_append_twenty_readings(on_dynamodb_local: str) -> None:
    from chalicelib.auth.principal import Principal
    from chalicelib.integrations import keys, service
    from chalicelib.integrations.models import OpenIncidentModel
    from chalicelib.integrations.schemas import CreateIntegrationKey, MachineEvent
    from chalicelib.plant import service as plant
    from chalicelib.plant.schemas import PlantTree
    from chalicelib.timeline.models import MessageModel

    admin = Principal(user_id="lin.admin@panjit.com.tw", display_name="林志明", department="", is_admin=True,
                      session_id="s")
    plant.put_plant(admin, PlantTree.model_validate(PLANT))
    api_key = keys.create_key(admin, CreateIntegrationKey(name="MES"))["api_key"]
    key = keys.authenticate_key(api_key)
    events = [MachineEvent(equipment_id="WB-01-TOOL", event_code="E-OVERTEMP", message=f"溫度過高 #{i}",
                           line_id="L-A", readings={"temp_c": 250 + i}) for i in range(CONCURRENT)]
    results = _together([lambda e=e: service.raise_event(key, e) for e in events])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    assert sorted(r["created"] for r in results) == [False] * (CONCURRENT - 1) + [True]
    room_ids = {r["room_id"] for r in results}
    assert len(room_ids) == 1
    room_id = room_ids.pop()
    assert OpenIncidentModel.get("L-A#WB-01-TOOL#E-OVERTEMP", consistent_read=True).room_id == room_id
    messages = list(MessageModel.query(room_id, consistent_read=True))
    data = [m for m in messages if m.message_type == "incident_data"]
    assert sorted(m.content["temp_c"] for m in data) == [250 + i for i in range(CONCURRENT)]
    assert len([m for m in messages if m.message_type == "text"]) == CONCURRENT
    assert [int(m.sequence_number) for m in messages] == list(range(1, len(messages) + 1))  # contiguous


# ------------------------------------------------------------------------------ through the gateway
@pytest.fixture(scope="module")
def gateways(dynamodb_local: DynamoDBLocal) -> Iterator[tuple[Gateway, Gateway]]:
    prefix = f"me{uuid.uuid4().hex[:6]}"
    env = {"INTEGRATION_EVENT_BURST": "100"}
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=prefix, env=env) as first, \
            run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=prefix, env=env) as second:
        yield first, second


def _admin(gw: Gateway) -> dict[str, str]:
    response = requests.post(f"{gw.url}/api/auth/login", json={"username": "lin.admin", "password": PASSWORD},
                             timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def admin(gateways: tuple[Gateway, Gateway]) -> dict[str, str]:
    headers = _admin(gateways[0])
    assert requests.put(f"{gateways[0].url}/api/plant", json=PLANT, headers=headers, timeout=10).status_code == 200
    return headers


def _key(gw: Gateway, admin: dict[str, str], **body: Any) -> dict[str, Any]:
    made = requests.post(f"{gw.url}/api/integration-keys", json={"name": "MES 焊線 A", **body}, headers=admin,
                         timeout=10)
    assert made.status_code == 201, made.text
    return dict(made.json())


def _raise(gw: Gateway, api_key: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{gw.url}/api/integrations/events", json=body, headers={"X-Api-Key": api_key}, timeout=60)


def test_twenty_concurrent_requests_answer_201_once_and_200_nineteen_times(
        gateways: tuple[Gateway, Gateway], admin: dict[str, str]) -> None:
    key = _key(gateways[0], admin, line_id="L-A")
    body = {"equipment_id": "WB-01-TOOL", "event_code": "E-OVERTEMP", "message": "回焊爐 Zone 3 溫度過高",
            "severity": "high", "readings": {"temp_c": 265.5}}
    with ThreadPoolExecutor(CONCURRENT) as pool:
        barrier = threading.Barrier(CONCURRENT)

        def send(i: int) -> requests.Response:
            barrier.wait()
            return _raise(gateways[i % 2], key["api_key"], {**body, "readings": {"temp_c": 250 + i}})

        answers = list(pool.map(send, range(CONCURRENT)))
    assert sorted(a.status_code for a in answers) == [200] * (CONCURRENT - 1) + [201], [a.text for a in answers]
    assert {a.json()["created"] for a in answers if a.status_code == 201} == {True}
    room_ids = {a.json()["room_id"] for a in answers}
    assert len(room_ids) == 1
    room_id = room_ids.pop()
    room = requests.get(f"{gateways[1].url}/api/rooms/{room_id}", headers=admin, timeout=10).json()
    assert (room["severity"], room["line_id"], room["equipment_id"]) == ("high", "L-A", "WB-01-TOOL")
    # the readings become the room's series through the Messages stream (both gateways poll it)
    deadline = time.monotonic() + 30
    points: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        points = requests.get(f"{gateways[0].url}/api/rooms/{room_id}/incident-data", params={"field": "temp_c"},
                              headers=admin, timeout=10).json()["points"]
        if len(points) >= CONCURRENT:
            break
        time.sleep(0.3)
    assert sorted(p["value"] for p in points) == [250 + i for i in range(CONCURRENT)], gateways[0].output()[-2000:]
    history = requests.get(f"{gateways[0].url}/api/rooms/{room_id}/messages", params={"limit": 100}, headers=admin,
                           timeout=10).json()["messages"]
    assert len([m for m in history if m["message_type"] == "text"]) == CONCURRENT


def test_a_revoked_key_is_401_and_a_key_for_line_a_raising_for_line_b_is_403(
        gateways: tuple[Gateway, Gateway], admin: dict[str, str]) -> None:
    first, second = gateways
    key = _key(first, admin, line_id="L-A")
    body = {"equipment_id": "DB-07", "event_code": "E-JAM", "message": "卡料 Jam"}
    refused = _raise(first, key["api_key"], {**body, "line_id": "L-B"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert _raise(first, key["api_key"], body).status_code == 201
    assert requests.delete(f"{first.url}/api/integration-keys/{key['key_id']}", headers=admin,
                           timeout=10).status_code == 204
    for gw in (first, second):  # every container refuses it at once: the key is read on every event
        revoked = _raise(gw, key["api_key"], body)
        assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "unauthorized"
    listed = requests.get(f"{second.url}/api/integration-keys", headers=admin, timeout=10).json()
    mine = next(k for k in listed["integration_keys"] if k["key_id"] == key["key_id"])
    assert mine["revoked_at"] and mine["last_used_at"] and "api_key" not in mine
