"""Edit (15 min, sender), soft delete (sender/OWNER/admin), reactions, audit, incident data."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

import app as app_module
from chalicelib.core import clock
from chalicelib.timeline.models import MessageModel
from tests.builders import Api, last_frame, message_frame, open_socket, send


def _post(fake: Any, cid: str, room: str, content: Any = "設備溫度上升到85度", **extra: Any) -> dict[str, Any]:
    """Send a message from ``cid``; returns its ack (or error) frame."""
    send(cid, json.dumps(message_frame(room, content, **extra)))
    return last_frame(fake, cid)


def _op(cid: str, **frame: Any) -> None:
    send(cid, json.dumps(frame, ensure_ascii=False))


def test_edit_own_message_is_broadcast_and_audited(api: Api, room: str, management_api: Any,
                                                   message_stream: Any) -> None:
    open_socket(api, "editor", "e")
    open_socket(api, "viewer", "v")
    _op("v", type="subscribe", room_id=room)
    ack = _post(management_api, "e", room)
    message_stream.pump(app_module.message_fanout)
    _op("e", type="edit_message", room_id=room, message_id=ack["message_id"], content="更正：溫度 82 度")
    assert management_api.frames("e")[-1]["type"] == "ack"  # no error frame
    message_stream.pump(app_module.message_fanout)
    edited = last_frame(management_api, "v")
    assert edited["type"] == "message_edited" and edited["message_id"] == ack["message_id"]
    assert edited["content"] == "更正：溫度 82 度" and edited["version"] == 2 and edited["edited_at"].endswith("Z")
    stored = MessageModel.get(room, ack["sequence_number"])
    assert stored.content == "更正：溫度 82 度" and stored.edited_at == edited["edited_at"]
    audit = api.call("owner", "GET", f"/rooms/{room}/audit").json_body["entries"]
    assert audit == [{"action": "edit", "message_id": ack["message_id"], "actor_id": "chen.editor@panjit.com.tw",
                      "at": edited["edited_at"], "before": "設備溫度上升到85度", "after": "更正：溫度 82 度"}]


def test_edit_window_and_ownership(api: Api, room: str, management_api: Any, monkeypatch: Any) -> None:
    open_socket(api, "editor", "e")
    open_socket(api, "owner", "o")
    ack = _post(management_api, "e", room)
    _op("o", type="edit_message", room_id=room, message_id=ack["message_id"], content="not mine")
    assert last_frame(management_api, "o")["code"] == "forbidden"
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + 14 * 60 + 50)
    _op("e", type="edit_message", room_id=room, message_id=ack["message_id"], content="still in time")
    assert last_frame(management_api, "e")["type"] == "ack"
    monkeypatch.setattr(clock, "now", lambda: start + 15 * 60 + 2)
    _op("e", type="edit_message", room_id=room, message_id=ack["message_id"], content="too late")
    error = last_frame(management_api, "e")
    assert error["type"] == "error" and error["code"] == "forbidden"
    assert MessageModel.get(room, ack["sequence_number"]).content == "still in time"
    for bad in [{"content": ""}, {"content": "x" * 4001}, {"content": {"t": 1}},
                {"message_id": str(uuid.uuid4())}, {"message_id": "nope"}]:
        frame = {"type": "edit_message", "room_id": room, "message_id": ack["message_id"], "content": "x", **bad}
        send("e", json.dumps(frame))
        assert last_frame(management_api, "e")["type"] == "error", bad


def test_delete_rules_and_placeholder(api: Api, room: str, management_api: Any, message_stream: Any) -> None:
    open_socket(api, "editor", "e")
    open_socket(api, "owner", "o")
    open_socket(api, "admin", "a")
    open_socket(api, "viewer", "v")
    _op("v", type="subscribe", room_id=room)
    first = _post(management_api, "e", room, "第一則")
    second = _post(management_api, "o", room, "第二則")
    third = _post(management_api, "o", room, "第三則")
    message_stream.pump(app_module.message_fanout)
    _op("e", type="delete_message", room_id=room, message_id=second["message_id"])
    assert last_frame(management_api, "e")["code"] == "forbidden"
    _op("e", type="delete_message", room_id=room, message_id=first["message_id"])  # own
    _op("o", type="delete_message", room_id=room, message_id=second["message_id"])  # own, as owner
    _op("a", type="delete_message", room_id=room, message_id=third["message_id"])  # admin: anyone's
    _op("a", type="delete_message", room_id=room, message_id=third["message_id"])  # idempotent
    assert all(f["type"] != "error" for f in management_api.frames("a"))
    message_stream.pump(app_module.message_fanout)
    gone = [f for f in management_api.frames("v") if f["type"] == "message_deleted"]
    assert sorted(f["message_id"] for f in gone) == sorted(m["message_id"] for m in (first, second, third))
    assert all(f["version"] == 2 and f["deleted_at"].endswith("Z") and "content" not in f for f in gone)
    history = api.call("viewer", "GET", f"/rooms/{room}/messages").json_body["messages"]
    deleted = [m for m in history if m["message_type"] == "text"]
    assert len(deleted) == 3 and all(m["content"] is None and m["deleted_at"] for m in deleted)
    assert MessageModel.get(room, first["sequence_number"]).content == "第一則"  # preserved for audit
    audit = api.call("admin", "GET", f"/rooms/{room}/audit").json_body["entries"]
    assert sorted((e["action"], e["before"], e["actor_id"]) for e in audit) == [
        ("delete", "第一則", "chen.editor@panjit.com.tw"), ("delete", "第三則", "lin.admin@panjit.com.tw"),
        ("delete", "第二則", "wang.owner@panjit.com.tw")]
    assert api.call("editor", "GET", f"/rooms/{room}/audit").status_code == 403
    assert api.call("viewer", "GET", f"/rooms/{room}/audit").status_code == 403


@pytest.mark.parametrize("emoji,ok", [
    ("👍", True), ("❤️", True), ("👍🏽", True), ("👩🏽‍💻", True), ("🏳️‍🌈", True), ("🇹🇼", True),
    ("", False), ("a", False), ("ok", False), ("👍👍", False), ("👍a", False), ("<script>", False),
    ("\u200d", False), (" 👍", False), ("👍\x00", False), ("x" * 40, False),
    ("🏻", True),  # a lone skin tone is an emoji in Unicode
])
def test_emoji_validation(api: Api, room: str, management_api: Any, emoji: str, ok: bool) -> None:
    open_socket(api, "editor", "e")
    ack = _post(management_api, "e", room)
    _op("e", type="add_reaction", room_id=room, message_id=ack["message_id"], emoji=emoji)
    frame = last_frame(management_api, "e")
    if ok:
        assert frame["type"] == "ack"  # no error
        assert MessageModel.get(room, ack["sequence_number"]).reactions.as_dict() == {emoji: {"chen.editor@panjit.com.tw"}}
    else:
        assert frame["type"] == "error" and frame["code"] == "validation_error"


def test_reactions_idempotent_counted_and_broadcast(api: Api, room: str, management_api: Any,
                                                    message_stream: Any) -> None:
    open_socket(api, "editor", "e")
    open_socket(api, "owner", "o")
    open_socket(api, "viewer", "v")
    _op("v", type="subscribe", room_id=room)
    ack = _post(management_api, "e", room)
    message_stream.pump(app_module.message_fanout)
    steps = [("e", "add_reaction"), ("e", "add_reaction"), ("o", "add_reaction"), ("o", "remove_reaction"),
             ("o", "remove_reaction")]  # the repeated add and remove change nothing
    for cid, kind in steps:
        _op(cid, type=kind, room_id=room, message_id=ack["message_id"], emoji="👍")
        message_stream.pump(app_module.message_fanout)
    _op("v", type="add_reaction", room_id=room, message_id=ack["message_id"], emoji="👍")
    assert last_frame(management_api, "v")["code"] == "forbidden"  # viewers do not react
    frames = [(f["type"], f["user_id"], f["count"]) for f in management_api.frames("v") if "reaction" in f["type"]]
    assert frames == [("reaction_added", "chen.editor@panjit.com.tw", 1), ("reaction_added", "wang.owner@panjit.com.tw", 2),
                      ("reaction_removed", "wang.owner@panjit.com.tw", 1)]
    view = api.call("viewer", "GET", f"/rooms/{room}/messages").json_body["messages"][0]
    assert view["reactions"] == {"👍": ["chen.editor@panjit.com.tw"]}


def test_incident_data_series(api: Api, room: str, management_api: Any, message_stream: Any) -> None:
    open_socket(api, "editor", "e")
    readings = [{"temperature": 85, "pressure": 120, "timestamp": "2025-11-17T10:15:00Z"},
                {"temperature": 88.5, "timestamp": "2025-11-17T10:05:00Z"},
                {"pressure": 118}]
    acks = [_post(management_api, "e", room, r, message_type="incident_data") for r in readings]
    message_stream.pump(app_module.message_fanout)
    series = api.call("viewer", "GET", f"/rooms/{room}/incident-data?field=temperature").json_body
    assert series == {"field": "temperature", "points": [
        {"timestamp": "2025-11-17T10:05:00Z", "value": 88.5, "message_id": acks[1]["message_id"]},
        {"timestamp": "2025-11-17T10:15:00Z", "value": 85, "message_id": acks[0]["message_id"]}]}
    # a deleted reading leaves the chart
    _op("e", type="delete_message", room_id=room, message_id=acks[1]["message_id"])
    message_stream.pump(app_module.message_fanout)
    points = api.call("viewer", "GET", f"/rooms/{room}/incident-data?field=temperature").json_body["points"]
    assert [p["value"] for p in points] == [85]
    for query in ["", "?field=", "?field=bad-name", "?field=x&limit=0"]:
        assert api.call("viewer", "GET", f"/rooms/{room}/incident-data{query}").status_code == 400
    assert api.call("outsider", "GET", f"/rooms/{room}/incident-data?field=temperature").status_code == 403


def test_a_sent_message_writes_no_local_index_entry_until_it_changes(api: Api, room: str,
                                                                      management_api: Any) -> None:
    open_socket(api, "editor", "e")
    ack = _post(management_api, "e", room)
    stored = MessageModel.get(room, ack["sequence_number"])
    assert stored.message_id == ack["message_id"] and stored.stored_message_id is None
    assert stored.updated_at is None  # sparse: no entry in the updated-index yet
    assert list(MessageModel.by_id.query(room)) == [] and list(MessageModel.by_update.query(room)) == []
    _op("e", type="edit_message", room_id=room, message_id=ack["message_id"].upper(), content="更正")
    assert last_frame(management_api, "e")["type"] == "ack"
    changed = [int(m.sequence_number) for m in MessageModel.by_update.query(room)]
    assert changed == [ack["sequence_number"]]
    history = api.call("viewer", "GET", f"/rooms/{room}/messages").json_body["messages"]
    sent = next(m for m in history if m["message_id"] == ack["message_id"])
    assert sent["content"] == "更正" and sent["updated_at"] == sent["edited_at"]


def test_messages_stored_with_random_ids_are_still_found(api: Api, room: str, management_api: Any,
                                                         message_stream: Any) -> None:
    open_socket(api, "editor", "e")
    ack = _post(management_api, "e", room, "新訊息")
    seq = ack["sequence_number"] + 1
    legacy_id = str(uuid.uuid4())
    MessageModel(room, seq, stored_message_id=legacy_id, client_id=str(uuid.uuid4()),
                 sender_id="chen.editor@panjit.com.tw", message_type="text", content="舊訊息",
                 created_at=clock.iso(), updated_at=clock.iso()).save()
    _op("e", type="edit_message", room_id=room, message_id=legacy_id, content="舊訊息（更正）")
    assert last_frame(management_api, "e")["type"] == "ack"
    stored = MessageModel.get(room, seq)
    assert stored.message_id == legacy_id and stored.content == "舊訊息（更正）" and stored.version == 2
    message_stream.pump(app_module.message_fanout)
    # an id of another room, or of a sequence number with no message, is not found here
    from chalicelib.timeline import ids

    for wrong in [ids.message_id("another-room", ack["sequence_number"]), ids.message_id(room, seq + 5)]:
        _op("e", type="delete_message", room_id=room, message_id=wrong)
        assert last_frame(management_api, "e")["code"] == "not_found", wrong
