"""Appending to a room's timeline with contiguous per-room sequence numbers.

Sequence numbers are assigned optimistically: read the room's last number (strongly
consistent Query, newest first, limit 1) and write ``last + 1`` with a condition that it does
not exist yet (for messages: in one transaction with the sender's ``client_id`` record). A
concurrent writer that loses the race retries with the next number. A container remembers the
last number it wrote or read per room and tries the next one without the Query (a chat's steady
case: one write per message); when another writer got there first the condition fails and the
number is read again. Messages are never removed, so a remembered number is never ahead of the
room. Where one process runs invocations side by side (the local gateway's threads; a Lambda
container runs one at a time), its writers of one room take turns per attempt, so they do not
lose races to each other. So numbers are contiguous
(no gaps), and a number becomes visible only after every smaller one — a client resuming
"after N" never skips a message that was still being written. A resent ``client_id`` fails the
transaction's condition on its record and gets the original ``ack`` (durably, hours later too)
instead of a second message.

System events (status changes, members, file deletions) are written here too, so every domain
can add to a room's history without depending on messaging.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any, Protocol
from weakref import WeakValueDictionary

from cachetools import LRUCache
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError

from chalicelib.core import clock
from chalicelib.core.db import transaction
from chalicelib.core.errors import Conflict
from chalicelib.core.observability import add_metric
from chalicelib.timeline.models import ClientIdModel, MessageModel


class NewEntry(Protocol):
    """A validated new message (``messaging.schemas.NewMessage`` has this shape)."""

    @property
    def room_id(self) -> str: ...

    @property
    def client_id(self) -> str: ...

    @property
    def message_type(self) -> str: ...

    @property
    def content(self) -> Any: ...

    @property
    def file_id(self) -> str | None: ...


SYSTEM_SENDER = "system"
MAX_ATTEMPTS = 60
REPLAY_LIMIT = 200


def last_sequence(room_id: str) -> int:
    """The room's newest sequence number (0 for an empty room)."""
    for item in MessageModel.query(room_id, scan_index_forward=False, limit=1, consistent_read=True,
                                   attributes_to_get=["room_id", "sequence_number"]):
        return int(item.sequence_number)
    return 0


_LAST: LRUCache[str, int] = LRUCache(maxsize=10_000)  # room → last sequence number seen here
_LAST_LOCK = threading.Lock()


_ROOM_TURNS: WeakValueDictionary[str, threading.Lock] = WeakValueDictionary()  # kept while someone holds it


def _turn(room_id: str) -> threading.Lock:
    """The room's writers in this process take turns: guess, write, remember (the condition on
    the number keeps the order across processes; this only spares lost races inside one)."""
    with _LAST_LOCK:
        lock = _ROOM_TURNS.get(room_id)
        if lock is None:
            lock = _ROOM_TURNS[room_id] = threading.Lock()
        return lock


def _next_sequence(room_id: str) -> tuple[int, bool]:
    """``(number to try, whether it is a guess from memory)``."""
    with _LAST_LOCK:
        last = _LAST.get(room_id)
    if last is not None:
        return last + 1, True
    return last_sequence(room_id) + 1, False


def _remember(room_id: str, seq: int | None) -> None:
    with _LAST_LOCK:
        if seq is None:
            _LAST.pop(room_id, None)
        elif seq > _LAST.get(room_id, 0):
            _LAST[room_id] = seq


def forget_sequences() -> None:
    """Drop the remembered numbers (tests)."""
    with _LAST_LOCK:
        _LAST.clear()


def _backoff(attempt: int) -> None:
    """Full jitter, capped: concurrent senders spread out instead of colliding again."""
    time.sleep(random.uniform(0, min(0.25, 0.01 * 2 ** min(attempt, 6))))


def _put_next(room_id: str, build: Any) -> MessageModel:
    """Write ``build(seq)`` at the next free sequence number (retrying lost races)."""
    for attempt in range(MAX_ATTEMPTS):
        with _turn(room_id):
            seq, guessed = _next_sequence(room_id)
            record: MessageModel = build(seq)
            try:
                record.save(condition=MessageModel.sequence_number.does_not_exist())
            except PutError:
                _remember(room_id, None)
            else:
                _remember(room_id, seq)
                return record
        if not guessed:
            _backoff(attempt)
    raise Conflict("The room is too busy; try again")


def append_system_event(room_id: str, event: str, user_id: str, **data: Any) -> dict[str, Any]:
    """Persist a system event in the room's history; the stream fans it out as a ``system`` frame."""
    now = clock.iso()
    content = {"event": event, "user_id": user_id, **data}

    def build(seq: int) -> MessageModel:
        return MessageModel(room_id, seq, sender_id=SYSTEM_SENDER, message_type="system", content=content,
                            created_at=now)

    _put_next(room_id, build)
    return content


def _ack(client_id: str, message_id: str, seq: int, created_at: str) -> dict[str, Any]:
    return {"type": "ack", "client_id": client_id, "message_id": message_id,
            "sequence_number": seq, "created_at": created_at}


def _previous(room_id: str, key: str) -> ClientIdModel | None:
    try:
        return ClientIdModel.get(room_id, key, consistent_read=True)
    except DoesNotExist:
        return None


def store_message(sender_id: str, body: NewEntry, mentions: list[str]) -> dict[str, Any]:
    """Store a message exactly once per ``client_id``; returns the ``ack`` frame.

    ``body`` is a validated new message (``room_id``, ``client_id``, ``message_type``, ``content``,
    ``file_id``); ``mentions`` are already limited to members other than the sender."""
    key = f"{sender_id}#{body.client_id.lower()}"
    for attempt in range(MAX_ATTEMPTS):
        with _turn(body.room_id):
            seq, guessed = _next_sequence(body.room_id)
            now = clock.iso()
            message = MessageModel(
                body.room_id, seq, client_id=body.client_id, sender_id=sender_id, message_type=body.message_type,
                content=body.content, mentions=mentions, file_id=body.file_id, created_at=now,
            )
            marker = ClientIdModel(body.room_id, key, message_id=message.message_id, sequence_number=seq,
                                   created_at=now)
            try:
                with transaction() as tx:
                    tx.save(message, condition=MessageModel.sequence_number.does_not_exist())
                    tx.save(marker, condition=ClientIdModel.client_key.does_not_exist())
            except TransactWriteError as exc:
                reasons = [getattr(r, "code", None) if r else None for r in (exc.cancellation_reasons or [])]
                resent = len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed"
                if not resent:
                    _remember(body.room_id, None)  # another writer took the number
            else:
                _remember(body.room_id, seq)
                add_metric("MessagesSent", unit="Count", value=1)
                return _ack(body.client_id, message.message_id, seq, now)
        if resent:
            earlier = _previous(body.room_id, key)  # a resend: the original ack
            if earlier is not None:
                return _ack(body.client_id, earlier.message_id, int(earlier.sequence_number), earlier.created_at)
            _remember(body.room_id, None)
        if not guessed:
            _backoff(attempt)
    raise Conflict("The room is too busy; try again")
