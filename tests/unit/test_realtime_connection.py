"""WebSocket $connect / $default / $disconnect with API Gateway-shaped events."""

from __future__ import annotations

import json
from typing import Any

import pytest

import app as app_module
from chalicelib.connections.models import ConnectionModel, SubscriptionModel
from chalicelib.core import clock
from tests.builders import LATER, bearer, connect, login, send, ws_event


def ticket(client: Any, username: str = "chen.editor") -> str:
    token = login(client, username)["access_token"]
    return str(client.http.post("/auth/ws-ticket", headers=bearer(token)).json_body["ticket"])


def _exists(connection_id: str) -> bool:
    return ConnectionModel.count(connection_id) > 0


def test_connect_refuses_missing_invalid_and_reused_tickets(client: Any) -> None:
    assert connect("c-none", None) == {"statusCode": 401}
    assert connect("c-bad", "made-up") == {"statusCode": 401}
    good = ticket(client)
    assert connect("c-1", good) == {"statusCode": 200}
    assert connect("c-2", good) == {"statusCode": 401}  # single use
    assert _exists("c-1") and not _exists("c-none") and not _exists("c-bad") and not _exists("c-2")
    record = ConnectionModel.get("c-1")
    assert record.user_id == "chen.editor@panjit.com.tw"


def test_expired_ticket_and_revoked_session_are_refused(client: Any, monkeypatch: Any) -> None:
    stale = ticket(client)
    later = clock.now() + 61
    monkeypatch.setattr(clock, "now", lambda: later)
    assert connect("c-late", stale) == {"statusCode": 401}
    monkeypatch.undo()
    token = login(client)["access_token"]
    fresh = client.http.post("/auth/ws-ticket", headers=bearer(token)).json_body["ticket"]
    client.http.post("/auth/logout", headers=bearer(token))
    assert connect("c-revoked", fresh) == {"statusCode": 401}


def test_ping_pong(client: Any, management_api: Any) -> None:
    assert connect("c-1", ticket(client))["statusCode"] == 200
    assert send("c-1", '{"type":"ping"}') == {"statusCode": 200}
    assert management_api.frames("c-1") == [{"type": "pong"}]


@pytest.mark.parametrize("body,code", [
    ("not json", "validation_error"),
    ("", "validation_error"),
    ("[1,2]", "validation_error"),
    ('"ping"', "validation_error"),
    ("{}", "validation_error"),
    ('{"type": 5}', "validation_error"),
    ('{"type": "launch_missiles"}', "validation_error"),
    ('{"type": "ping", "padding": "' + "x" * 200_000 + '"}', "too_large"),
    ("\udcff", "validation_error"),
])
def test_malformed_frames_get_an_error_frame_and_keep_the_connection(
        client: Any, management_api: Any, body: str, code: str) -> None:
    assert connect("c-1", ticket(client))["statusCode"] == 200
    assert send("c-1", body) == {"statusCode": 200}
    frames = management_api.frames("c-1")
    assert frames[-1]["type"] == "error" and frames[-1]["code"] == code
    assert send("c-1", json.dumps({"type": "ping"})) == {"statusCode": 200}
    assert management_api.frames("c-1")[-1] == {"type": "pong"}
    assert _exists("c-1")


def test_error_frames_echo_the_client_id(client: Any, management_api: Any) -> None:
    connect("c-1", ticket(client))
    send("c-1", json.dumps({"type": "nope", "client_id": "abc"}))
    assert management_api.frames("c-1")[-1]["client_id"] == "abc"


def test_disconnect_removes_the_connection_and_its_subscriptions(client: Any) -> None:
    connect("c-1", ticket(client))
    SubscriptionModel("room-1", "c-1", user_id="chen.editor@panjit.com.tw", subscribed_at=clock.iso(), expires_at=LATER).save()
    SubscriptionModel("room-2", "c-1", user_id="chen.editor@panjit.com.tw", subscribed_at=clock.iso(), expires_at=LATER).save()
    SubscriptionModel("room-1", "c-other", user_id="x", subscribed_at=clock.iso(), expires_at=LATER).save()
    event = ws_event("$disconnect", "c-1")
    assert app_module.ws_disconnect(event, None) == {"statusCode": 200}
    assert not _exists("c-1")
    assert [s.connection_id for s in SubscriptionModel.query("room-1")] == ["c-other"]
    assert list(SubscriptionModel.query("room-2")) == []
    # a second $disconnect (API Gateway may deliver it late) is harmless
    assert app_module.ws_disconnect(event, None) == {"statusCode": 200}


def test_reply_to_a_gone_connection_cleans_it_up(client: Any, management_api: Any) -> None:
    connect("c-1", ticket(client))
    management_api.gone.add("c-1")
    assert send("c-1", '{"type":"ping"}') == {"statusCode": 200}
    assert not _exists("c-1")
