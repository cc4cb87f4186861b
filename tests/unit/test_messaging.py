"""Messaging over WebSocket frames: subscribe, send/ack, idempotency, order, history, resume."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

import app as app_module
from chalicelib.timeline.models import MessageModel
from tests.builders import Api, bearer, last_frame, message_frame, open_socket, send, stream_record


def _frame(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_subscribe_needs_membership(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "outsider", "out")
    send("out", _frame(type="subscribe", room_id=room))
    assert last_frame(management_api, "out")["code"] == "forbidden"
    open_socket(api, "viewer", "v")
    send("v", _frame(type="subscribe", room_id=room))
    frame = last_frame(management_api, "v")
    assert frame == {"type": "subscribed", "room_id": room, "online": ["lee.viewer@panjit.com.tw"],
                     "last_seq": 2, "server_time": frame["server_time"], "has_more": False}
    for bad in [_frame(type="subscribe"), _frame(type="subscribe", room_id="x"),
                _frame(type="subscribe", room_id=str(uuid.uuid4())),
                _frame(type="subscribe", room_id=room, last_seq=-1)]:
        send("v", bad)
        assert last_frame(management_api, "v")["type"] == "error"


def test_send_ack_and_idempotent_resend(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    message = message_frame(room)
    send("e", json.dumps(message))
    ack = last_frame(management_api, "e")
    assert ack["type"] == "ack" and ack["client_id"] == message["client_id"]
    assert ack["sequence_number"] == 3  # two member_added system events came first
    for _ in range(3):
        send("e", json.dumps(message))
        assert last_frame(management_api, "e") == ack
    stored = [m for m in MessageModel.query(room) if m.message_type == "text"]
    assert len(stored) == 1 and stored[0].message_id == ack["message_id"]


def test_viewer_and_outsider_cannot_send(api: Api, room: str, management_api: Any) -> None:
    for role, cid in [("viewer", "v"), ("outsider", "o")]:
        open_socket(api, role, cid)
        message = message_frame(room)
        send(cid, json.dumps(message))
        error = last_frame(management_api, cid)
        assert error["type"] == "error" and error["code"] == "forbidden"
        assert error["client_id"] == message["client_id"]
    assert [m.message_type for m in MessageModel.query(room)] == ["system", "system"]


@pytest.mark.parametrize("override,code", [
    ({"content": "x" * 4001}, "validation_error"),
    ({"content": ""}, "validation_error"),
    ({"content": "   "}, "validation_error"),
    ({"content": "a\x00b"}, "validation_error"),
    ({"content": {"temperature": 85}}, "validation_error"),
    ({"message_type": "sticker"}, "validation_error"),
    ({"client_id": "not-a-uuid"}, "validation_error"),
    ({"client_id": None}, "validation_error"),
    ({"message_type": "incident_data", "content": "85"}, "validation_error"),
    ({"message_type": "incident_data", "content": {}}, "validation_error"),
    ({"message_type": "incident_data", "content": {"note": "no numbers"}}, "validation_error"),
    ({"message_type": "incident_data", "content": {"bad key!": 1}}, "validation_error"),
    ({"message_type": "incident_data", "content": {"t": {"nested": 1}}}, "validation_error"),
    ({"message_type": "image_ref", "content": "defect"}, "validation_error"),
    ({"message_type": "image_ref", "content": "defect", "file_id": str(uuid.uuid4())}, "validation_error"),
    ({"mentions": ["not an id"]}, "validation_error"),
    ({"content": "x" * 40_000}, "too_large"),
])
def test_invalid_messages_get_error_frames(api: Api, room: str, management_api: Any,
                                           override: dict[str, Any], code: str) -> None:
    open_socket(api, "editor", "e")
    send("e", json.dumps({**message_frame(room), **override}))
    error = last_frame(management_api, "e")
    assert error["type"] == "error" and error["code"] == code, error
    send("e", _frame(type="ping"))
    assert last_frame(management_api, "e") == {"type": "pong"}


def test_incident_data_is_stored_as_an_object(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    reading = {"temperature": 85.5, "pressure": 120, "production_rate": 450, "timestamp": "2025-11-17T10:15:00Z"}
    send("e", json.dumps(message_frame(room, reading, message_type="incident_data")))
    seq = last_frame(management_api, "e")["sequence_number"]
    assert MessageModel.get(room, seq).content == reading


def test_a_lost_sequence_race_is_retried_with_the_next_number(api: Api, room: str, monkeypatch: Any) -> None:
    """Another sender took N first: the conditional write fails and the next number is used.
    (Real concurrency is tested against DynamoDB Local in tests/integration.)"""
    from chalicelib.messaging import service
    from chalicelib.messaging.schemas import NewMessage
    from chalicelib.timeline import service as timeline

    real = timeline.last_sequence
    stale = iter([1, 1])  # two stale reads: 2 is taken (system event), so it must retry
    timeline.forget_sequences()  # a container new to the room reads the last number

    monkeypatch.setattr(timeline, "last_sequence", lambda room_id: next(stale, None) or real(room_id))
    ack = service.send_message("chen.editor@panjit.com.tw",
                               NewMessage(room_id=room, client_id=str(uuid.uuid4()), content="x"), set())
    assert ack["sequence_number"] == 3
    assert [int(m.sequence_number) for m in MessageModel.query(room)] == [1, 2, 3]


def test_a_container_remembers_the_last_number_and_recovers_when_another_wrote(
        api: Api, room: str, monkeypatch: Any) -> None:
    """The steady case reads nothing before the write; a number taken by another container
    (here: written behind this one's back) fails the condition, is read again, and the message
    gets the next free number — contiguous, nothing lost, nothing doubled."""
    from chalicelib.core import clock
    from chalicelib.messaging import service
    from chalicelib.messaging.schemas import NewMessage
    from chalicelib.timeline import service as timeline

    editor = "chen.editor@panjit.com.tw"
    first = service.send_message(editor, NewMessage(room_id=room, client_id=str(uuid.uuid4()), content="a"), set())
    reads: list[str] = []
    real = timeline.last_sequence
    monkeypatch.setattr(timeline, "last_sequence", lambda room_id: reads.append(room_id) or real(room_id))
    second = service.send_message(editor, NewMessage(room_id=room, client_id=str(uuid.uuid4()), content="b"), set())
    assert second["sequence_number"] == first["sequence_number"] + 1 and reads == []  # no read before the write
    taken = second["sequence_number"] + 1
    MessageModel(room, taken, sender_id=editor, message_type="text", content="from another container",
                 created_at=clock.iso()).save()
    third = service.send_message(editor, NewMessage(room_id=room, client_id=str(uuid.uuid4()), content="c"), set())
    assert third["sequence_number"] == taken + 1 and reads == [room]
    numbers = [int(m.sequence_number) for m in MessageModel.query(room)]
    assert numbers == list(range(1, taken + 2))


def test_history_newest_first_with_paging_and_resync(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    for i in range(5):
        send("e", json.dumps(message_frame(room, f"訊息 {i}")))
    page = api.call("viewer", "GET", f"/rooms/{room}/messages?limit=3").json_body
    assert [m["sequence_number"] for m in page["messages"]] == [7, 6, 5]
    assert page["has_more"] is True and page["next_before"] == 5
    older = api.call("viewer", "GET", f"/rooms/{room}/messages?limit=3&before=5").json_body
    assert [m["sequence_number"] for m in older["messages"]] == [4, 3, 2]
    rest = api.call("viewer", "GET", f"/rooms/{room}/messages?limit=3&before=2").json_body
    assert [m["sequence_number"] for m in rest["messages"]] == [1] and rest["has_more"] is False
    assert rest["next_before"] is None
    resync = api.call("viewer", "GET", f"/rooms/{room}/messages?after_seq=5").json_body
    assert [m["sequence_number"] for m in resync["messages"]] == [6, 7]
    first = page["messages"][0]
    assert set(first) >= {"message_id", "room_id", "sequence_number", "sender_id", "message_type", "content",
                          "mentions", "reactions", "client_id", "created_at", "edited_at", "deleted_at"}
    for query in ["?limit=0", "?limit=500", "?before=abc", "?after_seq=-1", "?x=1"]:
        assert api.call("viewer", "GET", f"/rooms/{room}/messages{query}").status_code == 400, query
    assert api.call("outsider", "GET", f"/rooms/{room}/messages").status_code == 403
    assert api.call("viewer", "GET", "/rooms/nope/messages").status_code == 404


def test_resubscribe_replays_missed_and_changed_messages(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    for i in range(3):
        send("e", json.dumps(message_frame(room, f"m{i}")))  # seq 3, 4, 5
    open_socket(api, "viewer", "v")
    send("v", _frame(type="subscribe", room_id=room, last_seq=3))
    frames = management_api.frames("v")
    assert frames[0]["type"] == "subscribed" and frames[0]["last_seq"] == 5
    assert [f["message"]["sequence_number"] for f in frames[1:]] == [4, 5]
    server_time = frames[0]["server_time"]
    # message 3 changes later (the edit issue adds the frame for it; the record carries updated_at)
    changed = MessageModel.get(room, 3)
    changed.update(actions=[MessageModel.updated_at.set("2999-01-01T00:00:00.000Z"),
                            MessageModel.version.add(1)])
    send("v", _frame(type="subscribe", room_id=room, last_seq=5, changed_since=server_time))
    frames = management_api.frames("v")
    replayed = {m["sequence_number"]: m["version"] for m in (f["message"] for f in frames[3:] if f["type"] == "message")}
    # the changed message comes back with its new version; within the 5 s safety margin others
    # may come again too (clients keep the highest version), but nothing after last_seq=5
    assert replayed[3] == 2 and max(replayed) <= 5


def test_typing_reaches_others_only_and_needs_editor(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    open_socket(api, "viewer", "v")
    send("e", _frame(type="subscribe", room_id=room))
    send("v", _frame(type="subscribe", room_id=room))
    send("e", _frame(type="typing", room_id=room, is_typing=True))
    assert last_frame(management_api, "v") == {"type": "typing", "room_id": room,
                                               "user_id": "chen.editor@panjit.com.tw", "is_typing": True}
    assert not any(f["type"] == "typing" for f in management_api.frames("e"))
    send("v", _frame(type="typing", room_id=room, is_typing=True))
    assert last_frame(management_api, "v")["code"] == "forbidden"


def test_presence_join_and_leave(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    send("e", _frame(type="subscribe", room_id=room))
    open_socket(api, "viewer", "v1")
    open_socket(api, "viewer", "v2")
    send("v1", _frame(type="subscribe", room_id=room))
    joined = [f for f in management_api.frames("e") if f["type"] in ("system", "presence")]
    assert joined[-2]["event"] == "user_joined" and joined[-2]["user_id"] == "lee.viewer@panjit.com.tw"
    assert joined[-1] == {"type": "presence", "room_id": room,
                          "online": ["chen.editor@panjit.com.tw", "lee.viewer@panjit.com.tw"]}
    count = len(management_api.frames("e"))
    send("v2", _frame(type="subscribe", room_id=room))  # a second tab: no new join
    assert len(management_api.frames("e")) == count
    app_module.ws_disconnect({"requestContext": {"routeKey": "$disconnect", "eventType": "DISCONNECT",
                                                 "connectionId": "v1", "apiId": "a", "stage": "api",
                                                 "domainName": "d", "requestId": "r"}}, None)
    assert len(management_api.frames("e")) == count  # still online in v2
    send("v2", _frame(type="unsubscribe", room_id=room))
    left = management_api.frames("e")[-2:]
    assert left[0]["event"] == "user_left" and left[1]["online"] == ["chen.editor@panjit.com.tw"]


def test_subscribing_again_on_the_same_connection_announces_nothing_and_the_reply_lists_the_caller(
        api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    send("e", _frame(type="subscribe", room_id=room))
    open_socket(api, "viewer", "v")
    send("v", _frame(type="subscribe", room_id=room))
    subscribed = [f for f in management_api.frames("v") if f["type"] == "subscribed"]
    assert subscribed[-1]["online"] == ["chen.editor@panjit.com.tw", "lee.viewer@panjit.com.tw"]
    count = len(management_api.frames("e"))
    send("v", _frame(type="subscribe", room_id=room))  # the same connection again (a resume)
    assert len(management_api.frames("e")) == count
    send("v", _frame(type="unsubscribe", room_id=room))  # one unsubscribe ends its presence
    assert management_api.frames("e")[-1] == {"type": "presence", "room_id": room,
                                              "online": ["chen.editor@panjit.com.tw"]}


def test_a_subscribe_reads_the_rooms_users_not_every_connection(api: Api, room: str, management_api: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # presence is one item per (room, user): a tab of someone already online writes its
    # subscription and presence and reads the room's users — no Query of the room's subscriptions
    from chalicelib.connections.models import SubscriptionModel

    open_socket(api, "editor", "e0")
    send("e0", _frame(type="subscribe", room_id=room))
    queried: list[str] = []
    query = SubscriptionModel.query.__func__  # type: ignore[attr-defined]

    def counting(cls: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        queried.append(hash_key)
        return query(cls, hash_key, *args, **kwargs)

    monkeypatch.setattr(SubscriptionModel, "query", classmethod(counting))
    for n in range(1, 6):
        open_socket(api, "editor", f"e{n}")
        send(f"e{n}", _frame(type="subscribe", room_id=room))
    assert queried == []
    open_socket(api, "viewer", "v")
    send("v", _frame(type="subscribe", room_id=room))  # a new user: announced to the room's connections
    assert queried == [room]


def test_a_removed_member_is_no_longer_online(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "viewer", "v")
    send("v", _frame(type="subscribe", room_id=room))
    online = {m["user_id"]: m["online"] for m in api.call("owner", "GET", f"/rooms/{room}/members").json_body["members"]}
    assert online["lee.viewer@panjit.com.tw"] is True
    assert api.call("owner", "DELETE", f"/rooms/{room}/members/lee.viewer@panjit.com.tw").status_code == 204
    online = {m["user_id"]: m["online"] for m in api.call("owner", "GET", f"/rooms/{room}/members").json_body["members"]}
    assert "lee.viewer@panjit.com.tw" not in online
    from chalicelib.connections.models import PresenceModel

    assert [p.user_id for p in PresenceModel.query(room)] == []


def test_mentions_reach_the_mentioned_member_anywhere(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "viewer", "elsewhere")  # lee.viewer is connected but not looking at the room
    open_socket(api, "editor", "e")
    mentions = ["lee.viewer@panjit.com.tw", "huang.tech@panjit.com.tw"]
    send("e", json.dumps(message_frame(room, "@李建宏 請確認", mentions=mentions)))
    seq = last_frame(management_api, "e")["sequence_number"]
    stored = MessageModel.get(room, seq)
    assert stored.mentions == ["lee.viewer@panjit.com.tw"]  # non-members dropped
    records = [stream_record("INSERT", new=stored, seq="9")]
    assert app_module.message_fanout({"Records": records}, None) == {"batchItemFailures": []}
    [mention] = [f for f in management_api.frames("elsewhere") if f["type"] == "mention"]
    assert mention["room_id"] == room and mention["message"]["message_id"] == stored.message_id
    assert mention["room_title"] == "Line 3 回焊爐溫度異常" and mention["sender_name"] == "陳怡君"


def test_archived_room_and_ended_session_refuse_messages(api: Api, room: str, management_api: Any) -> None:
    from chalicelib.connections.models import SubscriptionModel

    open_socket(api, "owner", "o")
    api.call("owner", "DELETE", f"/rooms/{room}")
    send("o", json.dumps(message_frame(room)))
    assert last_frame(management_api, "o")["code"] == "conflict"
    open_socket(api, "editor", "e")
    open_socket(api, "editor", "e2")
    management_api.gone.add("e2")  # a dead socket: logout must not fail because of it
    assert api.client.http.post("/auth/logout", headers=bearer(api.tokens["editor"])).status_code == 204
    assert management_api.closed == ["e"]  # logout closed the session's socket at once
    # a frame still in flight from the closed socket is refused and answered to nobody
    send("e", _frame(type="subscribe", room_id=room))
    assert management_api.frames("e") == []
    assert [s.connection_id for s in SubscriptionModel.query(room)] == []


def test_connect_with_room_id_subscribes_members_and_refuses_others(api: Api, room: str) -> None:
    from chalicelib.connections.models import ConnectionModel, SubscriptionModel

    def ticket(role: str) -> str:
        return str(api.call(role, "POST", "/auth/ws-ticket").json_body["ticket"])

    event = {"requestContext": {"routeKey": "$connect", "eventType": "CONNECT", "connectionId": "seed-form",
                                "apiId": "a", "stage": "api", "domainName": "d", "requestId": "r"},
             "queryStringParameters": {"ticket": ticket("viewer"), "room_id": room}}
    assert app_module.ws_connect(event, None) == {"statusCode": 200}
    assert [s.connection_id for s in SubscriptionModel.query(room)] == ["seed-form"]
    for role, room_id in [("outsider", room), ("viewer", "not-a-room")]:
        event["requestContext"]["connectionId"] = f"refused-{role}"
        event["queryStringParameters"] = {"ticket": ticket(role), "room_id": room_id}
        assert app_module.ws_connect(event, None) == {"statusCode": 403}
        assert ConnectionModel.count(f"refused-{role}") == 0


def test_websocket_access_is_read_once_per_session_cache_bound(api: Api, room: str, management_api: Any,
                                                                monkeypatch: Any) -> None:
    """Frames read the sender's room and role at most once per SESSION_CACHE_SECONDS: a member
    removed over REST may still send until that bound passes, then is refused; someone added is
    let in at once (only members are kept)."""
    from chalicelib.core import clock

    at = {"now": clock.now()}
    monkeypatch.setattr(clock, "now", lambda: at["now"])
    open_socket(api, "editor", "e")
    open_socket(api, "outsider", "o")
    send("o", json.dumps(message_frame(room, "before")))
    assert last_frame(management_api, "o")["code"] == "forbidden"
    send("e", json.dumps(message_frame(room, "first")))
    assert last_frame(management_api, "e")["type"] == "ack"
    removed = api.call("owner", "DELETE", f"/rooms/{room}/members/chen.editor@panjit.com.tw")
    assert removed.status_code in (200, 204), removed.body
    added = api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "huang.tech@panjit.com.tw", "role": "EDITOR"})
    assert added.status_code == 201, added.body
    send("o", json.dumps(message_frame(room, "added")))
    assert last_frame(management_api, "o")["type"] == "ack"  # a non-member is never kept
    at["now"] += 1
    send("e", json.dumps(message_frame(room, "within the bound")))
    assert last_frame(management_api, "e")["type"] == "ack"
    at["now"] += 5  # SESSION_CACHE_SECONDS (5 s)
    send("e", json.dumps(message_frame(room, "after the bound")))
    assert last_frame(management_api, "e")["code"] == "forbidden"


def test_messages_move_the_rooms_last_activity_once_per_period(api: Api, room: str, management_api: Any,
                                                                monkeypatch: Any) -> None:
    """The first message after ACTIVITY_EVERY moves the room's last activity (and its members'
    copies); the next ones do not, although the room they read (kept up to SESSION_CACHE_SECONDS)
    still shows the old time. After another period the next message moves it again."""
    from chalicelib.core import clock
    from chalicelib.realtime import handlers
    from chalicelib.rooms.models import MembershipModel, RoomModel

    at = {"now": clock.now()}
    monkeypatch.setattr(clock, "now", lambda: at["now"])
    moved: list[str] = []
    touch = handlers.touch_room
    monkeypatch.setattr(handlers, "touch_room", lambda room_id: (moved.append(room_id), touch(room_id))[1])
    open_socket(api, "editor", "e")
    send("e", json.dumps(message_frame(room, "fresh room")))
    assert last_frame(management_api, "e")["type"] == "ack" and moved == []
    at["now"] += handlers.ACTIVITY_EVERY + 1
    first = at["now"]
    for i in range(4):  # within the 5 s the room read is kept
        send("e", json.dumps(message_frame(room, f"busy {i}")))
        assert last_frame(management_api, "e")["type"] == "ack"
        at["now"] += 1
    assert moved == [room]
    assert RoomModel.get(room).last_activity_at == clock.iso(first)
    assert {m.activity_key.split("#")[0] for m in MembershipModel.query(room)} == {clock.iso(first)}
    at["now"] = first + handlers.ACTIVITY_EVERY + 2
    send("e", json.dumps(message_frame(room, "a period later")))
    assert last_frame(management_api, "e")["type"] == "ack"
    assert moved == [room, room]


def test_a_failed_activity_move_keeps_the_ack_and_is_tried_again(api: Api, room: str, management_api: Any,
                                                                 monkeypatch: Any) -> None:
    """The message is stored before the room's last activity moves: a failing move (DynamoDB
    throttling) is logged, the sender still gets the ack, and the next message tries again."""
    from botocore.exceptions import ClientError

    from chalicelib.core import clock
    from chalicelib.realtime import handlers

    at = {"now": clock.now() + handlers.ACTIVITY_EVERY + 1}
    monkeypatch.setattr(clock, "now", lambda: at["now"])
    tries: list[str] = []

    def throttled(room_id: str) -> None:
        tries.append(room_id)
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "UpdateItem")

    monkeypatch.setattr(handlers, "touch_room", throttled)
    open_socket(api, "editor", "e")
    for text in ("first", "second"):
        message = message_frame(room, text)
        send("e", json.dumps(message))
        ack = last_frame(management_api, "e")
        assert ack["type"] == "ack" and ack["client_id"] == message["client_id"]
    assert tries == [room, room]
    assert [m.content for m in MessageModel.query(room) if m.message_type == "text"] == ["first", "second"]
