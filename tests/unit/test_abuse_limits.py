"""Abuse limits (issue 16): per-user message and typing rates, connections per user, failed
logins per source IP, and logout closing the session's sockets. Time goes through a fake clock."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.core import ratelimit
from tests.builders import Api, last_frame, message_frame, open_socket, post_json, send


class FakeClock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def now(self) -> float:
        return self.t


def configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """Set environment variables and let the settings be read again (as a new container would)."""
    from chalicelib.core.settings import get_settings

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(ratelimit, "clock", clock)
    return clock


def test_messages_over_the_rate_get_rate_limited_frames_with_retry_after(
        api: Api, room: str, management_api: Any, fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, MESSAGE_RATE="2", MESSAGE_BURST="3")
    open_socket(api, "editor", "e")
    acks = []
    for _ in range(3):
        send("e", json.dumps(message_frame(room)))
        acks.append(last_frame(management_api, "e")["type"])
    assert acks == ["ack"] * 3
    refused = message_frame(room)
    send("e", json.dumps(refused))
    error = last_frame(management_api, "e")
    assert (error["type"], error["code"], error["client_id"]) == ("error", "rate_limited", refused["client_id"])
    assert error["retry_after"] == 1
    # reactions and edits count too; another user is not affected
    open_socket(api, "owner", "o")
    send("o", json.dumps(message_frame(room)))
    assert last_frame(management_api, "o")["type"] == "ack"
    fake_clock.t += 0.5  # one token back at 2/s
    send("e", json.dumps(refused))  # the same client_id, retried after the wait
    assert last_frame(management_api, "e")["type"] == "ack"
    history = api.call("viewer", "GET", f"/rooms/{room}/messages").json_body["messages"]
    assert sum(1 for m in history if m["client_id"] == refused["client_id"]) == 1


def test_typing_is_relayed_at_most_at_its_rate(api: Api, room: str, management_api: Any,
                                               fake_clock: FakeClock) -> None:
    open_socket(api, "editor", "e")
    open_socket(api, "viewer", "v")
    send("v", json.dumps({"type": "subscribe", "room_id": room}))
    for _ in range(50):
        send("e", json.dumps({"type": "typing", "room_id": room, "is_typing": True}))
    fake_clock.t += 1.0
    send("e", json.dumps({"type": "typing", "room_id": room, "is_typing": False}))
    relayed = [f for f in management_api.frames("v") if f["type"] == "typing"]
    assert [f["is_typing"] for f in relayed] == [True] * 3 + [False]  # a burst of 3, then 1 per second
    assert not [f for f in management_api.frames("e") if f["type"] == "error"]  # typing over the rate: no noise


def test_a_user_keeps_at_most_the_configured_connections_oldest_closed_first(
        api: Api, room: str, management_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.connections.models import ConnectionModel

    configure(monkeypatch, MAX_CONNECTIONS_PER_USER="2")
    for cid in ("c1", "c2", "c3"):
        open_socket(api, "editor", cid)
    assert management_api.closed == ["c1"]
    assert {c.connection_id for c in ConnectionModel.by_user.query("chen.editor@panjit.com.tw")} == {"c2", "c3"}
    open_socket(api, "viewer", "v1")  # other users are not affected
    assert management_api.closed == ["c1"]


def test_failed_logins_from_one_address_across_usernames_are_limited(client: Any,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, LOGIN_IP_LIMIT="3")
    for name in ("a.nobody", "b.nobody", "c.nobody"):
        assert post_json(client, "/auth/login", {"username": name, "password": "wrong"}).status_code == 401
    limited = post_json(client, "/auth/login", {"username": "chen.editor", "password": "Passw0rd!"})
    assert limited.status_code == 429
    assert limited.json_body["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) == limited.json_body["error"]["retry_after"] > 0


def test_logout_closes_the_sessions_sockets_and_they_get_nothing_more(
        api: Api, room: str, management_api: Any, message_stream: Any) -> None:
    import app

    open_socket(api, "editor", "e")
    open_socket(api, "viewer", "v")
    for cid in ("e", "v"):
        send(cid, json.dumps({"type": "subscribe", "room_id": room}))
    message_stream.pump(app.message_fanout)
    response = api.client.http.post("/auth/logout", headers={"Authorization": f"Bearer {api.tokens['viewer']}"})
    assert response.status_code == 204
    assert management_api.closed == ["v"]
    seen = len(management_api.frames("v"))
    send("e", json.dumps(message_frame(room)))
    message_stream.pump(app.message_fanout)
    assert [f["type"] for f in management_api.frames("e")][-1] == "message"
    assert len(management_api.frames("v")) == seen
