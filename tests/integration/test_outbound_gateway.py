"""Deliveries beyond the app through the local gateway on DynamoDB Local (issue 12): a new
notification goes notifications stream → ``notification_fanout`` → the emulated SQS queue →
``outbound_deliveries`` → a Web Push to a fake push service on loopback, whose payload decrypts
with the subscription's keys; a push service failing at first is retried with backoff, and the
delivery is made once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway
from tests.servers.push_service import Browser, FakePushService, vapid_env

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def push_service() -> Iterator[FakePushService]:
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal) -> Iterator[Gateway]:
    env = {**vapid_env(), "PUSH_ALLOW_ANY_ENDPOINT": "true", "OUTBOUND_BACKOFF_SECONDS": "1"}
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=f"ob{uuid.uuid4().hex[:6]}",
                     env=env) as gw:
        yield gw


def _token(gw: Gateway, user: str) -> str:
    response = requests.post(f"{gw.url}/api/auth/login", json={"username": user, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _call(gw: Gateway, token: str, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, f"{gw.url}/api{path}", json=body, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})


def _wait(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_being_added_to_a_room_pushes_to_the_browser_once_after_a_failing_first_attempt(
        gateway: Gateway, push_service: FakePushService) -> None:
    owner, tech = _token(gateway, "wang.owner"), _token(gateway, "huang.tech")
    browser = Browser(f"{push_service.url}/push/{uuid.uuid4().hex}")
    subscribed = _call(gateway, tech, "POST", "/me/push-subscriptions", browser.subscription)
    assert subscribed.status_code == 201, subscribed.text
    assert len(_call(gateway, tech, "GET", "/me/push-subscriptions").json()["public_key"]) == 87
    _call(gateway, tech, "PUT", "/me/notification-settings", {"email": False, "web_push": True})
    push_service.statuses = [503]  # the push service is down for the first attempt
    room = _call(gateway, owner, "POST", "/rooms", {"title": "推播測試 Push", "incident_type": "other"}).json()
    started = time.monotonic()
    added = _call(gateway, owner, "POST", f"/rooms/{room['room_id']}/members",
                  {"user_id": "huang.tech@panjit.com.tw", "role": "EDITOR"})
    assert added.status_code == 201, added.text
    _wait(lambda: len(push_service.requests) >= 2)
    elapsed = time.monotonic() - started
    time.sleep(2.5)  # anything more would be a duplicate
    mine = [r for r in push_service.requests if r[0] == browser.subscription["endpoint"].split(push_service.url)[1]]
    assert len(mine) == 2, mine
    payload = browser.decrypt(mine[1][2])
    assert payload["url"] == f"/rooms/{room['room_id']}" and payload["kind"] == "added_to_room"
    assert "推播測試" in payload["title"]
    info = requests.get(f"{gateway.url}/__local/info", timeout=10).json()["queues"]
    (outbound,) = [q for q in info["queues"] if q["name"].endswith("-outbound")]
    assert outbound["dead"] == 0 and outbound["visible"] == 0 and outbound["delayed_or_in_flight"] == 0
    print(f"\nadded_to_room → Web Push: delivered on attempt 2 after a 503, {elapsed:.1f}s after the REST call "
          f"(backoff 1 s); queue {outbound}")
