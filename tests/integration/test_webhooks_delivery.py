"""Signed webhooks end to end (issue 12 item 4): the local gateway on DynamoDB Local reads the
rooms stream, queues the deliveries on its SQS and POSTs them to a real HTTP receiver on
loopback (``WEBHOOK_ALLOW_PRIVATE=true``, as ``make dev``), with short backoffs.

* creating a room → exactly one POST whose signature verifies;
* a receiver failing twice → delivered on the third attempt;
* a receiver down for good → ``failed`` with its attempts in the delivery log, while chat
  messages keep flowing.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from websockets.sync.client import connect

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration
MAX_ATTEMPTS = 3


class Receiver:
    """A webhook receiver on loopback: answers each POST with the next planned status (the last
    one repeats) and records what it got."""

    def __init__(self, *plan: int) -> None:
        self.plan = list(plan) or [200]
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()},
                                              "body": body, "at": time.monotonic()})
                    status = receiver.plan.pop(0) if len(receiver.plan) > 1 else receiver.plan[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(*plan: int) -> Receiver:
        made.append(Receiver(*plan))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal) -> Iterator[Gateway]:
    env = {"WEBHOOK_ALLOW_PRIVATE": "true", "OUTBOUND_BACKOFF_SECONDS": "0.5",  # 0 s, then 2 s
           "OUTBOUND_MAX_ATTEMPTS": str(MAX_ATTEMPTS)}
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=f"wh{uuid.uuid4().hex[:6]}",
                     env=env) as gw:
        yield gw


def _token(gw: Gateway, user: str) -> str:
    response = requests.post(f"{gw.url}/api/auth/login", json={"username": user, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _call(gw: Gateway, token: str, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{gw.url}/api{path}", json=body, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def webhooks(gateway: Gateway) -> Iterator[Callable[[str, list[str]], dict[str, Any]]]:
    """Registers webhooks as the administrator; deletes them afterwards (the next test's rooms
    must not reach this test's receivers)."""
    admin = _token(gateway, "lin.admin")
    made: list[str] = []

    def register(url: str, events: list[str]) -> dict[str, Any]:
        response = _call(gateway, admin, "POST", "/webhooks", {"url": url, "events": events, "description": "test"})
        assert response.status_code == 201, response.text
        made.append(response.json()["webhook_id"])
        return dict(response.json())

    yield register
    for webhook_id in made:
        assert _call(gateway, admin, "DELETE", f"/webhooks/{webhook_id}").status_code == 204


def _until(check: Callable[[], Any], timeout: float, what: str, gw: Gateway) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{gw.output()[-3000:]}")


def _deliveries(gw: Gateway, admin: str, webhook_id: str) -> list[dict[str, Any]]:
    response = _call(gw, admin, "GET", f"/webhooks/{webhook_id}/deliveries")
    assert response.status_code == 200, response.text
    return list(response.json()["deliveries"])


def _room(gw: Gateway, owner: str) -> str:
    made = _call(gw, owner, "POST", "/rooms", {"title": "L3 回焊爐溫度異常", "incident_type": "equipment_failure",
                                               "severity": "critical"})
    assert made.status_code == 201, made.text
    return str(made.json()["room_id"])


def test_creating_a_room_posts_one_signed_event(gateway: Gateway, receivers: Callable[..., Receiver],
                                                webhooks: Callable[..., dict[str, Any]]) -> None:
    from chalicelib.webhooks import signing

    admin, owner = _token(gateway, "lin.admin"), _token(gateway, "wang.owner")
    receiver = receivers(200)
    hook = webhooks(receiver.url, ["room_created"])
    room_id = _room(gateway, owner)
    _until(lambda: receiver.requests, 30, "the webhook POST", gateway)
    time.sleep(2)  # anything more would arrive meanwhile
    [request] = receiver.requests
    assert signing.verify(hook["secret"], request["body"], request["headers"]["x-signature-256"])
    payload = json.loads(request["body"])
    assert payload["event"] == "room_created" and payload["room"]["room_id"] == room_id
    assert payload["room"]["title"] == "L3 回焊爐溫度異常"
    assert payload["room"]["url"] == f"{gateway.url}/rooms/{room_id}"
    assert payload["actor"]["user_id"] == "wang.owner@panjit.com.tw"
    assert request["headers"]["x-webhook-event-id"] == payload["event_id"]
    [delivery] = _until(lambda: [d for d in _deliveries(gateway, admin, hook["webhook_id"])
                                 if d["status"] == "delivered"], 10, "the delivered log entry", gateway)
    assert (delivery["attempts"], delivery["event"]) == (1, "room_created")


def test_a_receiver_down_twice_gets_it_on_the_third_attempt(gateway: Gateway, receivers: Callable[..., Receiver],
                                                             webhooks: Callable[..., dict[str, Any]]) -> None:
    from chalicelib.webhooks import signing

    admin, owner = _token(gateway, "lin.admin"), _token(gateway, "wang.owner")
    receiver = receivers(503, 502, 200)
    hook = webhooks(receiver.url, ["room_acknowledged"])
    room_id = _room(gateway, owner)
    assert _call(gateway, owner, "POST", f"/rooms/{room_id}/acknowledge").status_code == 200
    [delivery] = _until(lambda: [d for d in _deliveries(gateway, admin, hook["webhook_id"])
                                 if d["status"] == "delivered"], 60, "delivery on the third attempt", gateway)
    assert delivery["attempts"] == 3 and delivery["event"] == "room_acknowledged"
    assert len(receiver.requests) == 3
    assert len({r["body"] for r in receiver.requests}) == 1  # the same event each time
    assert all(signing.verify(hook["secret"], r["body"], r["headers"]["x-signature-256"]) for r in receiver.requests)
    assert len({r["headers"]["x-webhook-delivery-id"] for r in receiver.requests}) == 1
    gaps = [b["at"] - a["at"] for a, b in zip(receiver.requests, receiver.requests[1:], strict=False)]
    assert gaps[1] >= 1.5, gaps  # backoff: 0.5 s × 4 before the third


def test_a_receiver_down_for_good_is_marked_failed_and_chat_keeps_flowing(
        gateway: Gateway, receivers: Callable[..., Receiver], webhooks: Callable[..., dict[str, Any]]) -> None:
    admin, owner = _token(gateway, "lin.admin"), _token(gateway, "wang.owner")
    receiver = receivers(500)
    hook = webhooks(receiver.url, ["room_created"])
    room_id = _room(gateway, owner)
    ticket = _call(gateway, owner, "POST", "/auth/ws-ticket").json()["ticket"]
    with connect(f"{gateway.ws_url}?ticket={ticket}", open_timeout=10) as ws:
        ws.send(json.dumps({"type": "subscribe", "room_id": room_id}))
        while json.loads(ws.recv(timeout=10)).get("type") != "subscribed":
            pass
        for n in range(3):
            ws.send(json.dumps({"type": "message", "room_id": room_id, "client_id": str(uuid.uuid4()),
                                "message_type": "text", "content": f"溫度 {250 + n}°C"}))
        seen: list[str] = []
        deadline = time.monotonic() + 20
        while len(seen) < 3 and time.monotonic() < deadline:
            frame = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if frame.get("type") == "message":
                seen.append(frame["message"]["content"])
        assert seen == ["溫度 250°C", "溫度 251°C", "溫度 252°C"]
    [delivery] = _until(lambda: [d for d in _deliveries(gateway, admin, hook["webhook_id"])
                                 if d["status"] == "failed"], 60, "the failed log entry", gateway)
    assert delivery["attempts"] == MAX_ATTEMPTS and delivery["last_error"] == "HTTP 500"
    time.sleep(1)
    assert len(receiver.requests) == MAX_ATTEMPTS  # and then it stops
