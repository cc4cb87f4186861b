"""Stream-driven fan-out: Lambda-shaped batches, 410 cleanup, partial batch failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import app as app_module
from chalicelib.connections.models import ConnectionModel, SubscriptionModel
from chalicelib.core import clock
from chalicelib.timeline.models import MessageModel

ROOM = "6f1c1d43-7b7e-4c32-9a57-0d7f1b0c2a11"


LATER = datetime.now(UTC) + timedelta(hours=1)


def _message(seq: int, room: str = ROOM) -> MessageModel:
    return MessageModel(room, seq, message_id=f"00000000-0000-4000-8000-{seq:012d}", client_id=f"c{seq}",
                        sender_id="chen.editor@panjit.com.tw", message_type="text",
                        content=f"溫度 {seq}", created_at=clock.iso(), updated_at=clock.iso())


def _record(message: MessageModel, name: str = "INSERT", seq: str = "1") -> dict[str, Any]:
    image = message.serialize()
    return {"eventID": seq, "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": {"Keys": {"room_id": image["room_id"], "sequence_number": image["sequence_number"]},
                         "NewImage": image, "SequenceNumber": seq, "SizeBytes": 100,
                         "StreamViewType": "NEW_AND_OLD_IMAGES", "ApproximateCreationDateTime": 1.0},
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:000000000000:table/unit-messages/stream/x"}


def _subscribe(connection_id: str, room: str = ROOM) -> None:
    ConnectionModel(connection_id, user_id="u", session_id="s", connected_at=clock.iso(), expires_at=LATER).save()
    SubscriptionModel(room, connection_id, user_id="u", subscribed_at=clock.iso(), expires_at=LATER).save()


def _invoke(records: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(app_module.message_fanout({"Records": records}, None))


def test_insert_reaches_every_subscriber_of_the_room_only(aws: None, management_api: Any) -> None:
    for cid in ["a", "b", "c"]:
        _subscribe(cid)
    _subscribe("elsewhere", room="another-room")
    result = _invoke([_record(_message(1), seq="100")])
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
    assert _invoke([_record(_message(1))]) == {"batchItemFailures": []}
    assert [s.connection_id for s in SubscriptionModel.query(ROOM)] == ["alive"]
    assert ConnectionModel.count("dead") == 0


def test_only_failed_records_are_reported(aws: None, management_api: Any) -> None:
    _subscribe("ok", room="room-ok")
    _subscribe("flaky", room="room-flaky")
    management_api.broken.add("flaky")
    result = _invoke([_record(_message(1, "room-ok"), seq="201"),
                      _record(_message(2, "room-flaky"), seq="202"),
                      _record(_message(3, "room-ok"), seq="203")])
    assert result == {"batchItemFailures": [{"itemIdentifier": "202"}]}
    assert [f["message"]["sequence_number"] for f in management_api.frames("ok")] == [1, 3]


def test_redelivered_records_carry_the_same_message_id(aws: None, management_api: Any) -> None:
    _subscribe("a")
    record = _record(_message(7), seq="300")
    _invoke([record])
    _invoke([record])  # at-least-once: the stream may hand the same record again
    ids = [f["message"]["message_id"] for f in management_api.frames("a")]
    assert len(ids) == 2 and len(set(ids)) == 1  # clients dedupe on message_id


def test_modify_and_remove_records_send_nothing_yet(aws: None, management_api: Any) -> None:
    _subscribe("a")
    assert _invoke([_record(_message(1), name="MODIFY"), _record(_message(1), name="REMOVE", seq="2")]) == {
        "batchItemFailures": []}
    assert management_api.sent == []
