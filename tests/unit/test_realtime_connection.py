"""WebSocket $connect / $default / $disconnect with API Gateway-shaped events."""

from __future__ import annotations

import json
from typing import Any

import pytest

import app as app_module
from chalicelib.connections.models import ConnectionModel, SubscriptionModel
from chalicelib.core import clock
from tests.builders import LATER, Api, bearer, connect, login, message_frame, open_socket, send, ws_event


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
    # the reply is the two-way route's response (API Gateway hands it over; no Management API call)
    assert send("c-1", '{"type":"ping"}') == {"statusCode": 200, "body": '{"type":"pong"}'}
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
    assert send("c-1", body)["statusCode"] == 200
    frames = management_api.frames("c-1")
    assert frames[-1]["type"] == "error" and frames[-1]["code"] == code
    assert send("c-1", json.dumps({"type": "ping"}))["statusCode"] == 200
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


def test_replies_before_the_last_are_posted_and_a_gone_connection_is_cleaned_up(api: Api, room: str,
                                                                                 management_api: Any) -> None:
    open_socket(api, "editor", "e")
    acks = [json.loads(send("e", json.dumps(message_frame(room, f"m{i}")))["body"]) for i in range(2)]
    assert [a["type"] for a in acks] == ["ack", "ack"]
    open_socket(api, "viewer", "v")
    before = len(management_api.sent)
    answer = send("v", json.dumps({"type": "subscribe", "room_id": room, "last_seq": 0}))
    frames = [f for cid, f in management_api.sent[before:] if cid == "v"]
    # subscribed, then the replay in order; all but the last were posted, the last is the response
    assert frames[0]["type"] == "subscribed" and {f["type"] for f in frames[1:]} == {"message"}
    numbers = [f["message"]["sequence_number"] for f in frames[1:]]
    assert numbers == sorted(numbers) and numbers[-2:] == [a["sequence_number"] for a in acks]
    assert json.loads(answer["body"]) == frames[-1]
    management_api.gone.add("v")
    answer = send("v", json.dumps({"type": "subscribe", "room_id": room, "last_seq": 0}))
    assert answer == {"statusCode": 200} and not _exists("v")  # the first post found it gone
