"""Stream-driven fan-out: Lambda-shaped batches, 410 cleanup, partial batch failures, and the
frames a change produces (records have the shapes a NEW_AND_OLD_IMAGES stream really sends:
INSERT with NewImage only, MODIFY with both images, REMOVE with OldImage only)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import app as app_module
from chalicelib.connections.models import ConnectionModel, SubscriptionModel
from chalicelib.core import clock
from chalicelib.timeline.models import MessageModel
from tests.builders import LATER, stream_record

ROOM = "6f1c1d43-7b7e-4c32-9a57-0d7f1b0c2a11"
EDITOR, VIEWER = "chen.editor@panjit.com.tw", "lee.viewer@panjit.com.tw"


def _message(seq: int, room: str = ROOM, **over: Any) -> MessageModel:
    fields: dict[str, Any] = {"client_id": f"c{seq}", "sender_id": EDITOR, "message_type": "text",
                              "content": f"溫度 {seq}", "created_at": clock.iso()}
    fields.update(over)
    return MessageModel(room, seq, **fields)


def _subscribe(connection_id: str, room: str = ROOM) -> None:
    ConnectionModel(connection_id, user_id="u", session_id="s", connected_at=clock.iso(), expires_at=LATER).save()
    SubscriptionModel(room, connection_id, user_id="u", subscribed_at=clock.iso(), expires_at=LATER).save()


def _invoke(records: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(app_module.message_fanout({"Records": records}, None))


def test_insert_reaches_every_subscriber_of_the_room_only(aws: None, management_api: Any) -> None:
    for cid in ["a", "b", "c"]:
        _subscribe(cid)
    _subscribe("elsewhere", room="another-room")
    result = _invoke([stream_record("INSERT", new=_message(1), seq="100")])
    assert result == {"batchItemFailures": []}
    for cid in ["a", "b", "c"]:
        frames = management_api.frames(cid)
        assert len(frames) == 1 and frames[0]["type"] == "message"
        assert frames[0]["message"]["sequence_number"] == 1
        assert frames[0]["message"]["content"] == "溫度 1"
        assert frames[0]["message"]["room_id"] == ROOM
    assert management_api.frames("elsewhere") == []


def test_gone_connections_are_removed(aws: None, management_api: Any) -> None:
    _subscribe("alive")
    _subscribe("dead")
    management_api.gone.add("dead")
    assert _invoke([stream_record("INSERT", new=_message(1))]) == {"batchItemFailures": []}
    assert [s.connection_id for s in SubscriptionModel.query(ROOM)] == ["alive"]
    assert ConnectionModel.count("dead") == 0


def test_a_batch_reads_each_rooms_subscriptions_once(aws: None, management_api: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.connections import delivery

    for cid in ["a", "dead"]:
        _subscribe(cid)
    _subscribe("x", room="another-room")
    management_api.gone.add("dead")
    queried: list[str] = []
    real = delivery.room_connection_ids
    monkeypatch.setattr(delivery, "room_connection_ids", lambda room: queried.append(room) or real(room))
    records = [stream_record("INSERT", new=_message(seq), seq=str(400 + seq)) for seq in (1, 2, 3)]
    records.append(stream_record("INSERT", new=_message(1, "another-room"), seq="404"))
    assert _invoke(records) == {"batchItemFailures": []}
    assert sorted(queried) == sorted(["another-room", ROOM])  # one Query per room, not per record
    assert [f["message"]["sequence_number"] for f in management_api.frames("a")] == [1, 2, 3]
    assert len(management_api.frames("x")) == 1
    # found gone on the first record: forgotten, and not posted to again for the others
    assert management_api.gone_posts == ["dead"] and ConnectionModel.count("dead") == 0
    # the next batch reads again (a new subscriber is reached)
    _subscribe("late")
    _invoke([stream_record("INSERT", new=_message(4), seq="405")])
    assert [f["message"]["sequence_number"] for f in management_api.frames("late")] == [4]


def test_the_search_index_is_the_streams_other_consumer_and_never_repeats_a_delivery(
        aws: None, management_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.messaging import search_index
    from chalicelib.messaging.models import SearchTermModel

    _subscribe("a")
    records = [stream_record("INSERT", new=_message(1), seq="500")]
    assert _invoke(records) == {"batchItemFailures": []}
    assert [f["message"]["sequence_number"] for f in management_api.frames("a")] == [1]
    assert SearchTermModel.count(f"{ROOM}#溫") == 0  # the fan-out delivers only

    def throttled(changes: Any) -> None:
        raise RuntimeError("search-terms throttled")

    real = search_index.write
    monkeypatch.setattr(search_index, "write", throttled)
    assert app_module.search_index({"Records": records}, None) == {"batchItemFailures": [{"itemIdentifier": "500"}]}
    monkeypatch.setattr(search_index, "write", real)
    assert app_module.search_index({"Records": records}, None) == {"batchItemFailures": []}  # the retry
    assert SearchTermModel.count(f"{ROOM}#溫") == 1
    assert app_module.search_index({"Records": records}, None) == {"batchItemFailures": []}  # a duplicate
    assert SearchTermModel.count(f"{ROOM}#溫") == 1
    assert [f["message"]["sequence_number"] for f in management_api.frames("a")] == [1]  # delivered once


def test_a_batch_is_indexed_in_few_writes_and_a_later_record_of_a_message_wins(
        aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from pynamodb.connection.base import Connection

    from chalicelib.messaging.models import SearchTermModel

    calls: list[int] = []
    real = Connection.batch_write_item

    def counted(self: Any, table_name: str, put_items: Any = None, delete_items: Any = None, **kw: Any) -> Any:
        calls.append(len(put_items or []) + len(delete_items or []))
        return real(self, table_name, put_items=put_items, delete_items=delete_items, **kw)

    monkeypatch.setattr(Connection, "batch_write_item", counted)
    first = _message(1, content="壓力 120 kPa")
    edited = _message(1, content="壓力 118 kPa", edited_at=clock.iso(), version=2)
    records = [stream_record("INSERT", new=first, seq="700"),
               *[stream_record("INSERT", new=_message(n, content=f"溫度 {n}"), seq=str(700 + n)) for n in range(2, 11)],
               stream_record("MODIFY", new=edited, old=first, seq="711")]
    assert app_module.search_index({"Records": records}, None) == {"batchItemFailures": []}
    assert len(calls) == 2 and sum(calls) <= 50  # 11 records' entries in two calls of ≤ 25, not 11
    assert SearchTermModel.count(f"{ROOM}#120") == 0 and SearchTermModel.count(f"{ROOM}#118") == 1
    assert SearchTermModel.count(f"{ROOM}#溫") == 9 and SearchTermModel.count(f"{ROOM}#壓力") == 1


def test_an_unreadable_record_is_reported_with_those_after_it_and_those_before_are_indexed(aws: None) -> None:
    from chalicelib.messaging.models import SearchTermModel

    broken = stream_record("INSERT", new=_message(2), seq="802")
    broken["dynamodb"]["NewImage"]["sequence_number"] = {"N": "not a number"}
    records = [stream_record("INSERT", new=_message(1), seq="801"), broken,
               stream_record("INSERT", new=_message(3), seq="803")]
    assert app_module.search_index({"Records": records}, None) == {
        "batchItemFailures": [{"itemIdentifier": "802"}, {"itemIdentifier": "803"}]}
    assert SearchTermModel.count(f"{ROOM}#1") == 1 and SearchTermModel.count(f"{ROOM}#3") == 0


def test_only_failed_records_are_reported(aws: None, management_api: Any) -> None:
    _subscribe("ok", room="room-ok")
    _subscribe("flaky", room="room-flaky")
    management_api.broken.add("flaky")
    result = _invoke([stream_record("INSERT", new=_message(1, "room-ok"), seq="201"),
                      stream_record("INSERT", new=_message(2, "room-flaky"), seq="202"),
                      stream_record("INSERT", new=_message(3, "room-ok"), seq="203")])
    assert result == {"batchItemFailures": [{"itemIdentifier": "202"}]}
    assert [f["message"]["sequence_number"] for f in management_api.frames("ok")] == [1, 3]


def test_redelivered_records_carry_the_same_message_id(aws: None, management_api: Any) -> None:
    _subscribe("a")
    record = stream_record("INSERT", new=_message(7), seq="300")
    _invoke([record])
    _invoke([record])  # at-least-once: the stream may hand the same record again
    ids = [f["message"]["message_id"] for f in management_api.frames("a")]
    assert len(ids) == 2 and len(set(ids)) == 1  # clients dedupe on message_id


def test_modify_frames_come_from_comparing_the_old_and_new_images(aws: None, management_api: Any) -> None:
    """Edit, reactions and delete of one message, one MODIFY record each: every frame says what
    changed between OldImage and NewImage, and nothing that did not change."""
    _subscribe("a")
    t1, t2, t3, t4 = (f"2026-01-01T10:0{i}:00.000Z" for i in range(1, 5))
    sent = _message(1, updated_at="2026-01-01T10:00:00.000Z")
    edited = _message(1, content="更正：溫度 82", edited_at=t1, updated_at=t1, version=2)
    # the content is the same as before (and edited_at is set): a reaction is not an edit
    reacted = _message(1, content="更正：溫度 82", edited_at=t1, updated_at=t2, version=3,
                       reactions={"👍": {EDITOR, VIEWER}})
    unreacted = _message(1, content="更正：溫度 82", edited_at=t1, updated_at=t3, version=4,
                         reactions={"👍": {EDITOR}})
    deleted = _message(1, content="更正：溫度 82", edited_at=t1, updated_at=t4, version=5,
                       reactions={"👍": {EDITOR}}, deleted_at=t4, deleted_by=EDITOR)
    result = _invoke([stream_record("MODIFY", new=edited, old=sent, seq="401"),
                      stream_record("MODIFY", new=reacted, old=edited, seq="402"),
                      stream_record("MODIFY", new=unreacted, old=reacted, seq="403"),
                      stream_record("MODIFY", new=deleted, old=unreacted, seq="404")])
    assert result == {"batchItemFailures": []}
    base = {"room_id": ROOM, "message_id": sent.message_id}
    assert management_api.frames("a") == [
        {"type": "message_edited", **base, "version": 2, "updated_at": t1, "content": "更正：溫度 82", "edited_at": t1},
        {"type": "reaction_added", **base, "version": 3, "updated_at": t2, "emoji": "👍", "user_id": EDITOR, "count": 2},
        {"type": "reaction_added", **base, "version": 3, "updated_at": t2, "emoji": "👍", "user_id": VIEWER, "count": 2},
        {"type": "reaction_removed", **base, "version": 4, "updated_at": t3, "emoji": "👍", "user_id": VIEWER,
         "count": 1},
        {"type": "message_deleted", **base, "version": 5, "updated_at": t4, "deleted_at": t4},
    ]


def test_modify_without_a_visible_change_and_remove_send_nothing(aws: None, management_api: Any) -> None:
    _subscribe("a")
    original = _message(1, updated_at="2026-01-01T10:00:00.000Z")
    touched = _message(1, updated_at="2026-01-01T10:01:00.000Z", version=2)  # same content, reactions
    gone = _message(2, deleted_at="2026-01-01T10:00:00.000Z", updated_at="2026-01-01T10:00:00.000Z", version=2)
    gone_again = _message(2, deleted_at="2026-01-01T10:00:00.000Z", updated_at="2026-01-01T10:02:00.000Z",
                          version=3)  # already deleted before this change: no second message_deleted
    assert _invoke([stream_record("MODIFY", new=touched, old=original, seq="501"),
                    stream_record("MODIFY", new=gone_again, old=gone, seq="502"),
                    stream_record("REMOVE", old=touched, seq="503")]) == {"batchItemFailures": []}
    assert management_api.sent == []
    # the same images with a real change do send: the silence above is the comparison, not a lost image
    edited = _message(1, content="溫度 83", edited_at="2026-01-01T10:03:00.000Z",
                      updated_at="2026-01-01T10:03:00.000Z", version=3)
    assert _invoke([stream_record("MODIFY", new=edited, old=touched, seq="504")]) == {"batchItemFailures": []}
    assert [(f["type"], f["content"], f["version"]) for f in management_api.frames("a")] == [
        ("message_edited", "溫度 83", 3)]


# ------------------------------------------------------------------ large rooms: chunks in parallel
def _chunked(env: Any) -> list[dict[str, Any]]:
    """FANOUT_CHUNK_SIZE=3 with a fan-out queue; what the fan-out puts on it lands in the list."""
    from chalicelib.core import sqs
    from chalicelib.core.settings import get_settings

    env.setenv("FANOUT_CHUNK_SIZE", "3")
    env.setenv("FANOUT_QUEUE_URL", "https://sqs.example.test/000000000000/unit-fanout")
    get_settings.cache_clear()
    queued: list[dict[str, Any]] = []
    env.setattr(sqs, "send", lambda url, body, delay_seconds=0: queued.append(
        {"url": url, "body": json.loads(json.dumps(body))}))
    return queued


def _chunk_event(queued: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"messageId": f"m{i}", "receiptHandle": "r", "body": json.dumps(q["body"]), "attributes": {},
             "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
             "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:unit-fanout", "awsRegion": "us-east-1"}
            for i, q in enumerate(queued)]


def test_a_large_room_is_fanned_out_in_chunks_by_parallel_invocations(env: Any, aws: None,
                                                                     management_api: Any) -> None:
    queued = _chunked(env)
    ids = [f"c{i}" for i in range(8)]
    for cid in ids:
        _subscribe(cid)
    assert _invoke([stream_record("INSERT", new=_message(1))]) == {"batchItemFailures": []}
    posted_here = {cid for cid, _ in management_api.sent}
    assert len(posted_here) == 3  # the first chunk by the stream's invocation
    assert [len(q["body"]["connection_ids"]) for q in queued] == [3, 2]
    assert {q["url"] for q in queued} == {"https://sqs.example.test/000000000000/unit-fanout"}
    chunked = {cid for q in queued for cid in q["body"]["connection_ids"]}
    assert chunked.isdisjoint(posted_here) and chunked | posted_here == set(ids)
    for record in _chunk_event(queued):  # batch size 1: one invocation per chunk
        assert app_module.fanout_chunks({"Records": [record]}, None) == {"batchItemFailures": []}
    for cid in ids:
        frames = management_api.frames(cid)
        assert [f["message"]["sequence_number"] for f in frames] == [1], cid


def test_a_failed_chunk_is_retried_alone_and_gone_connections_are_forgotten(env: Any, aws: None,
                                                                          management_api: Any) -> None:
    queued = _chunked(env)
    for i in range(9):
        _subscribe(f"c{i}")
    _invoke([stream_record("INSERT", new=_message(1))])
    first, second = (q["body"]["connection_ids"] for q in queued)
    management_api.broken.add(first[0])
    management_api.gone.add(second[0])
    records = _chunk_event(queued)
    result = app_module.fanout_chunks({"Records": records}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m0"}]}  # only the chunk with a failed post
    assert ConnectionModel.count(second[0]) == 0  # 410 Gone: forgotten
    management_api.broken.clear()
    assert app_module.fanout_chunks({"Records": [records[0]]}, None) == {"batchItemFailures": []}
    assert all(management_api.frames(cid) for cid in first)


def test_without_a_fanout_queue_one_invocation_posts_to_everyone(env: Any, aws: None, management_api: Any) -> None:
    _chunked(env)
    env.setenv("FANOUT_QUEUE_URL", "")
    from chalicelib.core.settings import get_settings

    get_settings.cache_clear()
    for i in range(7):
        _subscribe(f"c{i}")
    assert _invoke([stream_record("INSERT", new=_message(1))]) == {"batchItemFailures": []}
    assert len({cid for cid, _ in management_api.sent}) == 7


def test_rooms_are_handled_side_by_side_and_a_failure_holds_back_only_its_room(aws: None,
                                                                              management_api: Any) -> None:
    """A batch's rooms go in parallel, each in order: after a failed record its room's later
    records wait for the retry (reported with it), other rooms' records are delivered."""
    _subscribe("ok", room="room-ok")
    _subscribe("flaky", room="room-flaky")
    management_api.broken.add("flaky")
    result = _invoke([stream_record("INSERT", new=_message(1, "room-flaky"), seq="401"),
                      stream_record("INSERT", new=_message(1, "room-ok"), seq="402"),
                      stream_record("INSERT", new=_message(2, "room-flaky"), seq="403"),
                      stream_record("INSERT", new=_message(2, "room-ok"), seq="404")])
    assert result == {"batchItemFailures": [{"itemIdentifier": "401"}, {"itemIdentifier": "403"}]}
    assert [f["message"]["sequence_number"] for f in management_api.frames("ok")] == [1, 2]
    management_api.broken.clear()
    retried = _invoke([stream_record("INSERT", new=_message(1, "room-flaky"), seq="401"),
                       stream_record("INSERT", new=_message(2, "room-flaky"), seq="403")])
    assert retried == {"batchItemFailures": []}
    assert [f["message"]["sequence_number"] for f in management_api.frames("flaky")] == [1, 2]
