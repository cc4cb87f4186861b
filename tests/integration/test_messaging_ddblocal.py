"""Messaging against AWS's DynamoDB Local: ordering under concurrent senders, idempotency."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest

from chalicelib.core import clock
from chalicelib.messaging import service
from chalicelib.messaging.schemas import NewMessage
from chalicelib.timeline import service as timeline
from chalicelib.timeline.models import MessageModel

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("writers", ["threads of one process", "separate containers"])
def test_concurrent_senders_get_contiguous_increasing_numbers(on_dynamodb_local: str, writers: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if writers == "separate containers":  # no turns between them: they race on the number's condition
        monkeypatch.setattr(timeline, "_turn", lambda room_id: threading.Lock())
    lost: list[str] = []
    remember = timeline._remember

    def counting(room_id: str, seq: int | None) -> None:
        if seq is None:
            lost.append(room_id)  # a write that lost the race for its number
        remember(room_id, seq)

    monkeypatch.setattr(timeline, "_remember", counting)
    room = clock.new_id()
    acks: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def sender(n: int) -> None:
        try:
            for i in range(6):
                body = NewMessage(room_id=room, client_id=str(uuid.uuid4()), content=f"sender {n} #{i}")
                ack = service.send_message(f"user{n}@panjit.com.tw", body, set())
                with lock:
                    acks.append(ack)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(a["sequence_number"] for a in acks) == list(range(1, 61))  # contiguous, no duplicates
    stored = list(MessageModel.query(room, consistent_read=True))
    assert [int(m.sequence_number) for m in stored] == list(range(1, 61))
    assert {m.message_id for m in stored} == {a["message_id"] for a in acks}
    # each sender's own messages keep their order
    for n in range(10):
        mine = [m.content for m in stored if m.sender_id == f"user{n}@panjit.com.tw"]
        assert mine == [f"sender {n} #{i}" for i in range(6)]
    if writers == "threads of one process":  # they take turns per room, so none loses a race to another
        assert lost == []


def test_concurrent_resends_of_one_client_id_create_one_message(on_dynamodb_local: str) -> None:
    room = clock.new_id()
    body = NewMessage(room_id=room, client_id=str(uuid.uuid4()), content="只送一次")
    acks: list[dict[str, Any]] = []

    def resend() -> None:
        acks.append(service.send_message("chen.editor@panjit.com.tw", body, set()))

    threads = [threading.Thread(target=resend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({a["message_id"] for a in acks}) == 1
    assert len(list(MessageModel.query(room, consistent_read=True))) == 1


def test_fifty_concurrent_reactions_lose_nothing(on_dynamodb_local: str) -> None:
    from chalicelib.messaging import operations

    room = clock.new_id()
    ack = service.send_message("chen.editor@panjit.com.tw",
                               NewMessage(room_id=room, client_id=str(uuid.uuid4()), content="請按讚"), set())
    users = [f"user{i:02d}@panjit.com.tw" for i in range(50)]
    errors: list[BaseException] = []

    def react(user: str) -> None:
        try:
            operations.react(user, room, ack["message_id"], "👍", add=True)
            operations.react(user, room, ack["message_id"], "👍", add=True)  # idempotent
            operations.react(user, room, ack["message_id"], "🔥", add=True)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=react, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = MessageModel.get(room, ack["sequence_number"], consistent_read=True)
    reactions = stored.reactions.as_dict()
    assert reactions["👍"] == set(users) and reactions["🔥"] == set(users)
    assert int(stored.version) == 1 + 100  # each real change bumped the version once


def test_search_finds_chinese_inside_sentences_on_dynamodb_local(on_dynamodb_local: str) -> None:
    from chalicelib.messaging import search, search_index

    room = clock.new_id()
    texts = ["設備溫度上升到85度", "Line 3 回焊爐溫度異常", "pipeline ok", "LINE 3 restarted"]
    records = []
    for text in texts:
        ack = service.send_message("chen.editor@panjit.com.tw",
                                   NewMessage(room_id=room, client_id=str(uuid.uuid4()), content=text), set())
        stored = MessageModel.get(room, ack["sequence_number"])
        records.append({"eventName": "INSERT", "dynamodb": {"NewImage": stored.serialize(),
                                                            "SequenceNumber": str(ack["sequence_number"])}})
    # the stream's index consumer, one batch: its entries merged into BatchWriteItem calls
    assert search_index.handle_batch({"Records": records}, None) == {"batchItemFailures": []}
    found = search.search("u", [room], "溫度", 10, None)["results"]
    assert [r["message"]["content"] for r in found] == ["Line 3 回焊爐溫度異常", "設備溫度上升到85度"]
    mixed = search.search("u", [room], "line 3", 10, None)["results"]
    assert [r["message"]["content"] for r in mixed] == ["LINE 3 restarted", "Line 3 回焊爐溫度異常"]


def test_a_text_message_costs_four_write_units_and_no_read(on_dynamodb_local: str) -> None:
    """The message and its client_id record in one transaction (2 × 2 units): no local index entry."""
    from bench.capacity import metered

    room = clock.new_id()
    service.send_message("chen.editor@panjit.com.tw", NewMessage(room_id=room, client_id=str(uuid.uuid4()),
                                                                 content="第一則"), set())
    with metered() as meter:
        for i in range(5):
            body = NewMessage(room_id=room, client_id=str(uuid.uuid4()), content=f"設備溫度 {i} 度")
            service.send_message("chen.editor@panjit.com.tw", body, set())
    assert meter.write == 5 * 4 and meter.read == 0
    assert dict(meter.calls) == {"TransactWriteItems": 5}


def test_concurrent_tabs_of_one_user_join_and_leave_once(on_dynamodb_local: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # presence is one item per (room, user): of eight tabs subscribing at once exactly one is the
    # user's first, and of eight leaving at once exactly one is the last
    from chalicelib.connections import presence
    from chalicelib.connections import service as connections
    from chalicelib.connections.models import PresenceModel

    room, user = clock.new_id(), "chen.editor@panjit.com.tw"
    announced: list[tuple[str, str, list[str]]] = []
    lock = threading.Lock()

    def announce(room_id: str, user_id: str, event: str, online: list[str],
                 exclude_connection: str | None = None) -> list[str]:
        with lock:
            announced.append((event, user_id, online))
        return []

    monkeypatch.setattr(presence, "announce", announce)
    connections.subscribe("other-tab", "lee.viewer@panjit.com.tw", room)
    announced.clear()

    def run_all(action: Any) -> None:
        threads = [threading.Thread(target=action, args=(f"tab-{n}",)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    run_all(lambda tab: connections.subscribe(tab, user, room))
    assert [(e, u) for e, u, _ in announced] == [("user_joined", user)]
    assert presence.online_users(room) == sorted([user, "lee.viewer@panjit.com.tw"])
    run_all(lambda tab: connections.unsubscribe(room, tab))
    assert [(e, u) for e, u, _ in announced] == [("user_joined", user), ("user_left", user)]
    assert announced[-1][2] == ["lee.viewer@panjit.com.tw"]
    assert [p.user_id for p in PresenceModel.query(room, consistent_read=True)] == ["lee.viewer@panjit.com.tw"]
