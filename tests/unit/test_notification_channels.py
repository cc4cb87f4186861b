"""Channels beyond the app (issue 12): notification settings, Web Push subscriptions, the
notifications stream turning into queued e-mails and pushes, and the Web Push sender against a
fake push service on loopback (the payload must decrypt with the subscription's keys)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.builders import Api, Outbox, StreamPump
from tests.servers.push_service import Browser, FakePushService, vapid_env

SETTINGS = "/me/notification-settings"
PUSH = "/me/push-subscriptions"
FCM = "https://fcm.googleapis.com/fcm/send/abc123"


@pytest.fixture
def push_service(env: pytest.MonkeyPatch) -> Iterator[FakePushService]:
    for name, value in vapid_env().items():
        env.setenv(name, value)
    env.setenv("PUSH_ALLOW_ANY_ENDPOINT", "true")
    env.setenv("EMAIL_TRANSPORT", "smtp")  # e-mail deliveries are queued only with a transport
    from chalicelib.core.settings import get_settings

    get_settings.cache_clear()
    service = FakePushService()
    yield service
    service.close()


def _notify(user: str, kind: str = "escalation", key: str = "escalation:r1:1") -> None:
    from chalicelib.notifications import service

    service.notify([user], kind, key, "11111111-2222-4333-8444-555555555555", "L3 回焊爐溫度異常",
                   "第 1 級升級：請立即處理")


def _senders() -> dict[str, Any]:
    from chalicelib.notifications import push

    mails: list[dict[str, Any]] = []
    return {"push": push.send, "email": lambda job: mails.append(job) or "250 OK", "_mails": mails}


# ------------------------------------------------------------------------------ settings
def test_settings_default_to_everything_on_and_escalations_stay_on(api: Api) -> None:
    got = api.call("viewer", "GET", SETTINGS)
    assert got.status_code == 200
    assert got.json_body == {"email": True, "web_push": True, "kinds": {
        "mention": True, "escalation": True, "added_to_room": True, "room_acknowledged": True, "room_resolved": True}}
    put = api.call("viewer", "PUT", SETTINGS, {"email": False, "web_push": True,
                                               "kinds": {"mention": False, "escalation": False}})
    assert put.status_code == 200
    assert put.json_body["email"] is False and put.json_body["kinds"]["mention"] is False
    assert put.json_body["kinds"]["escalation"] is True
    assert api.call("viewer", "GET", SETTINGS).json_body == put.json_body
    assert api.call("editor", "GET", SETTINGS).json_body["email"] is True  # one user's settings only


@pytest.mark.parametrize("body", [{}, {"email": "yes", "web_push": True}, {"email": True, "web_push": True,
                                                                           "kinds": {"spam": True}},
                                  {"email": True, "web_push": True, "extra": 1}])
def test_bad_settings_are_400(api: Api, body: dict[str, Any]) -> None:
    response = api.call("viewer", "PUT", SETTINGS, body)
    assert response.status_code == 400 and response.json_body["error"]["code"] == "validation_error"


def test_settings_and_subscriptions_need_a_login(client: Any) -> None:
    for method, path in [("get", SETTINGS), ("put", SETTINGS), ("get", PUSH), ("post", PUSH), ("delete", PUSH)]:
        response = getattr(client.http, method)(path, headers={"Content-Type": "application/json"}, body="{}")
        assert response.status_code == 401, (method, path)


# ------------------------------------------------------------------------------ subscriptions
def test_a_browser_subscribes_once_per_endpoint_and_unsubscribes(api: Api, env: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    env.setenv("VAPID_PUBLIC_KEY", "BPublicKey")
    get_settings.cache_clear()
    browser = Browser(FCM)
    first = api.call("viewer", "POST", PUSH, {**browser.subscription, "user_agent": "Chrome on Android"})
    assert first.status_code == 201, first.body
    assert first.json_body["endpoint_host"] == "fcm.googleapis.com"
    again = api.call("viewer", "POST", PUSH, browser.subscription)
    assert again.json_body["subscription_id"] == first.json_body["subscription_id"]
    listed = api.call("viewer", "GET", PUSH).json_body
    assert listed["public_key"] == "BPublicKey" and len(listed["subscriptions"]) == 1
    assert "keys" not in listed["subscriptions"][0] and "endpoint" not in listed["subscriptions"][0]
    assert api.call("editor", "GET", PUSH).json_body["subscriptions"] == []
    assert api.call("viewer", "DELETE", PUSH, {"endpoint": FCM}).status_code == 204
    assert api.call("viewer", "GET", PUSH).json_body["subscriptions"] == []


@pytest.mark.parametrize("endpoint", ["http://fcm.googleapis.com/fcm/send/x", "https://127.0.0.1/push",
                                      "https://169.254.169.254/latest/meta-data", "https://evil.example/fcm.googleapis.com",
                                      "https://user@fcm.googleapis.com/x", "https://fcm.googleapis.com.evil.example/x",
                                      "https://[", "https://fcm.googleapis.com:x/", "https://[::1]/fcm"])
def test_only_known_push_services_are_accepted(api: Api, endpoint: str) -> None:
    response = api.call("viewer", "POST", PUSH, Browser(endpoint).subscription)
    assert response.status_code == 400, endpoint
    assert response.json_body["error"]["details"][0]["field"] == "endpoint"


def test_bad_subscriptions_are_400(api: Api) -> None:
    good = Browser(FCM).subscription
    for body in [{}, {"endpoint": FCM}, {**good, "keys": {"p256dh": "x", "auth": "y"}},
                 {**good, "keys": {"p256dh": "a" * 87 + "!", "auth": "b" * 22}}]:
        response = api.call("viewer", "POST", PUSH, body)
        assert response.status_code == 400, body


# ------------------------------------------------------------------------------ stream → queue
def test_a_notification_queues_one_email_and_one_push_per_browser_once(api: Api, outbox: Outbox,
                                                                       push_service: FakePushService) -> None:
    import app

    phone, desktop = Browser(f"{push_service.url}/push/phone"), Browser(f"{push_service.url}/push/desk")
    for browser in (phone, desktop):
        assert api.call("viewer", "POST", PUSH, browser.subscription).status_code == 201
    stream = StreamPump("unit-notifications")
    _notify("lee.viewer@panjit.com.tw")
    records = stream.records()
    assert len(records) == 1
    app.notification_fanout({"Records": records}, None)
    app.notification_fanout({"Records": records}, None)  # the stream hands the record over twice
    senders = _senders()
    mails = senders.pop("_mails")
    outbox.run(senders)
    assert len(mails) == 1 and mails[0]["user_id"] == "lee.viewer@panjit.com.tw"
    assert sorted(path for path, _, _ in push_service.requests) == ["/push/desk", "/push/phone"], push_service.requests
    path, headers, body = next(r for r in push_service.requests if r[0] == "/push/phone")
    assert headers["content-encoding"] == "aes128gcm" and headers["authorization"].startswith("vapid t=")
    assert headers["urgency"] == "high"
    payload = phone.decrypt(body)
    assert payload["url"] == "/rooms/11111111-2222-4333-8444-555555555555"
    assert payload["title"].startswith("【升級】") and "回焊爐" in payload["title"]
    assert payload["body"] == "第 1 級升級：請立即處理" and payload["kind"] == "escalation"


def test_without_an_email_transport_no_email_is_queued(api: Api, outbox: Outbox) -> None:
    import app

    stream = StreamPump("unit-notifications")
    _notify("lee.viewer@panjit.com.tw")  # EMAIL_TRANSPORT is "none" by default; no browser subscribed
    app.notification_fanout({"Records": stream.records()}, None)
    from chalicelib import outbound

    assert outbound.deliveries("user#lee.viewer@panjit.com.tw") == [] and outbox.queued == []


def test_settings_decide_which_channels_get_a_notification(api: Api, outbox: Outbox) -> None:
    import app

    api.call("viewer", "POST", PUSH, Browser(FCM).subscription)
    api.call("viewer", "PUT", SETTINGS, {"email": False, "web_push": True, "kinds": {"mention": False}})
    stream = StreamPump("unit-notifications")
    _notify("lee.viewer@panjit.com.tw", "mention", "mention:m1")
    _notify("lee.viewer@panjit.com.tw", "escalation", "escalation:r1:2")  # on whatever the kinds say
    app.notification_fanout({"Records": stream.records()}, None)
    from chalicelib import outbound

    channels = sorted((d["channel"], d["event"]) for d in outbound.deliveries("user#lee.viewer@panjit.com.tw"))
    assert channels == [("push", "escalation")]


def test_a_push_service_saying_gone_removes_the_subscription(api: Api, outbox: Outbox,
                                                             push_service: FakePushService) -> None:
    import app

    browser = Browser(f"{push_service.url}/push/old")
    api.call("viewer", "POST", PUSH, browser.subscription)
    push_service.statuses = [503, 410]
    stream = StreamPump("unit-notifications")
    _notify("lee.viewer@panjit.com.tw")
    app.notification_fanout({"Records": stream.records()}, None)
    senders = _senders()
    senders.pop("_mails")
    outbox.run(senders)
    assert len(push_service.requests) == 2  # 503 retried, 410 not
    assert api.call("viewer", "GET", PUSH).json_body["subscriptions"] == []
    from chalicelib import outbound

    (push,) = [d for d in outbound.deliveries("user#lee.viewer@panjit.com.tw") if d["channel"] == "push"]
    assert push["status"] == "failed" and "410" in push["last_error"]
