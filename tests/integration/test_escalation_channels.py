"""One escalation, every channel (issue 12's first "Done means" line), through the local gateway on
DynamoDB Local with real servers on loopback: a policy step escalates a room to huang, who is on
duty; in the same run he gets the inbox entry, the live ``notification`` frame, one e-mail at a
real SMTP server (aiosmtpd), one Web Push at a fake push service (the payload decrypts with his
subscription's keys) and the admin's webhook gets one ``room_escalated`` POST whose signature
verifies — each exactly once although every receiver refuses the first attempt."""

from __future__ import annotations

import email
import email.policy
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from websockets.sync.client import connect

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway
from tests.servers.processes import free_port
from tests.servers.push_service import Browser, FakePushService, vapid_env

pytestmark = pytest.mark.integration
HUANG = "huang.tech@panjit.com.tw"


class Mailbox:
    """An SMTP server's handler: refuses the first message with 451, then keeps each one."""

    def __init__(self) -> None:
        self.refused = 0
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refused == 0:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture(scope="module")
def receivers() -> Iterator[tuple[Mailbox, FakePushService, FakePushService, int]]:
    mailbox, push, hooks = Mailbox(), FakePushService(), FakePushService()
    port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    yield mailbox, push, hooks, port
    smtp.stop()
    push.close()
    hooks.close()


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal, receivers: tuple[Mailbox, FakePushService, FakePushService, int]
            ) -> Iterator[Gateway]:
    env = {**vapid_env(), "PUSH_ALLOW_ANY_ENDPOINT": "true", "OUTBOUND_BACKOFF_SECONDS": "1",
           "EMAIL_TRANSPORT": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(receivers[3]), "SMTP_TLS": "none",
           "WEBHOOK_ALLOW_PRIVATE": "true"}
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=f"ec{uuid.uuid4().hex[:6]}", env=env,
                     extra_args=["--schedule-every", "2"]) as gw:
        yield gw


def _token(gw: Gateway, user: str) -> str:
    response = requests.post(f"{gw.url}/api/auth/login", json={"username": user, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _call(gw: Gateway, token: str, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, f"{gw.url}/api{path}", json=body, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})


def _until(check: Callable[[], Any], what: str, gw: Gateway, timeout: float = 45.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n{gw.output()[-3000:]}"
        time.sleep(0.2)
    return result


def test_an_escalation_reaches_inbox_socket_mail_push_and_webhook_once_each(
        gateway: Gateway, receivers: tuple[Mailbox, FakePushService, FakePushService, int]) -> None:
    from chalicelib.webhooks import signing

    mailbox, push, hooks, _ = receivers
    admin, owner, tech = (_token(gateway, u) for u in ("lin.admin", "wang.owner", "huang.tech"))
    plant = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [{"area_id": "EOL", "name": "後段", "lines": [
        {"line_id": "L-WB2", "name": "焊線 2", "stations": []}]}]}]}
    assert _call(gateway, admin, "PUT", "/plant", plant).status_code == 200
    roster = {"shifts": [{"name": "全天 All day", "start": "00:00", "end": "00:00", "users": [HUANG]}]}
    assert _call(gateway, admin, "PUT", "/rosters/L-WB2", roster).status_code == 200
    policy = _call(gateway, admin, "POST", "/escalation-policies", {"name": "立即通知值班", "steps": [
        {"after_minutes": 0, "notify": {"on_duty": ["L-WB2"]}}]}).json()["policy_id"]
    hook = _call(gateway, admin, "POST", "/webhooks", {"url": f"{hooks.url}/mes", "events": ["room_escalated"]})
    assert hook.status_code == 201, hook.text
    browser = Browser(f"{push.url}/push/huang-phone")
    assert _call(gateway, tech, "POST", "/me/push-subscriptions", browser.subscription).status_code == 201
    push.statuses, hooks.statuses = [503], [500]  # every receiver refuses the first attempt

    ticket = _call(gateway, tech, "POST", "/auth/ws-ticket").json()["ticket"]
    with connect(f"{gateway.ws_url}?ticket={ticket}", open_timeout=10) as ws:
        room = _call(gateway, owner, "POST", "/rooms", {"title": "焊線機斷線 全通道", "incident_type": "equipment_failure",
                                                        "severity": "critical", "line_id": "L-WB2",
                                                        "escalation_policy_id": policy}).json()
        started = time.monotonic()
        frames = []
        while not any(f.get("type") == "notification" and f["notification"]["kind"] == "escalation" for f in frames):
            assert time.monotonic() - started < 45, frames
            frames.append(json.loads(ws.recv(timeout=45)))
    (live,) = [f["notification"] for f in frames if f.get("type") == "notification"
               and f["notification"]["kind"] == "escalation"]
    assert live["room_id"] == room["room_id"]
    inbox = _call(gateway, tech, "GET", "/notifications").json()["notifications"]
    assert [n["notification_id"] for n in inbox if n["kind"] == "escalation"] == [live["notification_id"]]

    def escalation_mails() -> list[Any]:
        return [m for m in mailbox.messages if "【升級通知】" in str(m["Subject"])]

    def pushes() -> list[dict[str, Any]]:
        return [browser.decrypt(body) for _, _, body in push.requests[1:]]  # the first one was refused

    _until(lambda: escalation_mails() and len(push.requests) >= 2 and len(hooks.requests) >= 2,
           "e-mail, push and webhook", gateway)
    delivered_after = time.monotonic() - started
    time.sleep(3)  # a duplicate would arrive meanwhile (backoff 1 s)

    (mail,) = escalation_mails()
    assert mailbox.refused == 1
    assert HUANG in str(mail["To"]) and "焊線機斷線 全通道" in str(mail["Subject"])
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/rooms/{room['room_id']}" in text
    assert [p["kind"] for p in pushes() if p["kind"] == "escalation"] == ["escalation"]
    (payload,) = [p for p in pushes() if p["kind"] == "escalation"]
    assert payload["url"] == f"/rooms/{room['room_id']}" and payload["tag"] == live["notification_id"]
    posts = [(h, b) for path, h, b in hooks.requests if path == "/mes"]
    assert len(posts) == 2  # 500, then delivered: no third
    secret = hook.json()["secret"]
    assert all(signing.verify(secret, body, headers["x-signature-256"]) for headers, body in posts)
    events = [json.loads(body) for _, body in posts]
    assert {e["event"] for e in events} == {"room_escalated"} and events[0]["event_id"] == events[1]["event_id"]
    assert events[1]["room"]["room_id"] == room["room_id"]
    print(f"\none escalation → inbox + live frame + 1 e-mail (after a 451) + 1 Web Push (after a 503) + "
          f"1 signed webhook (after a 500), all delivered {delivered_after:.1f}s after the room opened")
