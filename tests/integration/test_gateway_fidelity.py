"""Local gateway fidelity for hostile clients (issue 16): security headers as on CloudFront,
access logs without query-string values, bounded per-connection frame queues with API
Gateway's throttling answer, and a gone client's waiting frames dropped."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from websockets.sync.client import ClientConnection, connect

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal) -> Iterator[Gateway]:
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=f"gf{uuid.uuid4().hex[:6]}") as gw:
        yield gw


def _socket(gw: Gateway) -> ClientConnection:
    token = requests.post(f"{gw.url}/api/auth/login", json={"username": "chen.editor", "password": PASSWORD},
                          timeout=10).json()["access_token"]
    ticket = requests.post(f"{gw.url}/api/auth/ws-ticket", headers={"Authorization": f"Bearer {token}"},
                           timeout=10).json()["ticket"]
    return connect(f"{gw.ws_url}?ticket={ticket}", open_timeout=10)


def test_the_spa_is_served_with_a_csp_and_the_api_with_nosniff(gateway: Gateway) -> None:
    page = requests.get(f"{gateway.url}/rooms", timeout=10)
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp
    assert gateway.ws_url.rsplit("/", 1)[0] in csp  # the WebSocket origin may be connected to
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] and page.headers["Permissions-Policy"]
    api = requests.get(f"{gateway.url}/api/auth/me", timeout=10)
    assert api.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" not in api.headers


def test_access_logs_name_query_parameters_without_their_values(gateway: Gateway) -> None:
    requests.get(f"{gateway.url}/api/rooms?cursor=secret-token-value&limit=5", timeout=10)
    deadline = time.monotonic() + 10
    while "GET /api/rooms?" not in gateway.output() and time.monotonic() < deadline:
        time.sleep(0.1)
    line = next(line for line in gateway.output().splitlines() if "GET /api/rooms?" in line)
    assert "cursor=…&limit=…" in line and "secret-token-value" not in gateway.output()


def test_a_frame_flood_is_bounded_and_a_gone_clients_frames_are_dropped(gateway: Gateway) -> None:
    ws = _socket(gateway)
    for _ in range(3000):
        ws.send(json.dumps({"type": "typing", "room_id": str(uuid.uuid4()), "is_typing": True}))
    throttled = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            frame = json.loads(ws.recv(timeout=2))
        except TimeoutError:
            break
        throttled += frame.get("message") == "Too Many Requests"
    assert throttled > 0  # beyond the bound: API Gateway's answer, not an unbounded queue
    ws.send(json.dumps({"type": "ping"}))
    while json.loads(ws.recv(timeout=30)).get("type") != "pong":
        pass
    for _ in range(1000):
        ws.send(json.dumps({"type": "typing", "room_id": str(uuid.uuid4()), "is_typing": True}))
    ws.close()
    deadline = time.monotonic() + 10
    info = requests.get(f"{gateway.url}/__local/info", timeout=10).json()
    while info["frames_waiting"] and time.monotonic() < deadline:
        time.sleep(0.2)
        info = requests.get(f"{gateway.url}/__local/info", timeout=10).json()
    assert info["frames_waiting"] == 0  # dropped at once, not worked through
