"""The local mail catcher of ``make dev`` (issue 12 item 2): the gateway runs an SMTP server on
loopback when ``EMAIL_TRANSPORT=smtp`` names no server, points the app at it, and shows what it
caught on ``/__local/mail`` — safely (a hostile HTML part never runs on the page). The app's own
path: a notification becomes exactly one e-mail through the outbound queue."""

from __future__ import annotations

import smtplib
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
import requests

from tests.builders import PASSWORD
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration
HUANG = "huang.tech@panjit.com.tw"


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal) -> Iterator[Gateway]:
    env = {"EMAIL_TRANSPORT": "smtp", "SMTP_HOST": "", "PUBLIC_APP_URL": "", "OUTBOUND_BACKOFF_SECONDS": "1"}
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, table_prefix=f"mc{uuid.uuid4().hex[:6]}",
                     env=env, extra_args=["--schedule-every", "1"]) as gw:
        yield gw


def _caught(gw: Gateway) -> list[dict[str, Any]]:
    response = requests.get(f"{gw.url}/__local/mail.json", timeout=10)
    assert response.status_code == 200
    return list(response.json()["mails"])


def _wait_for(gw: Gateway, match: Any, timeout: float = 30.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in _caught(gw) if match(m)]
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"no such mail caught; gateway output:\n{gw.output()[-4000:]}")


def test_the_gateway_announces_the_catcher(gateway: Gateway) -> None:
    mail = gateway.info["mail"]
    assert mail is not None and mail["smtp"].startswith("127.0.0.1:") and mail["page"] == "/__local/mail"
    assert "/__local/mail" in gateway.output()  # the startup banner


def test_a_caught_message_is_listed_and_shown_without_running_its_html(gateway: Gateway) -> None:
    host, port = gateway.info["mail"]["smtp"].rsplit(":", 1)
    marker = uuid.uuid4().hex[:8]
    message = EmailMessage()
    message["Subject"] = f"<b>爐溫</b> {marker}"
    message["From"] = "andon@panjit.com.tw"
    message["To"] = HUANG
    message.set_content(f"回焊爐第5區溫度262°C {marker}")
    message.add_alternative(f"<p>爐溫 {marker}</p><script>alert(1)</script><img src=https://x.test/t.png>",
                            subtype="html")
    with smtplib.SMTP(host, int(port), timeout=10) as smtp:
        smtp.send_message(message)

    [caught] = _wait_for(gateway, lambda m: marker in m["subject"])
    assert caught["rcpt_tos"] == [HUANG] and f"回焊爐第5區溫度262°C {marker}" in caught["text"]

    listing = requests.get(f"{gateway.url}/__local/mail", timeout=10)
    assert listing.status_code == 200 and listing.headers["Content-Type"].startswith("text/html")
    assert f"&lt;b&gt;爐溫&lt;/b&gt; {marker}" in listing.text and "<b>爐溫</b>" not in listing.text

    page = requests.get(f"{gateway.url}/__local/mail/{caught['number']}", timeout=10)
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]  # no script, no remote image
    assert '<iframe sandbox=""' in page.text  # the HTML part: sandboxed, escaped into srcdoc
    assert "<script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert f"回焊爐第5區溫度262°C {marker}" in page.text
    assert requests.get(f"{gateway.url}/__local/mail/999999", timeout=10).status_code == 404


def _bearer(gw: Gateway, user: str) -> dict[str, str]:
    answer = requests.post(f"{gw.url}/api/auth/login", json={"username": user, "password": PASSWORD}, timeout=10)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_notification_becomes_one_email_in_the_catcher(gateway: Gateway) -> None:
    owner = _bearer(gateway, "wang.owner")
    _bearer(gateway, "huang.tech")  # known to the app: his name goes into the To header
    title = f"L3 回焊爐溫度異常 {uuid.uuid4().hex[:6]}"
    room = requests.post(f"{gateway.url}/api/rooms", headers=owner, timeout=10, json={
        "title": title, "incident_type": "equipment_failure", "severity": "high"}).json()
    added = requests.post(f"{gateway.url}/api/rooms/{room['room_id']}/members", headers=owner, timeout=10,
                          json={"user_id": HUANG, "role": "EDITOR"})
    assert added.status_code == 201, added.text

    [mail] = _wait_for(gateway, lambda m: title in m["subject"])
    assert mail["subject"].startswith("【加入事件】") and mail["rcpt_tos"] == [HUANG]
    assert "黃俊傑" in mail["to"]
    assert f"{gateway.url}/rooms/{room['room_id']}" in mail["text"]  # PUBLIC_APP_URL: the gateway itself
    assert f"{gateway.url}/rooms/{room['room_id']}" in mail["html"]
    time.sleep(3)  # a duplicate would arrive by now (stream and queue retries are sub-second here)
    assert len([m for m in _caught(gateway) if title in m["subject"]]) == 1


def test_an_escalation_to_huang_is_one_email(gateway: Gateway) -> None:
    admin, owner = _bearer(gateway, "lin.admin"), _bearer(gateway, "wang.owner")
    policy = requests.post(f"{gateway.url}/api/escalation-policies", headers=admin, timeout=10, json={
        "name": "mail test", "steps": [{"after_minutes": 0, "notify": {"users": [HUANG]}}]})
    assert policy.status_code == 201, policy.text
    title = f"回焊爐停機 {uuid.uuid4().hex[:6]}"
    room = requests.post(f"{gateway.url}/api/rooms", headers=owner, timeout=10, json={
        "title": title, "incident_type": "equipment_failure", "severity": "critical",
        "escalation_policy_id": policy.json()["policy_id"]}).json()

    [mail] = _wait_for(gateway, lambda m: title in m["subject"] and m["subject"].startswith("【升級通知】"), 45)
    assert mail["rcpt_tos"] == [HUANG] and f"{gateway.url}/rooms/{room['room_id']}" in mail["text"]
    time.sleep(3)  # the scheduler runs every second: a step fired twice would show here
    assert len([m for m in _caught(gateway) if title in m["subject"] and "升級通知" in m["subject"]]) == 1
