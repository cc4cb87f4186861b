"""A flooding user is held to the message rate while everyone else keeps their latency (issue 16).

One EDITOR sends at 10× ``MESSAGE_RATE`` into one room and gets ``rate_limited`` frames for the
excess; meanwhile another user's messages in another room are delivered with a send→receive
p50 within 2× of the same measurement with no flood. Gateway on DynamoDB Local, default limits.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from websockets.sync.client import ClientConnection, connect

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration
RATE = 5  # the default MESSAGE_RATE (messages per second per user)


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal) -> Iterator[Gateway]:
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=f"fl{uuid.uuid4().hex[:6]}") as gw:
        yield gw


def _token(gw: Gateway, user: str) -> str:
    response = requests.post(f"{gw.url}/api/auth/login", json={"username": user, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _socket(gw: Gateway, token: str, room: str) -> ClientConnection:
    ticket = requests.post(f"{gw.url}/api/auth/ws-ticket", headers={"Authorization": f"Bearer {token}"},
                           timeout=10).json()["ticket"]
    ws = connect(f"{gw.ws_url}?ticket={ticket}", open_timeout=10)
    ws.send(json.dumps({"type": "subscribe", "room_id": room}))
    while json.loads(ws.recv(timeout=10))["type"] != "subscribed":
        pass
    return ws


def _room(gw: Gateway, owner: str, members: dict[str, str]) -> str:
    headers = {"Authorization": f"Bearer {owner}"}
    room = requests.post(f"{gw.url}/api/rooms", headers=headers, timeout=10,
                         json={"title": "flood", "incident_type": "other"}).json()["room_id"]
    for user, role in members.items():
        added = requests.post(f"{gw.url}/api/rooms/{room}/members", headers=headers, timeout=10,
                              json={"user_id": user, "role": role})
        assert added.status_code == 201, added.text
    return str(room)


def _latencies(sender: ClientConnection, receiver: ClientConnection, room: str, count: int) -> list[float]:
    """Send ``count`` messages one after another; seconds from send to the receiver's frame."""
    out = []
    for i in range(count):
        client_id = str(uuid.uuid4())
        started = time.perf_counter()
        sender.send(json.dumps({"type": "message", "room_id": room, "client_id": client_id, "content": f"量測 {i}"}))
        while True:
            frame = json.loads(receiver.recv(timeout=15))
            if frame.get("type") == "message" and frame["message"]["client_id"] == client_id:
                out.append(time.perf_counter() - started)
                break
        time.sleep(1 / RATE)  # the measuring user stays within the limit itself
    return out


def test_a_flooding_user_is_limited_and_others_keep_their_latency(gateway: Gateway) -> None:
    owner, editor, viewer = (_token(gateway, u) for u in ("wang.owner", "chen.editor", "lee.viewer"))
    flood_room = _room(gateway, owner, {"chen.editor@panjit.com.tw": "EDITOR"})
    quiet_room = _room(gateway, owner, {"lee.viewer@panjit.com.tw": "VIEWER"})
    sender, receiver = _socket(gateway, owner, quiet_room), _socket(gateway, viewer, quiet_room)
    idle = _latencies(sender, receiver, quiet_room, 15)

    flooder = _socket(gateway, editor, flood_room)
    replies: dict[str, int] = {}
    stop = threading.Event()

    def read_replies() -> None:
        while not stop.is_set():
            try:
                frame: dict[str, Any] = json.loads(flooder.recv(timeout=0.5))
            except TimeoutError:
                continue
            except Exception:  # noqa: BLE001 - the socket closed at the end
                return
            key = frame.get("code") or frame["type"]
            replies[key] = replies.get(key, 0) + 1

    def flood() -> None:
        sent = 0
        started = time.perf_counter()
        while not stop.is_set():
            flooder.send(json.dumps({"type": "message", "room_id": flood_room, "client_id": str(uuid.uuid4()),
                                     "content": "flood"}))
            sent += 1
            time.sleep(max(0.0, started + sent / (10 * RATE) - time.perf_counter()))

    threads = [threading.Thread(target=read_replies), threading.Thread(target=flood)]
    for thread in threads:
        thread.start()
    try:
        busy = _latencies(sender, receiver, quiet_room, 15)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        for ws in (flooder, sender, receiver):
            ws.close()
    print(f"\nflood: replies {replies}; send→receive p50 idle {statistics.median(idle) * 1000:.0f} ms, "
          f"during the flood {statistics.median(busy) * 1000:.0f} ms")
    assert replies.get("rate_limited", 0) > replies.get("ack", 0) > 0
    assert statistics.median(busy) <= 2 * statistics.median(idle)
